"""Load a validated data package into plain Python records, with the cross-references the pages need."""
import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from frictionless import Package

from .paths import DESCRIPTOR

UNPUBLISHED = "未随正文公开"  # the status of a value the published text does not give (an enum value in the schema)


def plain(value):
    """Frictionless cell → JSON-friendly Python value (Decimal → int/float, date → ISO text)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


_PARSED: dict[str, dict[str, list[dict]]] = {}  # digest of the package's files → typed rows, so one build parses them once


def _files(descriptor: Path, meta: dict) -> dict[str, bytes | None]:
    """Every resource's file as bytes (None when missing), read once."""
    paths = {r.get("name"): descriptor.parent / str(r.get("path", "")) for r in meta.get("resources", [])}
    return {name: path.read_bytes() if path.is_file() else None for name, path in paths.items()}


def _digest(descriptor: Path, files: dict[str, bytes | None]) -> str:
    """The descriptor's path and the bytes of it and of every resource file: the same digest means the same rows."""
    h = hashlib.sha256(str(descriptor.resolve()).encode() + b"\0" + descriptor.read_bytes())
    for content in files.values():
        h.update(b"\0" + (content if content is not None else b"-"))
    return h.hexdigest()


def text_rows(content: bytes | None) -> list[dict[str, str]]:
    """A CSV file's rows exactly as written (every value text, keyed by column name); [] for a missing or unreadable file."""
    try:
        return list(csv.DictReader(io.StringIO(content.decode("utf-8")))) if content is not None else []
    except (UnicodeDecodeError, csv.Error):
        return []


def read(descriptor: Path = DESCRIPTOR) -> tuple[dict, dict[str, list[dict]], dict[str, list[dict]], dict[str, bytes | None]]:
    """The descriptor as a dict, every resource's rows typed by its Table Schema, the same rows as the file's text, and
    the files' bytes.
    Each call returns fresh dicts and lists; the parsing itself (Frictionless, the slow part) happens once per content
    of the files."""
    descriptor = Path(descriptor)
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    files = _files(descriptor, meta)
    key = _digest(descriptor, files)
    if key not in _PARSED:
        package = Package(str(descriptor))
        for resource in package.resources:  # only typing here: checking the foreign keys, which Frictionless does by
            resource.schema.foreign_keys = []  # reading every table they name, is the validator's (2/3 of the time)
        _PARSED.clear()  # keep only the latest package
        _PARSED[key] = {r.name: [{k: plain(v) for k, v in row.to_dict().items()} for row in r.read_rows()] for r in package.resources}
    return meta, fresh(_PARSED[key]), {name: text_rows(content) for name, content in files.items()}, files


