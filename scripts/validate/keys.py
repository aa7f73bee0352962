"""Foreign keys of one text column (every link between this package's tables): checked on the rows as read.

Frictionless checks a foreign key by copying and re-reading the referenced resource, its descriptor validated again, for
every key of every table: two thirds of a validation's time. A one-column key between two text columns needs none of
that: the allowed values are the referenced column's values as read. This is Frictionless's own rule, applied here
(`taken` decides which keys; the others stay with Frictionless):
- a row whose cell is empty (the missing value "") is not checked;
- a value is allowed when a row of the referenced table has exactly that text (no trimming, letter case counts);
- the error is reported like Frictionless's ("foreign-key", the row as Frictionless numbers it: header = 1), so
  messages.translate words it the same way, full-width codes included.
"""
from types import SimpleNamespace


def _one(names) -> str | None:
    if isinstance(names, str):
        return names
    if isinstance(names, list) and len(names) == 1 and isinstance(names[0], str):
        return names[0]
    return None


def _text_field(resource: dict, name: str | None) -> bool:
    schema = resource.get("schema", {})
    if schema.get("missingValues", [""]) != [""]:
        return False
    return any(f.get("name") == name and f.get("type", "string") == "string" and f.get("missingValues", [""]) == [""]
               for f in schema.get("fields", []) if isinstance(f, dict))


def taken(resource: dict, key: dict, good: dict) -> tuple[str, str, str] | None:
    """(column, referenced table, referenced column) when this module checks `key` of `resource`, else None."""
    if not isinstance(key, dict) or not isinstance(key.get("reference"), dict):
        return None
    field, ref = _one(key.get("fields")), key["reference"]
    target, column = ref.get("resource") or resource.get("name"), _one(ref.get("fields"))
    referenced = resource if target == resource.get("name") else good.get(target)
    if field is None or column is None or referenced is None:
        return None
    if not (_text_field(resource, field) and _text_field(referenced, column)):
        return None
    return field, target, column


def split(resource: dict, keys: list, good: dict) -> tuple[list, list]:
    """`keys` (foreign keys of `resource`) as (checked here, as `taken` gives them; left to Frictionless, as they are)."""
    ours, theirs = [], []
    for key in keys:
        if link := taken(resource, key, good):
            ours.append(link)
        else:
            theirs.append(key)
    return ours, theirs


def errors(resource: dict, links: list, tables: dict) -> list:
    """Frictionless-shaped foreign-key errors of `resource`'s rows for `links` (from `split`), in row order."""
    rows = tables.get(resource["name"], [])
    checks = []
    for field, target, column in links:
        allowed = {r.get(column) for r in tables.get(target, []) if r.get(column)}
        checks.append((field, target, allowed))
    out = []
    for i, row in enumerate(rows):
        for field, target, allowed in checks:
            value = row.get(field) or ""
            if value and value not in allowed:
                out.append(SimpleNamespace(type="foreign-key", row_number=i + 2, field_names=[field], field_cells=[value],
                                           reference_name=target, note=""))
    return out

