"""Downloads: every format holds the package's records unchanged, releases are reproducible and never change once published."""
import csv
import datetime
import hashlib
import io
import json
import re
import shutil
import signal
import sqlite3
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from openpyxl import load_workbook

from scripts.package import load, read_tables
from scripts.publish import export, formats, freeze
from scripts.paths import DESCRIPTOR, RELEASES

META, TABLES = read_tables(DESCRIPTOR)
RESOURCES = [r["name"] for r in META["resources"]]


def latest(site_dir) -> Path:
    return site_dir / "data" / "latest"


def current(site_dir) -> Path:
    """data/v<version>/ of the version the site shows: the fixed addresses the metadata names."""
    return site_dir / "data" / f"v{shipped(site_dir)['version']}"


def shipped(site_dir) -> dict:
    return json.loads((latest(site_dir) / "datapackage.json").read_text(encoding="utf-8"))


def published_tables(site_dir):
    """The typed records of the published release, read back by frictionless from its own CSVs."""
    return read_tables(latest(site_dir) / "datapackage.json")


def fields(meta, name):
    return next(r for r in meta["resources"] if r["name"] == name)["schema"]["fields"]


def as_cell(field, value):
    """A typed record value as a spreadsheet or database cell holds it."""
    value = formats.cell_value(field, value)
    if field["type"] == "number" and value is not None:
        return float(value)
    return value


def test_every_format_holds_the_same_records_as_the_csv(site_dir):
    meta, tables = published_tables(site_dir)
    db = sqlite3.connect(latest(site_dir) / f"{meta['name']}.sqlite")
    for res in meta["resources"]:
        name, fs = res["name"], res["schema"]["fields"]
        rows = tables[name]
        assert json.loads((latest(site_dir) / f"{name}.json").read_text(encoding="utf-8")) == rows, name
        sheet = load_workbook(latest(site_dir) / f"{name}.xlsx").active
        cells = list(sheet.iter_rows(values_only=True))
        assert list(cells[0]) == [f.get("title") or f["name"] for f in fs]
        expected = [[as_cell(f, r.get(f["name"])) for f in fs] for r in rows]
        got = [[c.date() if isinstance(c, datetime.datetime) else (float(c) if f["type"] == "number" and c is not None else c)
                for f, c in zip(fs, row)] for row in cells[1:]]
        assert got == expected, name
        stored = [list(r) for r in db.execute(f'SELECT * FROM "{name}"')]
        assert stored == [[v.isoformat() if isinstance(v, datetime.date) else v for v in row] for row in expected], name


def test_the_csv_downloads_are_the_package_files_byte_for_byte(site_dir):
    meta = shipped(site_dir)
    for res in meta["resources"]:
        data = (latest(site_dir) / f"{res['name']}.csv").read_bytes()
        assert not data.startswith(formats.BOM)
        excel = (latest(site_dir) / f"{res['name']}-excel.csv").read_bytes()
        assert excel.startswith(formats.BOM)
        plain = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        shown = list(csv.reader(io.StringIO(excel[len(formats.BOM):].decode("utf-8"))))
        assert [[c[1:] if c.startswith("'") and c[1:2] in "=+-@\t\r" else c for c in row] for row in shown] == plain


def test_the_excel_csv_makes_formula_looking_cells_text_and_leaves_numbers_alone():
    raw = 'id,value,note\nA1,-5,"=HYPERLINK(""http://example.invalid"",""x"")"\nA2,+3,@SUM(1)\nA3,1,-（无）\nA4,2,=\n'.encode("utf-8")
    rows = list(csv.reader(io.StringIO(formats.excel_csv(raw)[len(formats.BOM):].decode("utf-8"))))
    assert rows[1:] == [["A1", "-5", "'=HYPERLINK(\"http://example.invalid\",\"x\")"], ["A2", "+3", "'@SUM(1)"],
                        ["A3", "1", "'-（无）"], ["A4", "2", "'="]]
    assert formats.excel_csv(b"id\nplain\n") == formats.BOM + b"id\nplain\n"


def test_a_new_way_of_writing_the_excel_csv_does_not_count_as_a_change_of_a_frozen_release():
    from scripts.publish import export
    files = {"t.csv": b"id\n=\n", "t-excel.csv": formats.BOM + b"id\n=\n", "datapackage.json": b"{}"}
    assert export.changed(files, {**files, "t-excel.csv": formats.excel_csv(files["t.csv"])}) == []
    assert export.changed(files, {**files, "t.csv": b"id\n+\n"}) == ["t.csv"]


