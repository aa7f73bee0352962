"""Render the download page from the published files: releases (version → file bytes) in → downloads/index.md out.

Sizes, row counts and checksums are read from the very files that are published, so the page always matches them.
"""
import json
from pathlib import Path

from ..publish import dates as release_days, export, metadata
from ..publish.formats import sha256
from ..templating import environment

FORMATS = export.TABLE_FILES + export.OLD_TABLE_FILES  # the names a release gives each table's files


def size(n: int) -> str:
    if n < 1024:
        return f"{n} 字节"
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def last_change(name: str, published: dict[str, dict[str, bytes]], dates: dict) -> str:
    """The publication day of the oldest release from which the resource's CSV has stayed the same."""
    since, previous = None, None
    for v, files in published.items():
        data = files.get(f"{name}.csv")
        if data is not None and data != previous:
            since = v
        previous = data
    return dates.get(since, "") if since else ""


def download_page(meta: dict, current: dict[str, bytes], published: dict[str, dict[str, bytes]], dates: dict, base: str,
                  tables: dict | None = None) -> str:
    """The Markdown of downloads/index.md for the current release `meta` (its shipped datapackage.json)."""
    version, name = meta["version"], meta["name"]
    folder = f"data/v{version}/"
    resources = []
    for res in meta["resources"]:
        n = res["name"]
        resources.append({"name": n, "title": res.get("title", n), "rows": len(json.loads(current[f"{n}.json"])),
                          "formats": [(label, pattern.format(n), size(len(current[pattern.format(n)]))) for label, pattern in FORMATS
                                      if pattern.format(n) in current],
                          "sha256": sha256(current[f"{n}.csv"]), "changed": last_change(n, published, dates)})
    whole = [(label, f, size(len(current[f])), sha256(current[f])) for label, f in
             [("数据包描述文件", "datapackage.json"), ("CSVW 说明（全部表）", "csv-metadata.json"),
              ("全部数据（ZIP 压缩包）", next((f for f in current if f.endswith(".zip")), "")), ("SQLite 数据库", f"{name}.sqlite"),
              ("BibTeX 引用", "CITATION.bib"), ("CSL-JSON 引用", "CITATION.json"), ("校验和", "SHA256SUMS")] if f in current]
    versions = [{"version": v, "date": dates.get(v, ""), "anchor": metadata.anchor(v),
                 "zip": next((f for f in files if f.endswith(".zip")), None),
                 "files": [(f, size(len(b)), sha256(b)) for f, b in files.items() if "/" not in f]}
                for v, files in reversed(published.items())]
    date = dates.get(version, "")
    url = base + folder if base else ""
    cite = metadata.citation(meta, date, url)
    return environment().get_template("downloads.md.j2").render(
        meta=meta, version=version, date=date, folder=folder, resources=resources, whole=whole, versions=versions,
        licence=metadata.licence(meta), cite=cite, csl=json.dumps([cite["csl"]], ensure_ascii=False, indent=2), base=base,
        status=metadata.source_status(), csvw="csv-metadata.json" in current,
        jsonld=metadata.script_json(metadata.schema_org(meta, current, folder, dates, "downloads/", base, tables)))


def write(data: dict, published: dict[str, dict[str, bytes]], out: Path) -> None:
    """out/downloads/index.md for the package's version, from the files published for it."""
    current = published[data["meta"]["version"]]
    dates = release_days.published(data["rows"].get("changes", []))
    target = Path(out) / "downloads" / "index.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(download_page(json.loads(current["datapackage.json"]), current, published, dates, metadata.site_url(), data["rows"]),
                      encoding="utf-8")
