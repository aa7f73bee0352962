"""Describe a release for machines and for citation, all from datapackage.json (one source): descriptor + files in →
CSVW table metadata, schema.org Dataset JSON-LD, a DCAT catalogue, an Atom feed of releases, a README and citations.

Addresses: when mkdocs.yml sets `site_url` every link is absolute; otherwise links are relative to the document
that holds them (they work wherever the site is published) and Atom ids are `tag:` URIs, which need no host.
Nothing here reads the clock: every date comes from the `changes` table.
"""
import json
import posixpath
import re
from xml.sax.saxutils import escape, quoteattr

from ..package import anchor, version_key
from ..paths import MKDOCS_YML

MEDIA_TYPES = {".csv": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               ".json": "application/json", ".zip": "application/zip", ".sqlite": "application/vnd.sqlite3",
               ".txt": "text/plain", "SHA256SUMS": "text/plain"}
CSVW_TYPES = {"string": "string", "integer": "integer", "number": "decimal", "date": "date", "boolean": "boolean",
              "datetime": "dateTime", "time": "time", "year": "gYear"}


def site_url(config=MKDOCS_YML) -> str:
    """mkdocs.yml's site_url, or "" while the publishing address is not decided."""
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", config.read_text(encoding="utf-8"), re.M)
    return match.group(1).rstrip("/") + "/" if match else ""


def link(path: str, here: str, base: str = "") -> str:
    """The address of site path `path` as written in the document at site folder `here`."""
    return base + path if base else posixpath.relpath(path, here or ".") + ("/" if path.endswith("/") else "")


def media_type(name: str) -> str:
    return next((t for end, t in MEDIA_TYPES.items() if name.endswith(end)), "application/octet-stream")


