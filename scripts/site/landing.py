"""One page per published release and one for data/latest/: the releases' files in → data/v<version>/index.md and
data/latest/index.md (mkdocs renders them to index.html beside the files, so every address a citation, the DCAT
catalogue or schema.org gives for a release folder opens a page on any static host).

Each page lists the release's files with sizes and SHA-256 (read from the very bytes published), says how to check
them, cites the release in three formats, gives the licence and lists the itemised changes from the release before.
"""
import json
from pathlib import Path

from ..publish import dates, export, itemise, metadata
from ..publish.formats import sha256
from ..templating import environment
from .downloads import size


def listed(files: dict[str, bytes]) -> set[str]:
    """The names the release's own SHA256SUMS covers (a frozen release's files, not what the site added beside them)."""
    text = files.get("SHA256SUMS", b"").decode("utf-8")
    return {line.split("  ", 1)[1] for line in text.splitlines() if "  " in line}


def rows(files: dict[str, bytes], names) -> list[dict]:
    return [{"name": n, "size": size(len(files[n])), "bytes": len(files[n]), "sha256": sha256(files[n]),
             "what": metadata.file_label(n)} for n in sorted(names)]


def page(meta: dict, version: str, files: dict[str, bytes], issued: dict, base: str, changes: dict | None, here: str,
         newest: str, tables: dict | None = None) -> str:
    """The Markdown of one release's page at site folder `here` (data/v<version>/ or data/latest/)."""
    folder = f"data/v{version}/"
    covered = listed(files)
    top = [n for n in files if "/" not in n and (n in covered or n == "SHA256SUMS")]
    nested = sorted({n.split("/", 1)[0] for n in covered if "/" in n})
    added = [n for n in files if n not in covered and n != "SHA256SUMS"]
    url = base + folder if base else ""
    date = issued.get(version, "")
    cite = metadata.citation(meta, date, url)
    return environment().get_template("landing.md.j2").render(
        meta=meta, version=version, date=date, folder=folder, here=here, latest=here == "data/latest/", newest=newest,
        files=rows(files, top), nested=[(d, sum(1 for n in covered if n.startswith(d + "/"))) for d in nested],
        added=rows(files, added), licence=metadata.licence(meta), cite=cite, url=url, base=base,
        csl=json.dumps([cite["csl"]], ensure_ascii=False, indent=2), changes=changes, status=metadata.source_status(),
        change_row=next((r for r in (tables or {}).get("changes", []) if r["version"] == version), None),
        jsonld=metadata.script_json(metadata.schema_org(meta, files, folder, issued, here, base, tables if version == newest else None)))


def write(data: dict, published: dict[str, dict[str, bytes]], out: Path) -> None:
    """out/data/v<version>/index.md for every published release and out/data/latest/index.md."""
    tables = data["rows"]
    issued = dates.published(tables.get("changes", []))
    base = metadata.site_url()
    newest = data["meta"]["version"]
    for v, files in published.items():
        meta = json.loads(files["datapackage.json"])
        text = page(meta, v, files, issued, base, itemise.of(v, published), f"data/v{v}/", newest, tables)
        (Path(out) / "data" / f"v{v}" / "index.md").write_text(text, encoding="utf-8")
    current = export.latest(data["meta"], published[newest])
    text = page(json.loads(current["datapackage.json"]), newest, current, issued, base, itemise.of(newest, published),
                "data/latest/", newest, tables)
    (Path(out) / "data" / "latest" / "index.md").write_text(text, encoding="utf-8")
