"""The update loop, as CI runs it after each merge: a temporary git repository made from the project receives three
data releases in a row (a service added, a field changed, a service removed), each is published, and no published
version ever changes or disappears. Then the data-dependent tests run against that changed package.

Each release is frozen and exported once. The steps before the last run what `make publish` runs first
(`python -m scripts.publish`: check, freeze, commit) and then the build's download step alone, into a folder outside
the repository: only freezing and the download files are under test there, and a site build would add nothing the
last step does not check. The last release runs the whole `make publish`; its site must serve every earlier version
byte for byte as it was exported when that version was new. The repository's mkdocs.yml has the disclosure codes filled
in and make publish gets conftest's SITE_ADDRESS, so that site is also the addressed site the re-run's tests read.

Nothing here assumes today's package: not its version, its rows, nor that the annex (附件1) is unpublished."""
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import DISCLOSURE, SITE_ADDRESS
from scripts.package import natural_key
from scripts.paths import ROOT

pytestmark = pytest.mark.slow  # a temporary repository, four releases, one full make publish and a re-run of other modules

WHO = ["-c", "user.name=测试编辑", "-c", "user.email=editor@example.invalid"]
VENV = Path(sys.prefix)  # the environment running the tests: make publish uses it instead of creating one
ADDRESS = SITE_ADDRESS  # the deploy build's address (make publish requires one): conftest's addressed_site's


def run(cmd: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **kw.pop("env", {}))
    env.pop("SOURCE_DATE_EPOCH", None)  # each build dates itself by the temporary repository's commit
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=900, **kw)
    assert done.returncode == 0, f"{' '.join(cmd)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def git(repo: Path, *args: str) -> str:
    return run(["git", *WHO, *args], repo).stdout


class Repo:
    """The project copied into a temporary git repository, with helpers to make a data release there."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "datapackage"

    def rows(self, name: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO((self.data / name).read_text(encoding="utf-8"))))

    def write(self, name: str, rows: list[list[str]]) -> None:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (self.data / name).write_text(out.getvalue(), encoding="utf-8")

    def words(self, ids=(), removed=None) -> None:
        """Keep the search vocabulary in step with services.csv, as a correct release must: an everyday word for
        each new service, none left for a removed one."""
        if not (self.data / "vocabulary.csv").is_file():
            return
        rows = self.rows("vocabulary.csv")
        header = rows[0]
        rows = [r for r in rows if r[header.index("service_id")] != removed]
        for id_ in ids:
            row = dict.fromkeys(header, "")
            row.update(word=f"测试叫法{id_}", kind="叫法", service_id=id_)
            rows.append([row[h] for h in header])
        self.write("vocabulary.csv", rows)

    @property
    def version(self) -> str:
        return json.loads((self.data / "datapackage.json").read_text(encoding="utf-8"))["version"]

    def release(self, version: str, summary: str) -> None:
        """Raise the version, add its changes row (dated after the newest), commit as a merge to main would."""
        d = json.loads((self.data / "datapackage.json").read_text(encoding="utf-8"))
        d["version"] = version
        (self.data / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        changes = self.rows("changes.csv")
        year = max(int(r[changes[0].index("date")][:4]) for r in changes[1:]) + 1
        row = {"version": version, "date": f"{year}-06-30", "document": "测试用的虚构文件", "summary": summary}
        self.write("changes.csv", changes + [[row.get(c, "") for c in changes[0]]])
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", f"数据版本 {version}：{summary}")

    def publish(self) -> subprocess.CompletedProcess:
        """`make publish`, with the environment running the tests (-o: never re-create it because requirements.txt
        looks newer than its stamp, as in a worktree whose .venv links to another checkout's). The deploy build needs
        the site's address."""
        stamp = f"{VENV}/.installed-{hashlib.sha256((self.root / 'requirements.txt').read_bytes()).hexdigest()[:12]}"
        return run(["make", "-o", stamp, "publish", f"VENV={VENV}"], self.root, env={"SITE_URL": ADDRESS})

    def freeze_and_export(self, out: Path) -> subprocess.CompletedProcess:
        """What `make publish` runs first (scripts.publish), then only the build's download step, into `out`/data/."""
        return run([str(VENV / "bin" / "python"), "-c", FREEZE_AND_EXPORT, str(out)], self.root)

    @staticmethod
    def published(data: Path) -> dict[str, dict[str, str]]:
        """version → file path → SHA-256, for every v*/ of a data/ folder (the built site's, or an export's); a
        version's page (index.html) is the site's, not a frozen file."""
        out = {}
        for folder in sorted(data.glob("v*")):
            out[folder.name[1:]] = {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                                    for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "index.html"}
        return out


FREEZE_AND_EXPORT = """
import sys
from pathlib import Path
from scripts.package import load
from scripts.publish import export
from scripts.publish.__main__ import main

if main([]) != 0:
    sys.exit(1)
data = load()
export.export(data, export.releases(data), Path(sys.argv[1]))
"""


def bump(version: str, part: int) -> str:
    numbers = [int(n) for n in version.split(".")[:3]]
    numbers[part] += 1
    return ".".join(str(n) if i <= part else "0" for i, n in enumerate(numbers))


def next_id(ids: list[str], skip: int = 0) -> str:
    last = max(ids, key=natural_key)
    prefix, digits = re.fullmatch(r"(\D*)(\d+)", last).groups()
    return f"{prefix}{int(digits) + 1 + skip:0{len(digits)}d}"


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Repo:
    root = tmp_path_factory.mktemp("publish") / "project"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, root / name)
    mkdocs_yml = root / "mkdocs.yml"  # the disclosure codes filled in, as conftest's addressed_site has them
    text = mkdocs_yml.read_text(encoding="utf-8")
    for key, value in DISCLOSURE.items():
        text, found = re.subn(rf'^(\s+{key}:)\s*"[^"\n]*"', rf'\1 "{value}"', text, count=1, flags=re.M)
        assert found, f"mkdocs.yml has no extra.disclosure.{key}"
    mkdocs_yml.write_text(text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "项目的当前状态")
    return Repo(root)


