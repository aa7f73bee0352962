"""Two builds of the same package give byte-identical sites and downloads: no build timestamps, no machine-dependent order.

The two builds run as separate processes with a different hash seed, time zone and work folder, so anything that depends
on where or in which order the build ran shows up as a difference. The only date the build may use is the commit's
(scripts.build sets SOURCE_DATE_EPOCH from it, as the Makefile does), so builds of one commit on different days agree.
"""
import datetime
import gzip
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.build import commit_time
from scripts.paths import ROOT


def build(workdir: Path, seed: str, tz: str) -> Path:
    env = dict(os.environ, PYTHONHASHSEED=seed, TZ=tz, NO_MKDOCS_2_WARNING="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    run = subprocess.run([sys.executable, "-m", "scripts.build", "--workdir", str(workdir)], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return workdir / "site"


def digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    first = build(tmp_path_factory.mktemp("first"), "1", "UTC")
    second = build(tmp_path_factory.mktemp("second"), "2", "Asia/Shanghai")
    return first, second


@pytest.mark.slow
def test_two_builds_give_byte_identical_sites(two_builds):
    first, second = map(digests, two_builds)
    assert sorted(first) == sorted(second), "the two builds made different sets of files"
    differ = [name for name in first if first[name] != second[name]]
    assert differ == [], f"these files differ between two builds of the same package: {differ}"


@pytest.mark.slow
def test_the_search_index_and_sitemap_are_part_of_the_comparison(two_builds):
    names = digests(two_builds[0])
    assert "search/search_index.json" in names and "search/pages.json" in names
    assert "sitemap.xml" in names and "sitemap.xml.gz" in names


@pytest.mark.slow
def test_the_compressed_sitemap_is_dated_by_the_commit_not_the_clock(two_builds):
    raw = (two_builds[0] / "sitemap.xml.gz").read_bytes()
    commit = datetime.datetime.fromtimestamp(int(commit_time()), datetime.timezone.utc)
    midnight = datetime.datetime(commit.year, commit.month, commit.day, tzinfo=datetime.timezone.utc)
    assert int.from_bytes(raw[4:8], "little") == int(midnight.timestamp())
    assert gzip.decompress(raw) == (two_builds[0] / "sitemap.xml").read_bytes()


def test_the_commit_time_is_read_from_git():
    run = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    assert commit_time() == (run.stdout.strip() if run.returncode == 0 else "0")


@pytest.mark.slow
def test_the_downloads_are_identical_too(two_builds):
    first, second = map(digests, two_builds)
    downloads = [n for n in first if n.endswith((".csv", ".xlsx", ".json", ".zip", ".xml", ".atom", ".jsonld", ".ods"))
                 and not n.startswith(("search/", "assets/"))]
    assert downloads, "the build wrote no download files"
    assert [n for n in downloads if first[n] != second[n]] == []
