"""Itemised changes between two releases: the files of the previous release and of this one in → a machine-readable
list (itemised-changes.json) of the rows added, removed and changed, each changed field with its value before and after.

It reads the two releases' own datapackage.json, CSVs and source texts (from the ZIP when a frozen release has no
sources/ folder) and compares them with scripts.office.diff, the same comparison the pull request's summary shows.
"""
import json
import tempfile
from pathlib import Path

from ..office.diff import compare, key_of, label
from . import metadata

FILE = "itemised-changes.json"


def package_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """What a release says as a package: datapackage.json, the CSVs it lists and the source texts."""
    from .export import content  # export imports this module
    return content(files)


def _unpack(files: dict[str, bytes], into: Path) -> Path:
    for name, data in package_files(files).items():
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        (into / name).write_bytes(data)
    return into / "datapackage.json"


def itemise(old_version: str, old: dict[str, bytes], new_version: str, new: dict[str, bytes]) -> dict:
    """The changes from release `old_version` (its files `old`) to `new_version`, as plain data."""
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a", Path(tmp) / "b"
        a.mkdir(), b.mkdir()
        result = compare(_unpack(old, a), _unpack(new, b))
    tables = []
    for r in result["resources"]:
        res = r["resource"]
        names = {f.get("title", f["name"]): f["name"] for f in res["schema"]["fields"]}
        tables.append({
            "table": r["name"], "title": r["title"], "new_table": r["new_resource"], "dropped_table": r["dropped_resource"],
            "fields_added": r["fields_added"], "fields_removed": r["fields_removed"],
            "added": [{"key": key_of(res, row), "label": label(res, row), "row": row} for row in r["added"]],
            "removed": [{"key": key_of(res, row), "label": label(res, row), "row": row} for row in r["removed"]],
            "changed": [{"key": key_of(res, row), "label": label(res, row),
                         "fields": [{"field": names.get(title, title), "title": title, "before": before, "after": after}
                                    for title, before, after in diffs]} for row, diffs in r["changed"]]})
    return {"from": old_version, "to": new_version, "tables": tables,
            "files": [{"change": what, "path": path} for what, path in result["files"]]}


def dumps(changes: dict) -> bytes:
    return metadata.dumps(changes)


def previous(version: str, published: dict[str, dict[str, bytes]]) -> str | None:
    """The newest published version older than `version`, or None."""
    older = [v for v in published if metadata.version_key(v) < metadata.version_key(version)]
    return max(older, key=metadata.version_key) if older else None


def of(version: str, published: dict[str, dict[str, bytes]]) -> dict | None:
    """The itemised changes of `version` from the release before it: the release's own file when it carries one,
    else computed from the two releases' files; None for the first release."""
    files = published[version]
    if FILE in files:
        return json.loads(files[FILE])
    before = previous(version, published)
    return itemise(before, published[before], version, files) if before else None


def counts(changes: dict) -> str:
    """One line: how many rows each table gained, lost and changed (Chinese)."""
    parts = []
    for t in changes["tables"]:
        said = "，".join(f"{w} {len(t[k])} 行" for w, k in (("新增", "added"), ("删除", "removed"), ("修改", "changed")) if t[k])
        if said:
            parts.append(f"{t['title']}（{t['table']}）{said}")
    return "；".join(parts) or "数据行没有变化"