def test_the_bom_is_present_only_in_the_excel_csv(site_dir):
    for f in sorted(p for p in latest(site_dir).rglob("*") if p.is_file()):
        assert f.read_bytes().startswith(formats.BOM) == f.name.endswith("-excel.csv"), f.name


def test_writing_the_excel_csv_leaves_the_process_broken_pipe_handling_alone():
    """csvkit sets SIGPIPE to its default action; left that way, a later write to a closed socket (a browser closing a
    page while the server still sends it) would kill the in-process build or the test run without a traceback."""
    before = signal.getsignal(signal.SIGPIPE)
    assert formats.excel_csv(b"id\n001\n") == formats.BOM + b"id\n001\n"
    assert signal.getsignal(signal.SIGPIPE) == before


def test_ids_with_leading_zeros_stay_text_and_empty_cells_are_null_in_json(site_dir):
    services = json.loads((latest(site_dir) / "services.json").read_text(encoding="utf-8"))
    assert all(isinstance(s["id"], str) for s in services)
    assert any(s["funding"] is None for s in services)
    targets = json.loads((latest(site_dir) / "targets.json").read_text(encoding="utf-8"))
    assert all(isinstance(t["value"], (int, float)) and isinstance(t["year"], int) for t in targets)


def files_in(folder: Path) -> set[str]:
    return {f.relative_to(folder).as_posix() for f in folder.rglob("*") if f.is_file()}




def added_by_the_site(name: str) -> bool:
    return name == "index.html" or name == "itemised-changes.json" or name.startswith("sources/")


def test_sha256sums_verifies_every_release_and_only_the_sites_additions_lie_outside_it(site_dir):
    for folder in sorted((site_dir / "data").glob("v*")) + [latest(site_dir)]:
        listed = dict(reversed(line.split("  ", 1)) for line in (folder / "SHA256SUMS").read_text().splitlines())
        assert set(listed) <= files_in(folder)
        assert all(added_by_the_site(n) for n in files_in(folder) - set(listed) - {"SHA256SUMS"}), folder.name
        for name, digest in listed.items():
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_the_zip_holds_the_data_the_descriptor_the_sources_and_a_readme(site_dir):
    meta = shipped(site_dir)
    with zipfile.ZipFile(latest(site_dir) / f"{meta['name']}.zip") as z:
        # the package at the archive's root (as frictionless reads a zipped package); releases frozen before had one folder
        old = f"{meta['name']}-{meta['version']}/"
        prefix = old if all(n.startswith(old) for n in z.namelist()) else ""
        names = {n[len(prefix):] for n in z.namelist()}
        assert {"README.txt", "datapackage.json", "sources/siping-plan-2017-110.txt"} <= names
        for res in meta["resources"]:
            assert z.read(prefix + f"{res['name']}.csv") == (latest(site_dir) / f"{res['name']}.csv").read_bytes()
        assert "English:" in z.read(prefix + "README.txt").decode("utf-8")


def test_the_sqlite_database_declares_primary_and_foreign_keys(site_dir):
    meta = shipped(site_dir)
    db = sqlite3.connect(latest(site_dir) / f"{meta['name']}.sqlite")
    for res in meta["resources"]:
        columns = {row[1]: row[5] for row in db.execute(f'PRAGMA table_info("{res["name"]}")')}
        assert [c for c, pk in columns.items() if pk] == res["schema"].get("primaryKey", [])
        declared = {(row[2], row[3]) for row in db.execute(f'PRAGMA foreign_key_list("{res["name"]}")')}
        assert declared == {(fk["reference"].get("resource") or res["name"], fk["fields"]) for fk in res["schema"].get("foreignKeys", [])}
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_formula_looking_text_stays_text_in_xlsx(package):
    package.set("tasks.csv", 2, "title", "=HYPERLINK(\"http://example.com\")")
    package.set("tasks.csv", 3, "title", "+1")
    package.set("tasks.csv", 4, "title", "-1")
    package.set("tasks.csv", 5, "title", "@SUM(A1)")
    files = export.build_release(load(package.descriptor))
    with zipfile.ZipFile(io.BytesIO(files["tasks.xlsx"])) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    titles = [row[3] for row in load_workbook(io.BytesIO(files["tasks.xlsx"])).active.iter_rows(min_row=2, max_row=5, values_only=True)]
    assert titles == ["=HYPERLINK(\"http://example.com\")", "+1", "-1", "@SUM(A1)"]


