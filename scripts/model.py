"""Load a validated data package into plain Python records, with the cross-references the pages need."""
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from frictionless import Package

from .paths import DESCRIPTOR

UNPUBLISHED = "未随正文公开"
ANNEX_FIELDS = ["target_population", "content_standard", "funding", "lead_department"]


def plain(value):
    """Frictionless cell → JSON-friendly Python value (Decimal → int/float, date → ISO text)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def read_tables(descriptor: Path = DESCRIPTOR) -> tuple[dict, dict[str, list[dict]]]:
    """The descriptor as a dict and every resource's rows, typed by its Table Schema."""
    descriptor = Path(descriptor)
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    package = Package(str(descriptor))
    tables = {r.name: [{k: plain(v) for k, v in row.to_dict().items()} for row in r.read_rows()] for r in package.resources}
    return meta, tables


def field_defs(meta: dict, resource: str) -> list[dict]:
    return next(r for r in meta["resources"] if r["name"] == resource)["schema"]["fields"]


def load(descriptor: Path = DESCRIPTOR) -> dict:
    """Everything the templates use: tables keyed by id, and each record's related records."""
    meta, t = read_tables(descriptor)
    by_id = {name: {r.get("id"): r for r in rows if "id" in r} for name, rows in t.items()}
    domains = sorted(t["domains"], key=lambda d: d["order"])
    audiences = sorted(t["audiences"], key=lambda a: a["order"])
    related = defaultdict(lambda: defaultdict(list))  # domain id → kind → records
    for kind in ("services", "tasks", "targets", "milestones"):
        for r in t[kind]:
            related[r.get("domain_id")][kind].append(r)
    for m in t["measures"]:
        for d in m.get("domain_ids") or [None]:
            related[d]["measures"].append(m)
    observations = sorted(t.get("observations", []), key=lambda o: (o["target_id"], o["year"], o["id"]))
    for g in t["targets"]:  # measured progress (may be empty): beside each target and in its domain's chart
        g["observations"] = [o for o in observations if o["target_id"] == g["id"]]
        related[g.get("domain_id")]["observations"].extend(g["observations"])
    for s in t["services"]:
        s["tasks"] = [by_id["tasks"][s["task_id"]]] if s.get("task_id") else []
        s["targets"] = [g for g in t["targets"] if s.get("task_id") and g.get("task_id") == s["task_id"]]
        s["milestones"] = [g for g in t["milestones"] if s.get("task_id") and g.get("task_id") == s["task_id"]]
        s["domain"] = by_id["domains"][s["domain_id"]]
    for a in audiences:
        words = a["keywords"] or []
        hit = lambda *texts: any(w in (x or "") for w in words for x in texts)
        a["services"] = [s for s in t["services"] if a["id"] in (s.get("audiences") or [])]
        a["tasks"] = [x for x in t["tasks"] if hit(x["text"])]
        a["measures"] = [x for x in t["measures"] if hit(x["text"])]
        a["targets"] = [x for x in t["targets"] if hit(x["indicator"], x["quote"])]
    services = t["services"]
    stated = {f: sum(1 for s in services if s.get(f"{f}_status") != UNPUBLISHED) for f in ANNEX_FIELDS}
    return {
        "meta": meta, "tables": t, "by_id": by_id, "domains": domains, "audiences": audiences,
        "related": related, "stated": stated,
        "declared": meta.get("serviceList", {}).get("declaredItems"),
        "numbered": sum(1 for s in services if s.get("annex_item")),
        "fields": {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in meta["resources"]},
        "notice": by_id["documents"].get("notice"),
        "unpublished_docs": [d for d in t["documents"] if d["status"] == UNPUBLISHED],
        "version": meta.get("version"),
    }
