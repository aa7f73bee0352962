"""Describe a release for machines and for citation, all from datapackage.json (one source): descriptor + files in →
CSVW table metadata, schema.org Dataset JSON-LD, a DCAT catalogue, an Atom feed of releases, a README and citations.

Addresses: when mkdocs.yml sets `site_url` every link is absolute; otherwise links are relative to the document
that holds them (they work wherever the site is published) and Atom ids are `tag:` URIs, which need no host.
Nothing here reads the clock: every date comes from the `changes` table: a release's first publication from its
`published` day (scripts.publish.dates), the approving document's date only where the document is meant.
"""
import json
import posixpath
import re

import yaml
from yaml_env_tag import construct_env_tag
from xml.sax.saxutils import escape, quoteattr

from ..office.diff import shown
from ..package import anchor, version_key
from .formats import sha256
from ..paths import MKDOCS_YML

MEDIA_TYPES = {".csv": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               ".json": "application/json", ".zip": "application/zip", ".sqlite": "application/vnd.sqlite3",
               ".txt": "text/plain", "SHA256SUMS": "text/plain"}
DICTIONARY = "../../dictionary/"  # the data dictionary, from a release folder data/v<version>/ (or data/latest/)
CSVW_TYPES = {"string": "string", "integer": "integer", "number": "decimal", "date": "date", "boolean": "boolean",
              "datetime": "dateTime", "time": "time", "year": "gYear"}


NO_SITE_URL = ("没有网站地址，不发布：引用、DCAT 目录和 schema.org 会没有访问路径。发布工作流从 actions/configure-pages 的 "
               "base_url 取得 GitHub Pages 的网站地址，设为环境变量 SITE_URL；在本机构建不需要它。")


def site_url(config=MKDOCS_YML) -> str:
    """The site's address with a trailing slash, or "" when it is not configured. mkdocs.yml says
    `site_url: !ENV [SITE_URL, ...]` (MkDocs' own environment tag), so a deployment sets SITE_URL and a local build
    needs nothing; a plain `site_url: https://…` works too."""
    loader = type("ConfigLoader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", construct_env_tag)
    loader.add_multi_constructor("!", lambda *_: None)  # other MkDocs tags (!relative …) do not matter here
    value = (yaml.load(config.read_text(encoding="utf-8"), Loader=loader) or {}).get("site_url")
    return str(value).strip().rstrip("/") + "/" if value and str(value).strip() else ""


def link(path: str, here: str, base: str = "") -> str:
    """The address of site path `path` as written in the document at site folder `here`."""
    return base + path if base else posixpath.relpath(path, here or ".") + ("/" if path.endswith("/") else "")


def media_type(name: str) -> str:
    return next((t for end, t in MEDIA_TYPES.items() if name.endswith(end)), "application/octet-stream")