def test_exporting_twice_gives_identical_bytes(package, tmp_path):
    releases = tmp_path / "no-releases"
    trees = []
    for run in ("a", "b"):
        out = tmp_path / run
        data = load(package.descriptor)
        export.export(data, export.releases(data, releases), out)
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    assert any(name.endswith(".xlsx") for name in trees[0]) and any(name.endswith(".sqlite") for name in trees[0])


def bump(package, version="9.0.0"):
    package.edit_descriptor(lambda d: d.update(version=version))
    rows = package.rows("changes.csv")
    package.write_rows("changes.csv", rows + [[version, "2030-01-01", "测试文件", "测试用的新版本。", "2030-01-01"]])


def test_a_new_release_never_changes_an_older_release(package, tmp_path):
    package.set("tasks.csv", 2, "title", "改过的标题")
    bump(package)
    data = load(package.descriptor)
    export.export(data, export.releases(data), tmp_path / "docs")
    for folder in sorted(RELEASES.glob("v*")):
        published = tmp_path / "docs" / "data" / folder.name
        assert files_in(published) >= files_in(folder)
        assert all(added_by_the_site(n) for n in files_in(published) - files_in(folder))
        for name in files_in(folder):
            assert (published / name).read_bytes() == (folder / name).read_bytes(), f"{folder.name}/{name}"
    new = tmp_path / "docs" / "data" / "v9.0.0"
    assert "改过的标题" in (new / "tasks.csv").read_text(encoding="utf-8")
    assert (tmp_path / "docs" / "data" / "latest" / "tasks.csv").read_bytes() == (new / "tasks.csv").read_bytes()


def test_changed_data_under_a_frozen_version_is_refused_and_not_published(package, tmp_path, capsys):
    releases = tmp_path / "releases"
    version = json.loads(package.descriptor.read_text(encoding="utf-8"))["version"]
    done, problems, _ = freeze.freeze(package.descriptor, releases, repo=tmp_path)
    assert done == [version] and problems == []
    frozen = (releases / f"v{version}" / "tasks.csv").read_bytes()
    package.set("tasks.csv", 2, "title", "改过的标题")
    done, problems, _ = freeze.freeze(package.descriptor, releases, repo=tmp_path)
    assert done == [] and "已发布的版本不能修改" in problems[0] and "tasks.csv" in problems[0]
    assert (releases / f"v{version}" / "tasks.csv").read_bytes() == frozen
    data = load(package.descriptor)
    export.export(data, export.releases(data, releases), tmp_path / "docs")
    assert "已发布的版本不能修改" in capsys.readouterr().err
    assert (tmp_path / "docs" / "data" / f"v{version}" / "tasks.csv").read_bytes() == frozen