def new_services(services: list[list[str]], ids: list[str]) -> list[list[str]]:
    """Rows for new services `ids`, copied from the last row with the annex's item number (清单序号) left empty:
    a number is unique, and the copy must stay valid whether or not the annex is published."""
    header = services[0]
    rows = [[id_, *services[-1][1:]] for id_ in ids]
    if "annex_item" in header:
        for row in rows:
            row[header.index("annex_item")] = ""
    return rows


@pytest.fixture(scope="module")
def history(repo, tmp_path_factory):
    """Publish the starting state, then three releases; after each, what the site publishes and data/latest/'s names."""
    steps = []

    def publish(label, last=False):
        if last:
            repo.publish()
            data = repo.root / "site" / "data"
        else:
            out = tmp_path_factory.mktemp(f"export-{label}")
            repo.freeze_and_export(out)
            data = out / "data"
        steps.append({"label": label, "version": repo.version, "published": repo.published(data),
                      "latest": sorted(p.name for p in (data / "latest").iterdir() if p.is_file() and p.name != "index.html"),  # the page is the site's
                      "head": git(repo.root, "log", "-1", "--format=%s").strip(),
                      "dirty": git(repo.root, "status", "--porcelain").strip()})

    publish("start")
    services = repo.rows("services.csv")
    ids = [r[0] for r in services[1:]]
    added = [next_id(ids), next_id(ids, 1)]
    repo.write("services.csv", services + new_services(services, added))
    repo.words(added)
    repo.release(bump(repo.version, 1), f"增加 {added[0]} 和 {added[1]}（测试）")
    publish("added")

    services = repo.rows("services.csv")
    column = services[0].index("aliases")
    services[1][column] = "；".join(filter(None, [services[1][column], "测试别名"]))
    repo.write("services.csv", services)
    formats = repo.root / "scripts" / "publish" / "formats.py"  # the export code changes between two releases
    formats.write_text(formats.read_text(encoding="utf-8").replace(
        "def records_json(rows: list[dict]) -> bytes:\n",
        "def records_json(rows: list[dict]) -> bytes:\n    rows = [dict(r, 测试新列='新') for r in rows]\n", 1), encoding="utf-8")
    repo.release(bump(repo.version, 2), "修改一个别名，导出程序增加一列（测试）")
    publish("changed")

    services = [r for r in repo.rows("services.csv") if r[0] != added[0]]
    repo.write("services.csv", services)
    repo.words(removed=added[0])
    shutil.copy2(ROOT / "scripts" / "publish" / "formats.py", formats)  # and the export code is back as it was
    repo.release(bump(repo.version, 1), f"删除 {added[0]}（测试）")
    publish("removed", last=True)
    return steps


