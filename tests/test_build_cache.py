"""The build makes an Excel file again only when its inputs or the code that writes it changed (scripts/cache.py);
a file from the cache is the same bytes as a fresh one."""
import datetime

from scripts import cache
from scripts.office.xlsx_templates import write_templates
from scripts.package import load
from scripts.paths import DESCRIPTOR


def counting():
    calls = []

    def make():
        calls.append(1)
        return f"file {len(calls)}".encode()
    return calls, make


def test_outside_a_build_every_file_is_made_afresh():
    calls, make = counting()
    assert cache.made("t", {"a": 1}, make) == b"file 1"
    assert cache.made("t", {"a": 1}, make) == b"file 2"


def test_inside_a_build_a_file_is_made_once_per_digest_of_its_inputs(tmp_path):
    calls, make = counting()
    with cache.using(tmp_path):
        assert cache.made("t", {"a": 1}, make) == b"file 1"
        assert cache.made("t", {"a": 1}, make) == b"file 1"
        assert cache.made("t", {"a": 2}, make) == b"file 2"
        assert cache.made("other", {"a": 1}, make) == b"file 3"
    assert len(calls) == 3
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_date_and_the_same_text_are_different_inputs():
    assert cache.key("t", [datetime.date(2017, 12, 19)]) != cache.key("t", ["2017-12-19"])
    assert cache.key("t", [2017]) != cache.key("t", ["2017"])
    assert cache.key("t", {"b": 1, "a": 2}) == cache.key("t", {"a": 2, "b": 1})


def test_the_key_changes_with_the_code_that_writes_the_file(monkeypatch):
    before = cache.key("t", [1])
    monkeypatch.setattr(cache, "_code", lambda: b"another writer")
    assert cache.key("t", [1]) != before


def test_templates_from_the_cache_are_the_bytes_of_fresh_ones(tmp_path):
    data = load(DESCRIPTOR)
    fresh = {p.name: p.read_bytes() for p in write_templates(data, tmp_path / "fresh")}
    with cache.using(tmp_path / "cache"):
        write_templates(data, tmp_path / "first")
        again = {p.name: p.read_bytes() for p in write_templates(data, tmp_path / "second")}
    assert again == fresh
    assert len(list((tmp_path / "cache").rglob("*.bin"))) == len(fresh)
