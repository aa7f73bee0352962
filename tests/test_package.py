"""scripts.package: the package read once, and its joins taken from the schema (foreignKeys and `references`), so
the code names no key column."""
import pytest

from scripts import validate
from scripts.package import link, load, referrers
from scripts.site import render

RENAMED = {"services": {"domain_id": "area_code"}, "targets": {"task_id": "plan_task"}, "measures": {"domain_ids": "areas"}}


def rename_columns(package, renames: dict[str, dict[str, str]]) -> None:
    """Rename columns in the CSV headers and everywhere the descriptor names them (fields, foreign keys)."""
    def change(d):
        for name, columns in renames.items():
            schema = package.resource(d, name)["schema"]
            for f in schema["fields"]:
                f["name"] = columns.get(f["name"], f["name"])
            for fk in schema.get("foreignKeys", []):
                fk["fields"] = columns.get(fk["fields"], fk["fields"])
    package.edit_descriptor(change)
    for name, columns in renames.items():
        rows = package.rows(f"{name}.csv")
        rows[0] = [columns.get(c, c) for c in rows[0]]
        package.write_rows(f"{name}.csv", rows)


def pages(data: dict, out) -> dict[str, str]:
    render.render(data, out, [])
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for folder in ("services", "domains", "audiences", "targets", "measures") for p in (out / folder).glob("*.md")}


def test_renaming_the_key_columns_in_the_schema_changes_no_page(package, tmp_path):
    before = pages(load(package.descriptor), tmp_path / "before")
    rename_columns(package, RENAMED)
    assert validate.problems(package.descriptor) == []
    after = pages(load(package.descriptor), tmp_path / "after")
    assert after.keys() == before.keys()
    assert [p for p in before if before[p] != after[p]] == []


def test_each_row_carries_the_rows_its_keys_name(package):
    data = load(package.descriptor)
    t, by_id = data["tables"], data["by_id"]
    s = t["services"][0]
    assert s["domain"] is by_id["domains"][s["domain_id"]]
    m = next(x for x in t["measures"] if x.get("domain_ids"))
    assert [d["id"] for d in m["domains"]] == m["domain_ids"]
    assert all(g["task"] is (by_id["tasks"].get(g["task_id"]) if g.get("task_id") else None) for g in t["targets"])
    assert "document" not in s  # a service points at documents through five fields: no single `document`


def test_the_rows_that_point_at_a_record_are_found_through_the_schema(package):
    data = load(package.descriptor)
    meta, t = data["meta"], data["tables"]
    by_domain = referrers(meta, t, "services", "domains")
    assert sum(len(v) for v in by_domain.values()) == len(t["services"])
    assert all(s["domain_id"] == d for d, rows in by_domain.items() for s in rows)


def test_an_ambiguous_join_is_refused_rather_than_guessed(package):
    meta = load(package.descriptor)["meta"]
    assert link(meta, "services", "domains") == "domain_id"
    with pytest.raises(ValueError, match="恰好有一个"):
        link(meta, "services", "documents")
