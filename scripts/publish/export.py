"""Write every download into the docs tree: the loaded package + frozen releases (releases/v*/) in → out/data/…,
out/services/<id>.json, out/targets/<id>.json.

A published release never changes: data/v<version>/ holds the frozen files of releases/v<version>/
byte for byte; only a version not frozen yet is built fresh from the package. Beside a frozen release's files the site
adds what it lacks and every newer release carries: its source texts (sources/…, where documents.csv's text_path points,
taken from its own ZIP) and its itemised changes from the release before (itemised-changes.json); its SHA256SUMS stays
as frozen. data/latest/ holds the current version's files. If the package's data differ from the frozen files of its
own version, the frozen files are published and a warning says to raise the version. Exporting twice gives identical
bytes.
"""
import copy
import datetime
import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

from . import dates, formats, itemise, metadata
from .. import cache
from ..paths import RELEASES
from ..templating import environment

CSVW = "csv-metadata.json"  # CSVW's default name for the metadata of every CSV in its folder
TABLE_FILES = [("CSV", "{}.csv"), ("Excel 用 CSV", "{}-excel.csv"), ("Excel 表格", "{}.xlsx"), ("JSON", "{}.json")]
"""Each table's files in a release: (label on the download page, file name pattern), in this order."""
OLD_TABLE_FILES = [("CSVW 说明", "{}.csv-metadata.json")]  # per-table CSVW, in releases frozen before the table group

FROZEN_CHANGED = "已发布的版本不能修改，请提升版本号并在 changes.csv 中增加一行"


def release_date(meta: dict, tables: dict) -> str:
    """The date of the `changes` row for the package's version (the newest row, by the validator's rule)."""
    rows = tables.get("changes", [])
    row = next((r for r in rows if r.get("version") == meta.get("version")), None)
    return (row or {}).get("date") or max((r.get("date") or "" for r in rows), default="") or "1980-01-01"


def zip_name(meta: dict) -> str:
    """The ZIP's file name: the same in every release and in data/latest/ (the version is in the folder's path only)."""
    return f"{meta['name']}.zip"


def build_release(data: dict, previous: tuple[str, dict[str, bytes]] | None = None) -> dict[str, bytes]:
    """Every file of the package's current version: name (a path inside data/v<version>/) → bytes.
    `data` is scripts.package.load()'s result; `previous`, (version, files) of the release before it, whose itemised
    changes to this one the release carries."""
    meta, tables, base_dir, read = data["meta"], data["rows"], data["base"], data["csv_bytes"]
    version, name = meta["version"], meta["name"]
    # the day its files go out: the citation's, and the date inside every file (never the approving document's)
    when = dates.published(tables.get("changes", [])).get(version) or release_date(meta, tables)
    date = datetime.date.fromisoformat(when)
    base = metadata.site_url()
    url = f"{base}data/v{version}/" if base else ""
    terms = metadata.terms(meta, url)
    shipped = copy.deepcopy(meta)
    if base:  # where the data live: known only to the deploy build (SITE_URL), so not part of what a release says
        shipped["homepage"] = base
    files, csvs = {}, {}
    for res, out in zip(meta["resources"], shipped["resources"]):
        n = res["name"]
        raw = read[n]  # the file's bytes as the package read them: published unchanged
        out["path"] = f"{n}.csv"
        csvs[f"{n}.csv"] = raw
        xlsx = cache.made("xlsx", (res, tables[n], date, terms), lambda: formats.xlsx(res, tables[n], date, terms))
        made = [raw, formats.excel_csv(raw), xlsx, formats.records_json(tables[n])]
        files.update({pattern.format(n): content for (_, pattern), content in zip(TABLE_FILES, made)})
    files["datapackage.json"] = metadata.dumps(shipped)
    files[CSVW] = metadata.csvw(shipped, when)
    cite = metadata.citation(meta, when, url)
    files["CITATION.bib"] = cite["bibtex"].encode("utf-8")
    files["CITATION.json"] = metadata.dumps([cite["csl"]])
    sources = {f"sources/{p.relative_to(base_dir / 'sources').as_posix()}": p.read_bytes()
               for p in sorted((base_dir / "sources").rglob("*")) if p.is_file()} if (base_dir / "sources").is_dir() else {}
    readme = environment().get_template("readme.txt.j2").render(meta=shipped, date=when, tables=tables, sources=sources,
                                                                 terms=terms, cite=cite, csvw=CSVW)
    inside = {"README.txt": readme.encode("utf-8"), "datapackage.json": files["datapackage.json"], CSVW: files[CSVW],
              "CITATION.bib": files["CITATION.bib"], "CITATION.json": files["CITATION.json"], **csvs, **sources}
    files[zip_name(meta)] = formats.zip_package(inside, date)  # datapackage.json at the root: `frictionless validate x.zip` reads it
    files[f"{name}.sqlite"] = formats.sqlite(meta["resources"], tables, terms)
    files.update({f"services/{k}": v for k, v in service_records(meta, tables, when, base).items()})
    files.update({f"targets/{k}": v for k, v in target_records(meta, tables, when, base).items()})
    files.update(sources)  # where documents.csv's text_path points, relative to datapackage.json
    if previous:
        files[itemise.FILE] = itemise.dumps(itemise.itemise(previous[0], previous[1], version, files))
    files["SHA256SUMS"] = formats.sha256sums(files)
    return files