def test_an_empty_resource_is_exported_with_its_header_only(package, tmp_path):
    rows = package.rows("milestones.csv")
    package.write_rows("milestones.csv", rows[:1])
    files = export.build_release(load(package.descriptor))
    assert json.loads(files["milestones.json"]) == []
    assert files["milestones.csv"] == (package.root / "milestones.csv").read_bytes()
    assert len(list(load_workbook(io.BytesIO(files["milestones.xlsx"])).active.iter_rows())) == 1


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.scripts, self._in = [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        self._in = tag == "script" and a.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in:
            self.scripts.append(data)

    def handle_endtag(self, tag):
        self._in = False


def page(site_dir, path):
    parser = Links()
    parser.feed((site_dir / path / "index.html").read_text(encoding="utf-8"))
    return parser


def resolves(site_dir, base, href) -> bool:
    url = urlparse(urljoin(f"http://site/{base}", href))
    if url.netloc != "site":
        return True
    target = site_dir / unquote(url.path).lstrip("/")
    return target.is_file() or (target / "index.html").is_file()


def test_every_link_on_the_download_page_resolves_in_the_built_site(site_dir):
    hrefs = page(site_dir, "downloads").hrefs
    assert sum("data/v" in h for h in hrefs) >= len(export.TABLE_FILES) * len(shipped(site_dir)["resources"])
    assert [h for h in hrefs if not resolves(site_dir, "downloads/", h)] == []


def test_the_json_ld_parses_and_names_every_distribution(site_dir):
    scripts = page(site_dir, "downloads").scripts
    assert len(scripts) == 1
    dataset = json.loads(scripts[0])
    assert dataset["@type"] == "Dataset" and dataset["version"] == shipped(site_dir)["version"]
    names = {d["name"] for d in dataset["distribution"]}
    assert names == {f.name for f in current(site_dir).iterdir() if f.is_file() and f.name != "index.html"}
    assert all(resolves(site_dir, "downloads/", d["contentUrl"]) for d in dataset["distribution"])


def test_the_dcat_catalogue_parses_and_names_every_distribution(site_dir):
    catalogue = json.loads((site_dir / "data" / "catalog.jsonld").read_text(encoding="utf-8"))
    version = shipped(site_dir)["version"]
    dataset = next(d for d in catalogue["dcat:dataset"] if d.get("dcat:version") == version)
    names = {d["dct:title"]["@value"] for d in dataset["dcat:distribution"]}
    assert names == {f.name for f in current(site_dir).iterdir() if f.is_file() and f.name != "index.html"}
    for d in dataset["dcat:distribution"]:
        assert resolves(site_dir, "data/", d["dcat:downloadURL"]["@id"])
        data = (current(site_dir) / d["dct:title"]["@value"]).read_bytes()
        assert d["spdx:checksum"]["spdx:checksumValue"]["@value"] == hashlib.sha256(data).hexdigest()
        assert int(d["dcat:byteSize"]["@value"]) == len(data)


def test_text_in_the_data_cannot_close_the_json_ld_script(package):
    from scripts.publish import metadata
    text = metadata.script_json({"title": "</script><script>alert(1)</script>"})
    assert "</script" not in text and json.loads(text) == {"title": "</script><script>alert(1)</script>"}


def test_the_atom_feed_has_one_entry_per_change_and_escapes_text(site_dir, package, tmp_path):
    import xml.etree.ElementTree as ET
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(site_dir / "data" / "feed.xml").getroot()
    assert len(feed.findall("a:entry", ns)) == len(TABLES["changes"])
    for entry in feed.findall("a:entry", ns):
        assert resolves(site_dir, "data/", entry.find("a:link", ns).get("href").split("#")[0])
    bump(package)
    package.set("changes.csv", len(package.rows("changes.csv")), "summary", "<b>&测试</b>")
    data = load(package.descriptor)
    export.export(data, export.releases(data, tmp_path / "no-releases"), tmp_path / "docs")
    feed = ET.parse(tmp_path / "docs" / "data" / "feed.xml").getroot()
    assert "<b>&测试</b>" in feed.find("a:entry/a:summary", ns).text


def test_csvw_metadata_describes_every_column_of_every_csv(site_dir):
    group = json.loads((latest(site_dir) / "csv-metadata.json").read_text(encoding="utf-8"))
    assert sorted(t["url"] for t in group["tables"]) == sorted(f"{r['name']}.csv" for r in shipped(site_dir)["resources"])
    for table in group["tables"]:
        header = next(csv.reader(io.StringIO((latest(site_dir) / table["url"]).read_text(encoding="utf-8"))))
        assert [c["name"] for c in table["tableSchema"]["columns"] if not c.get("virtual")] == header


def test_each_service_page_links_its_json_record_with_provenance(site_dir):
    for s in TABLES["services"][:5]:
        assert any(h.endswith(f"{s['id']}.json") and resolves(site_dir, f"services/{s['id']}/", h) for h in page(site_dir, f"services/{s['id']}").hrefs)
        record = json.loads((site_dir / "services" / f"{s['id']}.json").read_text(encoding="utf-8"))
        assert record["record"]["id"] == s["id"] and record["version"] == META["version"]
        assert {p["field"] for p in record["provenance"]} >= {"name", "content_standard"}
        assert all("quote" in p and "section" in p for p in record["provenance"])


def test_the_dictionary_lists_every_field_and_the_changelog_every_version(site_dir):
    dictionary = (site_dir / "dictionary" / "index.html").read_text(encoding="utf-8")
    for res in shipped(site_dir)["resources"]:
        for f in res["schema"]["fields"]:
            assert f">{f['name']}<" in dictionary, f["name"]
    changelog = (site_dir / "changelog" / "index.html").read_text(encoding="utf-8")
    assert all(f"版本 {c['version']}" in changelog for c in TABLES["changes"])


def test_a_workbook_dated_before_1980_is_written_with_the_earliest_zip_date():
    """Built outside git (SOURCE_DATE_EPOCH 0), a version not yet published is dated 1970-01-01; ZIP cannot hold a date
    before 1980, so the workbook carries 1980-01-01 instead of stopping the build."""
    from scripts.publish.formats import FixedZip
    buffer = io.BytesIO()
    with FixedZip(buffer, datetime.date(1970, 1, 1)) as archive:
        archive.writestr("a.txt", b"x")
    assert zipfile.ZipFile(buffer).infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)