def dumps(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def csvw(meta: dict, date: str) -> bytes:
    """One CSV on the Web table group for every table of the release (csv-metadata.json beside the CSVs): columns,
    keys, the licence and the source. Every foreign key to a table's one-column key, required or not, and every list
    that `references` a table is a link the same way: the column's valueUrl points at the referenced row (an empty cell
    yields no link). A required one is also a CSVW foreign key, which validators check (CSVW's strict validation
    refuses a null foreign key, so a column that may be empty is a link only). Each column's propertyUrl is the
    field's entry in the data dictionary (dictionary/#<table>.<field>), one predicate per field of the schema; the
    group declares the text's language (`lang`, inherited by every cell, and the JSON-LD context's @language)."""
    by_name = {r["name"]: r for r in meta["resources"]}
    tables = []
    for res in meta["resources"]:
        schema = res["schema"]
        fields = {f["name"]: f for f in schema["fields"]}
        pk = _listed(schema.get("primaryKey"))
        links = {}  # column → the table whose rows it names
        keys = []
        for fk in schema.get("foreignKeys", []):
            cols, ref = _listed(fk["fields"]), fk["reference"]
            target = ref.get("resource") or res["name"]
            if all(fields.get(c, {}).get("constraints", {}).get("required") for c in cols):
                keys.append({"columnReference": cols, "reference": {"resource": f"{target}.csv", "columnReference": _listed(ref["fields"])}})
            if len(cols) == 1 and _listed(ref["fields"]) == _listed(by_name.get(target, {}).get("schema", {}).get("primaryKey")):
                links[cols[0]] = target
        for f in schema["fields"]:
            if f.get("references") in by_name and len(_listed(by_name[f["references"]]["schema"].get("primaryKey"))) == 1:
                links[f["name"]] = f["references"]
        columns = []
        for f in schema["fields"]:
            c = {"name": f["name"], "titles": [t for t in (f.get("title"), f["name"]) if t],
                 "propertyUrl": f"{DICTIONARY}#{res['name']}.{f['name']}"}
            datatype = {"base": CSVW_TYPES.get(f.get("itemType") if f.get("type") == "list" else f.get("type"), "string")}
            cons = f.get("constraints", {})
            if f.get("type") == "list":
                c["separator"] = f.get("delimiter", ",")
            if "pattern" in cons and f.get("type", "string") == "string":
                datatype["format"] = cons["pattern"]
            for k in ("minimum", "maximum", "minLength", "maxLength"):
                if k in cons:
                    datatype[k] = cons[k]
            c["datatype"] = datatype if len(datatype) > 1 else datatype["base"]
            if cons.get("required"):
                c["required"] = True
            if f["name"] in links:
                c["valueUrl"] = f"{links[f['name']]}.csv#{{{f['name']}}}"
            if f.get("description"):
                c["dc:description"] = f["description"]
            columns.append(c)
        table = {"url": f"{res['name']}.csv", "dc:title": res.get("title", res["name"]), "dc:description": res.get("description", ""),
                 "tableSchema": {"columns": columns}}
        if pk:
            table["tableSchema"]["primaryKey"] = pk
            if len(pk) == 1:
                table["tableSchema"]["aboutUrl"] = f"{res['name']}.csv#{{{pk[0]}}}"
        if keys:
            table["tableSchema"]["foreignKeys"] = keys
        tables.append(table)
    source = (meta.get("sources") or [{}])[0]
    group = {"@context": ["http://www.w3.org/ns/csvw", {"@language": meta.get("language") or "zh-CN"}],
             "dc:title": meta.get("title", ""), "dc:description": meta.get("description", ""),
             "dc:identifier": f"{meta.get('name')}@{meta.get('version')}", "dc:license": {"@id": licence(meta).get("path")},
             "dc:publisher": publisher(meta), "dc:source": {"@id": source.get("path")}, "rdfs:comment": source_status(),
             "lang": meta.get("language") or "zh-CN",
             "dialect": {"encoding": "utf-8", "header": True, "doubleQuote": True}, "tables": tables}
    if date:
        group["dc:modified"] = {"@value": date, "@type": "xsd:date"}
    return dumps(group)


def _listed(names) -> list:
    return [names] if isinstance(names, str) else list(names or [])


def licence(meta: dict) -> dict:
    return (meta.get("licenses") or [{}])[0]


def publisher(meta: dict) -> str:
    """The contributor whose roles (Data Package v2; `role` in releases frozen under v1) include publisher."""
    people = meta.get("contributors") or []
    roles = lambda c: c.get("roles") or ([c["role"]] if c.get("role") else [])
    return next((c.get("title") for c in people if "publisher" in roles(c)), people[0].get("title") if people else "")


def disclosure(config=MKDOCS_YML) -> dict:
    """mkdocs.yml's extra.disclosure (网站标识信息): sponsor, publisher, office and the rest; empty values left out."""
    loader = type("ConfigLoader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda *_: None)
    extra = (yaml.load(config.read_text(encoding="utf-8"), Loader=loader) or {}).get("extra") or {}
    return {k: str(v).strip() for k, v in (extra.get("disclosure") or {}).items() if v and str(v).strip()}


def source_status() -> str:
    """What the source text is, under the Copyright Law of the PRC, Article 5 (2020 text)."""
    return ("原文是国家机关发布的具有行政性质的文件（通知和实施方案）。依照《中华人民共和国著作权法》第五条，"
            "“法律、法规，国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件，及其官方正式译文”不适用该法，"
            "因此原文不受著作权保护，可以自由复制和传播；本数据包中的原文副本照录公开发布的文字，供核对。"
            "许可协议适用于本项目整理的数据、字段说明和其他文字。")


def terms(meta: dict, url: str = "") -> list[tuple[str, str]]:
    """The terms every downloaded file carries, as (label, text) pairs: dataset, version, licence, source, status."""
    lic, source = licence(meta), (meta.get("sources") or [{}])[0]
    out = [("数据集", meta.get("title", "")), ("标识", meta.get("name", "")), ("版本", meta.get("version", "")),
           ("许可协议", f"{lic.get('title', '')}（{lic.get('name', '')}） {lic.get('path', '')}".strip()),
           ("发布者", publisher(meta)), ("原文出处", f"{source.get('title', '')} {source.get('path', '')}".strip()),
           ("原文的著作权状态", source_status())]
    if url:
        out.append(("网址", url))
    return out


def distributions(files: dict[str, bytes], folder: str, here: str, base: str) -> list[dict]:
    """The release's files at its top level (the per-record JSON files in subfolders are parts, not distributions)."""
    return [{"name": n, "url": link(f"{folder}{n}", here, base), "type": media_type(n), "size": len(b)}
            for n, b in files.items() if "/" not in n]


def coverage(tables: dict) -> str:
    """The years the data's figures speak of (targets and milestones), as an ISO 8601 interval, or ""."""
    years = sorted(int(r["year"]) for name in ("targets", "milestones") for r in tables.get(name, []) if r.get("year"))
    return f"{years[0]}/{years[-1]}" if years else ""


def release_dates(dates: dict, version: str) -> tuple[str | None, str | None]:
    """(issued, modified) of the dataset: its first release's and this release's day of publication (`dates`:
    version → day, from scripts.publish.dates.published)."""
    return min((d for d in dates.values() if d), default=None), dates.get(version)


def schema_org(meta: dict, files: dict[str, bytes], folder: str, dates: dict, here: str, base: str, tables: dict | None = None) -> dict:
    """A schema.org Dataset with the properties Google's Dataset guidelines recommend, every file as a DataDownload."""
    version = meta.get("version")
    issued, modified = release_dates(dates, version)
    who = {"@type": "Organization", "name": publisher(meta)}
    if base:
        who["url"] = base
    source = (meta.get("sources") or [{}])[0]
    out = {"@context": "https://schema.org", "@type": "Dataset", "name": meta.get("title"), "description": meta.get("description"),
           "url": link("downloads/", here, base), "identifier": [f"{meta.get('name')}@{version}"] + ([base + folder] if base else []),
           "version": version, "inLanguage": meta.get("language"), "keywords": meta.get("keywords", []),
           "license": licence(meta).get("path"), "isAccessibleForFree": True, "creator": who, "publisher": who,
           "citation": citation(meta, modified or "", link(folder, here, base) if base else "")["gbt"],
           "isBasedOn": {"@type": "CreativeWork", "name": source.get("title"), "url": source.get("path")},
           "datePublished": issued, "dateModified": modified,
           "distribution": [{"@type": "DataDownload", "name": d["name"], "encodingFormat": d["type"], "contentUrl": d["url"],
                             "contentSize": f"{d['size']} B"} for d in distributions(files, folder, here, base)]}
    if meta.get("spatial"):
        out["spatialCoverage"] = {"@type": "Place", "name": meta["spatial"]}
    if tables and coverage(tables):
        out["temporalCoverage"] = coverage(tables)
    return out


def script_json(value) -> str:
    """JSON for a <script> element: `<`, `>` and `&` escaped, so no text in the data can close the element."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


IANA = "https://www.iana.org/assignments/media-types/"
LANGUAGES = {"zh": "ZHO", "en": "ENG"}  # the EU language authority's codes (DCAT-AP's vocabulary for dct:language)


FILE_TYPES = {".csv": "CSV", ".xlsx": "XLSX", ".json": "JSON", ".jsonld": "JSON_LD", ".zip": "ZIP", ".txt": "TXT",
              ".bib": "TXT", "SHA256SUMS": "TXT", ".sqlite": "OCTET"}
"""dct:format: the EU file-type authority's code for each file (SQLite has none of its own: OCTET, a binary file)."""
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
THEMES = ["SOCI", "GOVE"]  # EU data themes: population and society; government and public sector
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FILE_LABELS = {".csv": "CSV 表格（UTF-8）", "-excel.csv": "Excel 用 CSV（带 BOM）", ".xlsx": "Excel 表格", ".json": "JSON 记录",
               ".zip": "全部数据（ZIP）", ".sqlite": "SQLite 数据库", ".bib": "BibTeX 引用", "CITATION.json": "CSL-JSON 引用",
               "datapackage.json": "数据包描述文件（Data Package v2）", "csv-metadata.json": "CSVW 表组说明",
               "itemised-changes.json": "与上一版本相比的逐行变化", "SHA256SUMS": "SHA-256 校验和", "-metadata.json": "CSVW 说明"}


def period(span: str) -> dict:
    """An ISO 8601 interval of years ("2015/2020") as a dct:PeriodOfTime."""
    start, end = span.split("/")
    return {"@type": "dct:PeriodOfTime", "dcat:startDate": {"@value": start, "@type": "xsd:gYear"},
            "dcat:endDate": {"@value": end, "@type": "xsd:gYear"}}


def released_tables(files: dict[str, bytes]) -> dict:
    """The records of a release's targets and milestones (its JSON files), for its temporal coverage."""
    return {n: json.loads(files[f"{n}.json"]) for n in ("targets", "milestones") if f"{n}.json" in files}


def file_type(name: str) -> str:
    return FILE_TYPE + next((t for end, t in FILE_TYPES.items() if name.endswith(end)), "OCTET")


def file_label(name: str) -> str:
    """What a file is, in Chinese, for dct:description (the longest matching ending wins)."""
    ends = sorted((e for e in FILE_LABELS if name.endswith(e)), key=len, reverse=True)
    return FILE_LABELS[ends[0]] if ends else "文件"


def dcat(meta: dict, files: dict[str, bytes], folder: str, dates: dict, versions: list[str], here: str, base: str,
         tables: dict | None = None, contact: dict | None = None) -> bytes:
    """A DCAT catalogue (JSON-LD) of one release (see dcat_catalogue for every release)."""
    version = meta.get("version")
    published = {v: {"datapackage.json": dumps(meta), **files} if v == version else {} for v in versions}
    return dcat_catalogue(published, dates, here, base, tables, contact, only=[version], folders={version: folder})


def dcat_catalogue(published: dict[str, dict[str, bytes]], dates: dict, here: str, base: str, tables: dict | None = None,
                   contact: dict | None = None, only: list[str] | None = None, folders: dict | None = None) -> bytes:
    """A DCAT catalogue (JSON-LD): every published release its own dcat:Dataset with its files as distributions, all
    in one dcat:DatasetSeries (the dataset across versions, whose page is the download page). IRIs are built from
    site_url; without it they are relative, which JSON-LD resolves against the catalogue's own address. Every IRI on
    this site names a file or a folder with an index.html. Dates are xsd:date: dct:issued is the day a release was
    first published (`dates`), never the approving document's date. Media types are IANA IRIs, formats the EU
    file-type authority's, checksums spdx:Checksum; text is tagged with the package's language. The contact point is
    the disclosure office of mkdocs.yml (extra.disclosure), else the publisher, reached through the about page."""
    versions = [v for v in published if published[v].get("datapackage.json")]
    newest = json.loads(published[versions[-1]]["datapackage.json"])
    lang = newest.get("language") or "zh"
    text = lambda v: {"@value": v, "@language": lang}
    day = lambda d: {"@value": d, "@type": "xsd:date"}
    agent = {"@id": link("about/", here, base) + "#publisher", "@type": "foaf:Agent", "foaf:name": text(publisher(newest))}
    contact = disclosure() if contact is None else contact
    point = {"@id": link("about/", here, base) + "#contact", "@type": "vcard:Organization",
             "vcard:fn": text(contact.get("office") or contact.get("publisher") or contact.get("sponsor") or publisher(newest)),
             "vcard:hasURL": {"@id": link("about/", here, base)}}
    lic = {"@id": licence(newest).get("path"), "@type": "dct:LicenseDocument"}
    language = {"@id": "http://publications.europa.eu/resource/authority/language/" + LANGUAGES.get(lang.split("-")[0], "MUL")}
    themes = [{"@id": THEME + t} for t in THEMES]
    series_id = link("downloads/", here, base)
    first = min((dates[v] for v in versions if dates.get(v)), default=None)
    last = dates.get(versions[-1])
    series = {"@id": series_id, "@type": "dcat:DatasetSeries", "dct:title": text(newest.get("title")),
              "dct:description": text(newest.get("description")), "dct:publisher": agent, "dcat:contactPoint": point,
              "dct:language": language, "dcat:theme": themes, "dct:license": lic,
              "dcat:first": {"@id": link(f"data/v{versions[0]}/", here, base)}, "dcat:last": {"@id": link(f"data/v{versions[-1]}/", here, base)}}
    if first:
        series["dct:issued"] = day(first)
    if last:
        series["dct:modified"] = day(last)
    datasets, spans = [], []
    for i, v in enumerate(versions):
        if only and v not in only:
            continue
        files = published[v]
        meta = json.loads(files["datapackage.json"])
        folder = (folders or {}).get(v, f"data/v{v}/")
        dataset_id = link(folder, here, base)
        dataset = {"@id": dataset_id, "@type": "dcat:Dataset", "dct:title": text(f"{meta.get('title')}（版本 {v}）"),
                   "dct:description": text(meta.get("description")), "dct:identifier": f"{meta.get('name')}@{v}",
                   "dcat:version": v, "dcat:inSeries": {"@id": series_id}, "dct:language": language,
                   "dcat:keyword": [text(k) for k in meta.get("keywords", [])], "dcat:theme": themes,
                   "dct:license": {"@id": licence(meta).get("path"), "@type": "dct:LicenseDocument"},
                   "dct:publisher": agent, "dct:creator": agent, "dcat:contactPoint": point,
                   "dct:accessRights": {"@id": "http://publications.europa.eu/resource/authority/access-right/PUBLIC"},
                   "dct:source": [{"@id": x.get("path")} for x in meta.get("sources", [])],
                   "dcat:landingPage": {"@id": dataset_id}, "dcat:distribution": []}
        if i:
            dataset["dcat:prev"] = {"@id": link(f"data/v{versions[i - 1]}/", here, base)}
        if dates.get(v):
            dataset["dct:issued"] = day(dates[v])
            dataset["dct:modified"] = day(dates[v])
        place = meta.get("spatial") or newest.get("spatial")  # a release described before the key existed: the same city
        if place:
            dataset["dct:spatial"] = {"@type": "dct:Location", "skos:prefLabel": text(place)}
        span = coverage(released_tables(files)) or (coverage(tables) if tables else "")
        if span:
            dataset["dct:temporal"] = period(span)
            spans.append(span)
        for d in distributions(files, folder, here, base):
            dataset["dcat:distribution"].append({
                "@id": f"{dataset_id}#{d['name']}", "@type": "dcat:Distribution", "dct:title": text(d["name"]),
                "dct:description": text(file_label(d["name"])),
                "dcat:accessURL": {"@id": dataset_id}, "dcat:downloadURL": {"@id": d["url"]},
                "dcat:mediaType": {"@id": IANA + d["type"]}, "dct:format": {"@id": file_type(d["name"])},
                "dcat:byteSize": {"@value": str(d["size"]), "@type": "xsd:nonNegativeInteger"},
                "dct:license": {"@id": licence(meta).get("path"), "@type": "dct:LicenseDocument"},
                "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                                  "spdx:checksumValue": {"@value": sha256(files[d["name"]]), "@type": "xsd:hexBinary"}}})
        datasets.append(dataset)
    if spans:  # the series covers the years any of its releases covers
        series["dct:temporal"] = period(f"{min(x.split('/')[0] for x in spans)}/{max(x.split('/')[1] for x in spans)}")
    if newest.get("spatial"):
        series["dct:spatial"] = {"@type": "dct:Location", "skos:prefLabel": text(newest["spatial"])}
    context = {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
               "spdx": "http://spdx.org/rdf/terms#", "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": "http://www.w3.org/2001/XMLSchema#",
               "vcard": "http://www.w3.org/2006/vcard/ns#"}
    catalogue = {"@context": context, "@id": link("data/catalog.jsonld", here, base), "@type": "dcat:Catalog",
                 "dct:title": text(newest.get("title")), "dct:description": text(newest.get("description")), "dct:publisher": agent,
                 "dct:license": lic, "dct:language": language, "foaf:homepage": {"@id": base or "../"},
                 "dcat:themeTaxonomy": {"@id": THEME.rstrip("/")}, "dcat:dataset": [series] + datasets}
    if first:
        catalogue["dct:issued"] = day(first)
    if last:
        catalogue["dct:modified"] = day(last)
    return dumps(catalogue)


def atom(meta: dict, changes: list[dict], published: set[str], here: str, base: str, issued: dict | None = None,
         itemised: dict | None = None) -> bytes:
    """An Atom feed with one entry per `changes` row, newest first; ids are tag: URIs unless site_url is set. An entry
    is dated by the day its release was first published (`issued`, version → day; the row's own date when missing)
    and lists the rows it added, removed and changed (`itemised`, version → scripts.publish.itemise's data)."""
    issued, itemised = issued or {}, itemised or {}
    when = lambda r: issued.get(r["version"]) or r["date"]
    rows = sorted(changes, key=lambda r: version_key(r["version"]), reverse=True)
    first = min((when(r) for r in rows), default="1970-01-01")
    tag = lambda part: f"{base}{part}" if base else f"tag:{meta.get('name')},{first}:{part}"
    stamp = lambda d: f"{d}T00:00:00+08:00"
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
           f"  <title>{escape(meta.get('title', ''))}：版本记录</title>", f"  <id>{escape(tag('data/feed.xml'))}</id>",
           f"  <updated>{stamp(when(rows[0]) if rows else first)}</updated>",
           f"  <author><name>{escape(publisher(meta))}</name></author>",
           f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(link('changelog/', here, base))}/>"]
    if base:
        out.append(f"  <link rel=\"self\" href={quoteattr(base + 'data/feed.xml')}/>")
    for r in rows:
        v = r["version"]
        href = link(f"data/v{v}/" if v in published else "changelog/", here, base) + ("" if v in published else f"#v{anchor(v)}")
        out += ["  <entry>", f"    <title>版本 {escape(v)}（{escape(when(r))} 发布）</title>", f"    <id>{escape(tag(f'data/v{v}/' if v in published else 'release/' + v))}</id>",
                f"    <published>{stamp(when(r))}</published>", f"    <updated>{stamp(when(r))}</updated>", f"    <link href={quoteattr(href)}/>",
                f"    <summary>{escape(r.get('summary') or '')}（依据：{escape(r.get('document') or '')}，{escape(r['date'])}）</summary>"]
        if itemised.get(v):
            out.append(f"    <content type=\"text\">{escape(itemised_text(itemised[v]))}</content>")
        out.append("  </entry>")
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def itemised_text(changes: dict) -> str:
    """The itemised changes as plain text, one line per row (the feed's entry content)."""
    lines = [f"与版本 {changes['from']} 相比："]
    for t in changes["tables"]:
        head = f"{t['title']}（{t['table']}）"
        if t.get("new_table"):
            lines.append(f"{head}：新增的数据表")
        lines += [f"{head}：新增 {r['label']}" for r in t["added"]] + [f"{head}：删除 {r['label']}" for r in t["removed"]]
        for r in t["changed"]:
            lines.append(f"{head}：修改 {r['label']}：" + "；".join(f"{f['title']}：{shown(f['before'])} → {shown(f['after'])}" for f in r["fields"]))
    lines += [f"文件：{f['change']} {f['path']}" for f in changes.get("files", [])]
    return "\n".join(lines)


def citation_key(meta: dict, date: str) -> str:
    """A BibTeX/CSL key for this release: the package's name, the release year and the version."""
    stem = "".join(w[0] for w in re.split(r"[^0-9a-z]+", (meta.get("name") or "data").lower()) if w)
    return f"{stem}{(date or '')[:4]}v{re.sub(r'[^0-9A-Za-z]+', '_', meta.get('version', ''))}"


def citation(meta: dict, date: str, url: str) -> dict:
    """GB/T 7714—2015 (a dataset, [DS/OL]), BibTeX and CSL-JSON for this release. The year and date are the release's
    (from `changes`); the address is the release's folder when site_url is set. "[引用日期]" is the reader's access
    date, filled in when citing, and BibTeX's `urldate` is left for the reader in the same way."""
    who, title, version = publisher(meta), meta.get("title", ""), meta.get("version", "")
    year = (date or "")[:4]
    gbt = f"{who}. {title}: 版本 {version}[DS/OL]. {who}, {year}({date})[引用日期]."
    gbt += f" {url}." if url else ""
    key = citation_key(meta, date)
    lines = [f"@misc{{{key},", f"  author       = {{{{{who}}}}},", f"  title        = {{{{{title}}}}},",
             f"  version      = {{{version}}},", f"  publisher    = {{{{{who}}}}},", f"  year         = {{{year}}},",
             f"  date         = {{{date}}},", f"  howpublished = {{数据集 [DS/OL]}},", f"  language     = {{{meta.get('language', '')}}},",
             f"  note         = {{许可协议：{licence(meta).get('name', '')}}},"]
    if url:
        lines.append(f"  url          = {{{url}}},")
    lines.append("}")
    csl = {"id": key, "type": "dataset", "title": title, "author": [{"literal": who}], "publisher": who, "version": version,
           "language": meta.get("language"), "medium": "DS/OL", "license": licence(meta).get("path")}
    if date:
        csl["issued"] = {"date-parts": [[int(p) for p in date.split("-")]]}
    if url:
        csl["URL"] = url
    return {"gbt": gbt, "bibtex": "\n".join(lines) + "\n", "csl": csl, "key": key}


def record_citation(meta: dict, date: str, table: str, record_id: str, name: str, url: str) -> str:
    """GB/T 7714—2015 for one record of a release: the dataset, the version, the table, the record's id and name,
    and the record's own address when site_url is set."""
    who, title, version = publisher(meta), meta.get("title", ""), meta.get("version", "")
    out = f"{who}. {title}: 版本 {version}, {table} {record_id}“{name}”[DS/OL]. {who}, {(date or '')[:4]}({date})[引用日期]."
    return out + (f" {url}." if url else "")