def dumps(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def csvw(resource: dict) -> bytes:
    """CSV on the Web table metadata for `<name>.csv`, next to it."""
    schema = resource["schema"]
    columns = []
    for f in schema["fields"]:
        c = {"name": f["name"], "titles": [t for t in (f.get("title"), f["name"]) if t]}
        datatype = {"base": CSVW_TYPES.get(f.get("type"), "string")}
        cons = f.get("constraints", {})
        if f.get("type") == "list":
            c["separator"] = f.get("delimiter", ",")
        if "pattern" in cons:
            datatype["format"] = cons["pattern"]
        for k in ("minimum", "maximum", "minLength", "maxLength"):
            if k in cons:
                datatype[k] = cons[k]
        c["datatype"] = datatype if len(datatype) > 1 else datatype["base"]
        if cons.get("required"):
            c["required"] = True
        if f.get("description"):
            c["dc:description"] = f["description"]
        columns.append(c)
    table = {"columns": columns}
    if schema.get("primaryKey"):
        table["primaryKey"] = schema["primaryKey"]
    if schema.get("foreignKeys"):
        table["foreignKeys"] = [{"columnReference": fk["fields"], "reference": {
            "resource": f"{fk['reference'].get('resource') or resource['name']}.csv", "columnReference": fk["reference"]["fields"]}}
            for fk in schema["foreignKeys"]]
    return dumps({"@context": ["http://www.w3.org/ns/csvw", {"@language": "zh"}], "url": f"{resource['name']}.csv",
                  "dc:title": resource.get("title", resource["name"]), "dc:description": resource.get("description", ""),
                  "dialect": {"encoding": "utf-8", "header": True}, "tableSchema": table})


def licence(meta: dict) -> dict:
    return (meta.get("licenses") or [{}])[0]


def publisher(meta: dict) -> str:
    people = meta.get("contributors") or []
    return next((c.get("title") for c in people if c.get("role") == "publisher"), people[0].get("title") if people else "")


def distributions(files: dict[str, bytes], folder: str, here: str, base: str) -> list[dict]:
    """The release's files at its top level (the per-record JSON files in subfolders are parts, not distributions)."""
    return [{"name": n, "url": link(f"{folder}{n}", here, base), "type": media_type(n), "size": len(b)}
            for n, b in files.items() if "/" not in n]


def schema_org(meta: dict, files: dict[str, bytes], folder: str, dates: dict, here: str, base: str) -> dict:
    """A schema.org Dataset naming every file of the release as a DataDownload."""
    version = meta.get("version")
    out = {"@context": "https://schema.org", "@type": "Dataset", "name": meta.get("title"), "description": meta.get("description"),
           "version": version, "inLanguage": meta.get("language"), "keywords": meta.get("keywords", []),
           "license": licence(meta).get("path"), "creator": {"@type": "Organization", "name": publisher(meta)},
           "isBasedOn": [s.get("path") for s in meta.get("sources", [])],
           "datePublished": min(dates.values(), default=None), "dateModified": dates.get(version),
           "distribution": [{"@type": "DataDownload", "name": d["name"], "encodingFormat": d["type"], "contentUrl": d["url"],
                             "contentSize": f"{d['size']} B"} for d in distributions(files, folder, here, base)]}
    if base:
        out["url"] = base + "downloads/"
    return out


def script_json(value) -> str:
    """JSON for a <script> element: `<`, `>` and `&` escaped, so no text in the data can close the element."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def dcat(meta: dict, files: dict[str, bytes], folder: str, dates: dict, versions: list[str], here: str, base: str) -> bytes:
    """A DCAT catalogue (JSON-LD) with the current release as one dataset and every file as a distribution."""
    version = meta.get("version")
    dataset = {"@type": "dcat:Dataset", "dct:title": meta.get("title"), "dct:description": meta.get("description"),
               "dct:identifier": meta.get("name"), "dcat:version": version, "dct:language": meta.get("language"),
               "dcat:keyword": meta.get("keywords", []), "dct:license": {"@id": licence(meta).get("path")},
               "dct:publisher": {"@type": "foaf:Organization", "foaf:name": publisher(meta)},
               "dct:source": [{"@id": s.get("path")} for s in meta.get("sources", [])],
               "dct:issued": min(dates.values(), default=None), "dct:modified": dates.get(version),
               "dct:hasVersion": [{"@id": link("downloads/", here, base) + f"#v{anchor(v)}"} for v in versions],
               "dcat:distribution": [{"@type": "dcat:Distribution", "dct:title": d["name"], "dcat:downloadURL": {"@id": d["url"]},
                                      "dcat:mediaType": d["type"], "dcat:byteSize": d["size"],
                                      "spdx:checksum": {"spdx:algorithm": "spdx:checksumAlgorithm_sha256",
                                                        "spdx:checksumValue": _sha(files[d["name"]])}}
                                     for d in distributions(files, folder, here, base)]}
    context = {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
               "spdx": "http://spdx.org/rdf/terms#", "@language": "zh"}
    return dumps({"@context": context, "@type": "dcat:Catalog", "dct:title": meta.get("title"), "dcat:dataset": [dataset]})


def _sha(data: bytes) -> str:
    from .formats import sha256
    return sha256(data)


def atom(meta: dict, changes: list[dict], published: set[str], here: str, base: str) -> bytes:
    """An Atom feed with one entry per `changes` row, newest first; ids are tag: URIs unless site_url is set."""
    rows = sorted(changes, key=lambda r: version_key(r["version"]), reverse=True)
    first = min((r["date"] for r in rows), default="1970-01-01")
    tag = lambda part: f"{base}{part}" if base else f"tag:{meta.get('name')},{first}:{part}"
    stamp = lambda d: f"{d}T00:00:00+08:00"
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
           f"  <title>{escape(meta.get('title', ''))}：版本记录</title>", f"  <id>{escape(tag('data/feed.xml'))}</id>",
           f"  <updated>{stamp(rows[0]['date'] if rows else first)}</updated>",
           f"  <author><name>{escape(publisher(meta))}</name></author>",
           f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(link('changelog/', here, base))}/>"]
    if base:
        out.append(f"  <link rel=\"self\" href={quoteattr(base + 'data/feed.xml')}/>")
    for r in rows:
        v = r["version"]
        href = link("downloads/" if v in published else "changelog/", here, base) + f"#v{anchor(v)}"
        out += ["  <entry>", f"    <title>版本 {escape(v)}（{escape(r['date'])}）</title>", f"    <id>{escape(tag('release/' + v))}</id>",
                f"    <updated>{stamp(r['date'])}</updated>", f"    <link href={quoteattr(href)}/>",
                f"    <summary>{escape(r.get('summary') or '')}（依据：{escape(r.get('document') or '')}）</summary>", "  </entry>"]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def citation(meta: dict, date: str, url: str) -> dict:
    """GB/T 7714—2015 (dataset, [DS/OL]) and BibTeX, with the version; the address only when it is known."""
    who, title, version = publisher(meta), meta.get("title", ""), meta.get("version", "")
    gbt = f"{who}. {title}: 版本 {version}[DS/OL]. ({date})"
    gbt += f"[引用日期]. {url}." if url else "[引用日期]."
    key = re.sub(r"[^0-9a-z]+", "", (meta.get("name") or "data").lower())[:24] + (date or "")[:4]
    lines = [f"@misc{{{key},", f"  author    = {{{{{who}}}}},", f"  title     = {{{{{title}}}}},", f"  version   = {{{version}}},",
             f"  year      = {{{(date or '')[:4]}}},", f"  date      = {{{date}}},", "  note      = {[DS/OL]},"]
    if url:
        lines.append(f"  url       = {{{url}}},")
    lines.append("}")
    return {"gbt": gbt, "bibtex": "\n".join(lines)}