def before(version: str, published: dict[str, dict[str, bytes]]) -> tuple[str, dict[str, bytes]] | None:
    """(version, files) of the newest published release older than `version`, or None."""
    v = itemise.previous(version, published)
    return (v, published[v]) if v else None


def served(version: str, files: dict[str, bytes], previous: tuple[str, dict[str, bytes]] | None) -> dict[str, bytes]:
    """A release's files as the site serves them: the frozen files unchanged, plus what a release frozen before these
    were part of every release lacks (its source texts from its own ZIP, its itemised changes)."""
    out = dict(files)
    if not any(n.startswith("sources/") for n in files):
        out.update({n: b for n, b in content(files).items() if n.startswith("sources/")})
    if previous and itemise.FILE not in files:
        out[itemise.FILE] = itemise.dumps(itemise.itemise(previous[0], previous[1], version, files))
    return out


def latest(meta: dict, files: dict[str, bytes]) -> dict[str, bytes]:
    """data/latest/: the current version's files under names that never change. A release frozen before the ZIP's name
    became stable has the version in it; here it gets the stable name, and SHA256SUMS is computed for these names."""
    renamed = {(zip_name(meta) if n.endswith(".zip") and "/" not in n else n): b for n, b in files.items()}
    if renamed.keys() != files.keys():
        renamed["SHA256SUMS"] = formats.sha256sums({n: b for n, b in renamed.items() if n != "SHA256SUMS"})
    return renamed


def frozen(releases: Path = RELEASES) -> dict[str, dict[str, bytes]]:
    """version → the frozen files of releases/v<version>/, oldest first."""
    if not releases.is_dir():
        return {}
    found = {p.name[1:]: {f.relative_to(p).as_posix(): f.read_bytes() for f in sorted(p.rglob("*")) if f.is_file()}
             for p in releases.iterdir() if p.is_dir() and p.name.startswith("v")}
    return dict(sorted(found.items(), key=lambda kv: metadata.version_key(kv[0])))


def content(files: dict[str, bytes]) -> dict[str, bytes]:
    """What a release says, independent of library versions and of how the formats are written: the descriptor (read,
    without its homepage), the package's CSVs and the zipped source texts (the Excel CSV is a format of the CSV, like
    the workbook)."""
    out = {n: b for n, b in files.items() if n.endswith(".csv") and not n.endswith("-excel.csv")}
    if "datapackage.json" in files:  # its homepage is where the site was built for, not what the release says
        out["datapackage.json"] = metadata.dumps({k: v for k, v in json.loads(files["datapackage.json"]).items() if k != "homepage"})
    for n, b in files.items():
        if n.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(b)) as z:
                # "sources/…" at the root, or inside one folder in releases frozen before the package moved to the root
                out.update({"sources/" + e.split("sources/", 1)[1]: z.read(e) for e in z.namelist() if e.startswith("sources/") or "/sources/" in e})
    return out


def changed(old: dict[str, bytes], new: dict[str, bytes]) -> list[str]:
    """Files whose content differ between two builds of one version (added, removed or changed)."""
    a, b = content(old), content(new)
    return sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))