def test_publishing_freezes_each_new_version_and_commits_it(history, repo):
    for step in history[1:]:
        assert (repo.root / "releases" / f"v{step['version']}" / "SHA256SUMS").is_file()
        assert step["head"].startswith("发布数据版本 " + step["version"]), step["head"]
        assert step["dirty"] == "", "make publish left files uncommitted"


def test_every_earlier_version_stays_published_byte_for_byte(history):
    for i, step in enumerate(history):
        for later in history[i:]:
            for version, files in step["published"].items():
                assert later["published"].get(version) == files, f"v{version} changed after {later['label']}"
    versions = {s["version"] for s in history}
    assert versions <= set(history[-1]["published"]) and len(versions) == 4


def test_the_names_in_data_latest_never_change(history):
    assert all(step["latest"] == history[0]["latest"] for step in history)


def test_a_change_to_the_export_code_reaches_only_the_versions_after_it(history, repo):
    site = repo.root / "site" / "data"
    changed, before = history[2]["version"], history[1]["version"]
    assert "测试新列" in (site / f"v{changed}" / "tasks.json").read_text(encoding="utf-8")
    assert "测试新列" not in (site / f"v{before}" / "tasks.json").read_text(encoding="utf-8")


def test_the_download_page_the_changelog_and_the_feed_list_every_version(history, repo):
    site = repo.root / "site"
    downloads = (site / "downloads" / "index.html").read_text(encoding="utf-8")
    changelog = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    feed = ET.parse(site / "data" / "feed.xml").getroot()
    titles = " ".join(e.findtext("{http://www.w3.org/2005/Atom}title", "") for e in feed.iter("{http://www.w3.org/2005/Atom}entry"))
    for step in history:
        v = step["version"]
        assert f"data/v{v}/SHA256SUMS" in downloads, v
        assert f"版本 {v}" in changelog, v
        assert v in titles, v


def test_a_version_whose_publish_never_ran_is_frozen_from_main_s_history(repo, history):
    missing = history[1]["version"]
    shutil.rmtree(repo.root / "releases" / f"v{missing}")
    git(repo.root, "commit", "-q", "-am", f"模拟 v{missing} 的发布没有完成")
    done = run([str(VENV / "bin" / "python"), "-m", "scripts.publish"], repo.root)
    assert f"已冻结版本 {missing}" in done.stdout
    folder = repo.root / "releases" / f"v{missing}"
    assert hashlib.sha256((folder / "tasks.csv").read_bytes()).hexdigest() == history[1]["published"][missing]["tasks.csv"]


def test_changed_data_under_a_published_version_is_refused(repo, history):
    rows = repo.rows("services.csv")
    rows[1][rows[0].index("aliases")] += "；又一个测试别名"
    repo.write("services.csv", rows)
    done = subprocess.run([str(VENV / "bin" / "python"), "-m", "scripts.publish"], cwd=repo.root, capture_output=True, text=True)
    assert done.returncode == 1 and "已发布的版本不能修改" in done.stderr and "services.csv" in done.stderr
    git(repo.root, "checkout", "-q", "--", "datapackage/services.csv")


DATA_TESTS = ["test_diff.py", "test_downloads.py", "test_render.py", "test_observations.py", "test_citizen_pages.py",
              "test_provenance_pages.py", "test_xlsx_templates.py", "test_contribute.py", "test_linkcheck.py"]


def test_the_data_dependent_tests_pass_on_a_package_that_differs_from_today_s(repo, history):
    """Version, rows and changes all differ from the checked-in package, and mkdocs.yml has the disclosure codes filled
    in: the tests must derive what they expect. They read what the update loop made instead of building it again: its
    deploy site is both `site_dir` and `addressed_site`, that build's Markdown tree `site_docs`. Every test of these
    modules runs: all but a few that take milliseconds read the package (a copy of it through `package`, the site, or
    tables loaded at import), so choosing among them would save nothing."""
    tests = [f"tests/{t}" for t in DATA_TESTS if (repo.root / "tests" / t).is_file()]
    site = str(repo.root / "site")
    run([str(VENV / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", *tests], repo.root,
        env={"TEST_SITE_DIR": site, "TEST_DOCS_DIR": str(repo.root / "build" / "docs"), "TEST_ADDRESSED_SITE_DIR": site,
             "SITE_URL": ADDRESS})