def fresh(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """A copy of typed tables that can be changed without changing the original (rows and list values copied)."""
    return {name: [{k: list(v) if isinstance(v, list) else v for k, v in row.items()} for row in rows] for name, rows in tables.items()}


def read_tables(descriptor: Path = DESCRIPTOR) -> tuple[dict, dict[str, list[dict]]]:
    """The descriptor as a dict and every resource's typed rows (see `read`)."""
    meta, tables, _, _ = read(descriptor)
    return meta, tables


def field_defs(meta: dict, resource: str) -> list[dict]:
    return next(r for r in meta["resources"] if r["name"] == resource)["schema"]["fields"]


def status_fields(meta: dict, resource: str) -> list[dict]:
    """The fields of `resource` whose source is recorded by a status field (the schema's `statusFor`), in schema
    order: [{"name", "title", "question", "description", "status": status field name, "quote": quote field name or None,
    "agency": whether the value names a government department (the schema's `agencyName`)}];
    "question" is the field's title as a reader would ask it ("找哪个部门"), the schema's `question` or else the title."""
    fields = field_defs(meta, resource)
    by_subject = {f["statusFor"]: f["name"] for f in fields if f.get("statusFor")}
    return [{"name": f["name"], "title": f.get("title") or f["name"], "question": f.get("question") or f.get("title") or f["name"],
             "description": f.get("description", ""),
             "status": by_subject[f["name"]], "quote": f.get("quotedIn"), "agency": bool(f.get("agencyName"))}
            for f in fields if f["name"] in by_subject]


SERVICE = "服务"  # services.kind: what a person can receive; every other kind is browsable but not counted as a service
PHONE = re.compile(r"“([0-9]{3,})”电话")  # a phone number as the text writes it: 改进和完善“12333”电话咨询服务


def is_service(s: dict) -> bool:
    return (s.get("kind") or SERVICE) == SERVICE


def phones(s: dict) -> list[str]:
    """The phone numbers a service's own name or name quote gives (only where the text ties the number to it)."""
    return list(dict.fromkeys(PHONE.findall(f"{s.get('name', '')} {s.get('name_quote', '')}")))


def document_date(doc: dict | None, by_id: dict) -> str | None:
    """When a document was written (成文日期), or else published: its own date, else its parent's (an annex's or a plan's
    is its notice's); None when neither says."""
    for d in (doc, by_id["documents"].get((doc or {}).get("parent_id"))):
        if d and (d.get("written_date") or d.get("published_date")):
            return d.get("written_date") or d.get("published_date")
    return None


def era(meta: dict, notice: dict | None, by_id: dict) -> dict | None:
    """What every page stating plan content says at the top: the date the plan was issued (the notice's 成文日期) and
    the years it covers (the package's planPeriod); None when the data gives neither."""
    period, issued = meta.get("planPeriod") or {}, document_date(notice, by_id)
    if not issued and not period:
        return None
    return {"issued": issued, "start": period.get("start"), "end": period.get("end"), "title": period.get("title")}


def next_steps(s: dict, hotlines: list[dict], domain_field: str) -> list[dict]:
    """The hotlines a service page offers, the ones for its own domain first, then those for every service (an empty
    domain list): a hotline's domains are data (hotlines.csv), never a list of service ids typed here. Both sides are
    the domain rows `attach` gave them (a service's `domain`, a hotline's `domains`), whatever the key columns are called."""
    own = [h for h in hotlines if s.get("domain") is not None and any(d is s["domain"] for d in h.get("domains") or [])]
    return own + [h for h in hotlines if not h.get(domain_field)]


def provenance(meta: dict, record: dict, resource: str, by_id: dict, sections: list[tuple[str, str]]) -> dict:
    """For each quote field of a record: the document it comes from and the section of that quote itself (the task, measure
    or domain whose text holds it; None when the quote is not in the plan's body, e.g. an annex)."""
    fields = field_defs(meta, resource)
    override = {f["sourceFor"]: f["name"] for f in fields if f.get("sourceFor")}
    status_of = {}
    for f in fields:
        subject = next((g for g in fields if g["name"] == f.get("statusFor")), None)
        if subject and subject.get("quotedIn"):
            status_of[subject["quotedIn"]] = f["name"]
    list_doc = meta.get("serviceList", {}).get("document")
    out = {}
    for f in fields:
        quote = record.get(f["name"]) if f.get("verbatim") is True else None
        if not quote or f["name"] == "section":
            continue
        doc = record.get(override.get(f["name"], "")) or (list_doc if record.get(status_of.get(f["name"], "")) == "清单载明" else None) \
            or record.get("source")
        section = next((sec for text, sec in sections if quote in text), None) if doc == record.get("source") else None
        out[f["name"]] = {"document": by_id["documents"].get(doc), "section": section}
    return out


def natural_key(value: str):
    """Ids and versions in natural order: "S10" after "S9", "1.10.0" after "1.9.0". Only ASCII digits count as numbers
    ("¹" and "１" stay text)."""
    return [int(p) if p.isascii() and p.isdigit() else p for p in re.split(r"([0-9]+)", value)]


version_key = natural_key


def anchor(version: str) -> str:
    """The anchor of a version on the changelog and download pages (after "#v")."""
    return re.sub(r"[^0-9a-z]+", "-", version.lower())


def primary_keys(meta: dict) -> dict[str, str]:
    """resource → its primary key, for the resources whose key is one field."""
    keys = {r["name"]: r["schema"].get("primaryKey") for r in meta["resources"]}
    return {name: (k[0] if isinstance(k, list) else k) for name, k in keys.items() if isinstance(k, str) or (isinstance(k, list) and len(k) == 1)}


def references(meta: dict, resource: str) -> list[tuple[str, str]]:
    """How rows of `resource` point at other rows, as its schema declares it: (field, resource pointed at) for each
    one-field foreign key and each list field with `references` (a list of ids, which Table Schema keys cannot express)."""
    schema = next(r for r in meta["resources"] if r["name"] == resource)["schema"]
    out = [(fk["fields"] if isinstance(fk["fields"], str) else fk["fields"][0], fk["reference"]["resource"])
           for fk in schema.get("foreignKeys", []) if isinstance(fk["fields"], str) or len(fk["fields"]) == 1]
    return out + [(f["name"], f["references"]) for f in schema["fields"] if f.get("references")]


def link(meta: dict, resource: str, target: str) -> str:
    """The one field by which rows of `resource` point at rows of `target`."""
    fields = [f for f, to in references(meta, resource) if to == target]
    if len(fields) != 1:
        raise ValueError(f"{resource} 指向 {target} 的字段应当恰好有一个（外键或 references），现有：{fields}")
    return fields[0]


def referrers(meta: dict, t: dict[str, list[dict]], resource: str, target: str) -> dict:
    """target id → the rows of `resource` that point at it (through `link`), in table order; rows that point nowhere
    are under None."""
    field, out = link(meta, resource, target), defaultdict(list)
    for r in t.get(resource, []):
        value = r.get(field)
        for v in (value if isinstance(value, list) else [value]) or [None]:
            out[v if v != "" else None].append(r)
    return out


def attach(meta: dict, t: dict[str, list[dict]], by_id: dict) -> None:
    """Give every row the rows it points at, named for the resource pointed at, whatever the field is called: the row
    for a foreign key (a service's `domain`, a target's `task` and `measure`, an observation's `target`, a task's
    `document`; None when empty), the rows for a list field with `references` (a measure's `domains`). Left out where
    the name would be ambiguous: a resource that points at another through several fields (a service's five document
    fields), at itself, or that already has a field of that name."""
    for name, rows in t.items():
        refs = references(meta, name)
        fields = {f["name"]: f for f in field_defs(meta, name)}
        for field, target in refs:
            many = fields[field].get("type") == "list"
            key = target if many else target.removesuffix("s")
            if target == name or target not in by_id or key in fields or [to for _, to in refs].count(target) != 1:
                continue
            rows_of = by_id[target]
            for r in rows:
                r[key] = [rows_of[v] for v in r.get(field) or [] if v in rows_of] if many else rows_of.get(r.get(field))


def same_sentence(quotes: list, records: list[dict], text: str) -> list[dict]:
    """The records (targets, milestones) related to a service: those whose quote shares a sentence (up to 。) of `text`
    with one of the service's quotes. A task names several services and several targets; a target belongs to a service
    only where one sentence says both."""
    sentences = [x for x in re.split(r"(?<=。)", text or "") if x.strip()]
    mine = [q for q in quotes if q]
    return [r for r in records if any(r.get("quote") and r["quote"] in x and any(q in x or x in q for q in mine) for x in sentences)]


def load(descriptor: Path = DESCRIPTOR) -> dict:
    """The package read once, for every step of the build: `rows`, each table exactly as typed by its schema (the
    downloads are made from these), `csv_bytes`, each resource's file as read (published as it is), `csv_text`, the
    same rows as the files' text (the office's Excel templates), and for the pages the same tables with each record's
    related records: the rows its keys name (`attach`) and the rows that name it (`referrers`), both found through the
    schema's foreignKeys and `references`, never through a column name typed here."""
    descriptor = Path(descriptor)
    meta, rows, text, files = read(descriptor)
    t = fresh(rows)  # a second copy of the typed rows, which the cross-references below extend
    by_id = {name: {r[key]: r for r in t[name]} for name, key in primary_keys(meta).items() if name in t}
    attach(meta, t, by_id)
    domains = sorted(t["domains"], key=lambda d: d["order"])
    audiences = sorted(t["audiences"], key=lambda a: a["order"])
    related = defaultdict(lambda: defaultdict(list))  # domain id → kind → records
    for kind in ("services", "tasks", "targets", "milestones"):
        for domain_id, records in referrers(meta, t, kind, "domains").items():
            for r in records:
                related[domain_id][kind if kind != "services" or is_service(r) else "policies"].append(r)
    for m in t["measures"]:
        for d in m.get(link(meta, "measures", "domains")) or [None]:
            related[d]["measures"].append(m)
    observations = referrers(meta, t, "observations", "targets")  # target id → its observations, by year
    for g in t["targets"]:  # measured progress (may be empty): beside each target and in its domain's chart
        g["observations"] = sorted(observations.get(g["id"], []), key=lambda o: (o["year"], o["id"]))
        related[g[link(meta, "targets", "domains")]]["observations"].extend(g["observations"])
    by_task = {kind: referrers(meta, t, kind, "tasks") for kind in ("targets", "milestones")}  # kind → task id → records
    # where each quote sits: the smallest record of the plan whose full text holds it (tasks and measures, then domain intros)
    sections = [(x["text"], f"{x['section']} / {x['number']}. {x['title']}") for x in t["tasks"]] \
        + [(x["text"], f"{x['section']} / {x['label']}{x['title']}") for x in t["measures"]] + [(d["intro"], d["section"]) for d in domains]
    annex_fields = status_fields(meta, "services")
    hotlines = t.get("hotlines", [])
    hotline_domains = link(meta, "hotlines", "domains") if hotlines else ""
    for s in t["services"]:
        task = s[link(meta, "services", "tasks")]
        s["tasks"] = [by_id["tasks"][task]] if task else []
        quotes = [s.get(f) for f in ("name_quote", *(f.get("quotedIn") for f in field_defs(meta, "services") if f.get("quotedIn")))]
        s["targets"] = same_sentence(quotes, by_task["targets"].get(task, []), by_id["tasks"][task]["text"]) if task else []
        s["milestones"] = same_sentence(quotes, by_task["milestones"].get(task, []), by_id["tasks"][task]["text"]) if task else []
        s["phones"] = phones(s)
        s["provenance"] = provenance(meta, s, "services", by_id, sections)
        s["contacts"] = [c for c in t.get("contacts", []) if c.get("department") and c["department"] == s.get("lead_department")]
        s["hotlines"] = next_steps(s, hotlines, hotline_domains)
        s["named_in"] = {f["name"]: (document_date(s["provenance"].get(f["quote"], {}).get("document"), by_id) or "")[:4]
                         for f in annex_fields if f["agency"] and s.get(f["name"])}  # field → the year its department name is from
    for a in audiences:
        words = a["keywords"] or []
        hit = lambda *texts: any(w in (x or "") for w in words for x in texts)
        a["services"] = [s for s in referrers(meta, t, "services", "audiences").get(a["id"], []) if is_service(s)]
        a["tasks"] = [x for x in t["tasks"] if hit(x["text"])]
        a["measures"] = [x for x in t["measures"] if hit(x["text"])]
        a["targets"] = [x for x in t["targets"] if hit(x["indicator"], x["quote"])]
    services = [s for s in t["services"] if is_service(s)]
    stated = {f["name"]: sum(1 for s in services if s.get(f["status"]) != UNPUBLISHED) for f in annex_fields}
    return {
        "descriptor": descriptor, "base": descriptor.parent, "rows": rows, "csv_bytes": files, "csv_text": text,
        "meta": meta, "tables": t, "by_id": by_id, "domains": domains, "audiences": audiences,
        "related": related, "stated": stated, "annex_fields": annex_fields, "UNPUBLISHED": UNPUBLISHED,
        "declared": meta.get("serviceList", {}).get("declaredItems"),
        "numbered": sum(1 for s in services if s.get("annex_item")),
        "fields": {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in meta["resources"]},
        "notice": by_id["documents"].get("notice"),
        "unpublished_docs": [d for d in t["documents"] if d["status"] == UNPUBLISHED],
        "version": meta.get("version"),
        "services": services, "policies": [s for s in t["services"] if not is_service(s)],
        "hotlines": sorted(hotlines, key=lambda h: bool(h.get(hotline_domains))),  # the one for every question first
        "era": era(meta, by_id["documents"].get("notice"), by_id),
        "list_published": by_id["documents"].get(meta.get("serviceList", {}).get("document"), {}).get("status") == "全文公开",
        "contacts": list(t.get("contacts", [])),
    }