def write(folder: Path, files: dict[str, bytes]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for n, b in files.items():
        (folder / n).parent.mkdir(parents=True, exist_ok=True)
        (folder / n).write_bytes(b)


def releases(data: dict, frozen_in: Path = RELEASES) -> dict[str, dict[str, bytes]]:
    """Every version to publish: version → file name → bytes, oldest first. The frozen releases as they are, and the
    package's own version (its frozen files if it has them, else built fresh from the package)."""
    version = data["meta"]["version"]
    published = frozen(frozen_in)
    current = build_release(data, before(version, published))
    if version in published:
        diff = changed(published[version], current)
        if diff:
            print(f"警告：数据包的版本号仍是 {version}，但内容与已发布的 v{version} 不同（{'、'.join(diff)}）。"
                  f"下载文件仍提供已发布的版本。{FROZEN_CHANGED}。", file=sys.stderr)
        current = published[version]
    published[version] = current
    ordered = dict(sorted(published.items(), key=lambda kv: metadata.version_key(kv[0])))
    return {v: served(v, files, before(v, ordered)) for v, files in ordered.items()}


def export(data: dict, published: dict[str, dict[str, bytes]], out: Path) -> None:
    """Write data/v*/, data/latest/, the feed, the catalogue and one JSON per service into `out`."""
    out = Path(out)
    meta, tables = data["meta"], data["rows"]
    version = meta["version"]
    current = published[version]
    for v, files in published.items():
        write(out / "data" / f"v{v}", files)
    write(out / "data" / "latest", latest(meta, current))
    issued = dates.published(tables.get("changes", []))
    base = metadata.site_url()
    changes = {v: itemise.of(v, published) for v in published}
    (out / "data" / "feed.xml").write_bytes(metadata.atom(meta, tables.get("changes", []), set(published), "data", base, issued, changes))
    (out / "data" / "catalog.jsonld").write_bytes(metadata.dcat_catalogue(published, issued, "data", base, tables))
    for kind, records in (("services", service_records(meta, tables, issued.get(version), base)),
                          ("targets", target_records(meta, tables, issued.get(version), base))):
        for n, b in records.items():  # <kind>/<id>.json beside the record's page: the current record
            (out / kind / n).parent.mkdir(parents=True, exist_ok=True)
            (out / kind / n).write_bytes(b)


def service_records(meta: dict, tables: dict, date: str | None = None, base: str = "") -> dict[str, bytes]:
    """<id>.json for each service: the record with every field, where each value was found, the version, the source,
    its page's address and a citation of this one record."""
    return _records(meta, tables, "services", date, base)


def target_records(meta: dict, tables: dict, date: str | None = None, base: str = "") -> dict[str, bytes]:
    """<id>.json for each target (基数或目标): the record, its quote and section, the version, the source, the address
    of its row on the targets page and a citation of this one record."""
    return _records(meta, tables, "targets", date, base)


RECORD_PAGES = {"services": "services/{id}/", "targets": "targets/#{anchor}"}
"""Where each citable record has its stable address on the site (a page, or a row of a page)."""


def record_page(kind: str, row: dict) -> str:
    return RECORD_PAGES[kind].format(id=row["id"], anchor=str(row["id"]).lower())


def record_citation(meta: dict, kind: str, row: dict, date: str, base: str) -> str:
    """GB/T 7714 for one service or target of the release `meta`, published on `date`."""
    table = next((r.get("title", kind) for r in meta["resources"] if r["name"] == kind), kind)
    return metadata.record_citation(meta, date, table, row["id"], _name(row), base + record_page(kind, row) if base else "")


def _records(meta: dict, tables: dict, kind: str, date: str | None, base: str) -> dict[str, bytes]:
    res = next((r for r in meta["resources"] if r["name"] == kind), None)
    if res is None:
        return {}
    fields = res["schema"]["fields"]
    source = (meta.get("sources") or [{}])[0]
    records = {}
    for row in tables[kind]:
        provenance = []
        for f in fields:
            if f.get("quotedIn"):
                status = next((g["name"] for g in fields if g.get("statusFor") == f["name"]), None)
                entry = {"field": f["name"], "title": f.get("title"), "value": row.get(f["name"])}
                if status:
                    entry["status"] = row.get(status)
                entry.update(quote=row.get(f["quotedIn"]), section=row.get("section"))
                provenance.append(entry)
        if not provenance and row.get("quote") is not None:  # a record quoted as a whole (targets): one quote, one section
            provenance.append({"field": "*", "quote": row.get("quote"), "section": row.get("section")})
        url = (base + record_page(kind, row)) if base else ""
        record = {"dataset": meta.get("name"), "version": meta.get("version"), "resource": kind,
                  "license": metadata.licence(meta).get("path"), "source": {"title": source.get("title"), "url": source.get("path")},
                  "record": row, "titles": {f["name"]: f.get("title") for f in fields}, "provenance": provenance}
        if url:
            record["url"] = url
        if date:
            record["citation"] = record_citation(meta, kind, row, date, base)
        records[f"{row['id']}.json"] = metadata.dumps(record)
    return records


def _name(row: dict) -> str:
    return next((str(row[k]) for k in ("name", "indicator", "title") if row.get(k)), row.get("id", ""))
