"""Refuse a workbook that would lose, revert or race data, before the inbox commits it.

An imported workbook replaces its whole table (scripts.office.import_xlsx). That is refused, and the table left as it
was, when the workbook
1. leaves out rows the table has: a partial workbook (only the changed row) or a deleted row. A deletion is real only
   when the ids are named in this update's changes row (the newest row of changes.csv, a version not published yet),
   e.g. “删除 T012、T013”; a partial workbook never deletes the other rows;
2. would revert a change: the template's 说明 sheet records the data version its rows are from (模板数据版本：…); a
   row that a later release changed (it differs between that version's frozen release, releases/v<version>/ or else the
   version's last commit in git, and the newest release) and that the workbook does not hold as it is now would be
   reverted or overwritten; and a row this pull request already changed that the workbook puts back to its published
   value (an older copy of the workbook) would undo the earlier import;
3. shares its table with another workbook of the same run (`targets.xlsx` and `targets (1).xlsx`): one edit would be lost.

Every message is in Chinese, names the ids and says how to fix it.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import load_workbook

from .normalise import canonical_rows, clean, decode
from ..package import natural_key
from ..paths import RELEASES, ROOT
from ..validate.problem import Problem

if TYPE_CHECKING:  # the importer uses this module; only its type is needed here
    from .import_xlsx import Imported

VERSION = re.compile(r"模板数据版本[：:]\s*([0-9]+\.[0-9]+\.[0-9]+)")
SHOWN = 12  # ids named in a message; the rest are counted


def snapshot(descriptor: Path, meta: dict) -> dict[str, bytes]:
    """Every table's bytes as they are before the imports: what a refused workbook's table is restored to."""
    base = Path(descriptor).parent
    return {r["path"]: (base / r["path"]).read_bytes() for r in meta["resources"]
            if isinstance(r, dict) and "schema" in r and (base / r.get("path", "")).is_file()}


def keys(resource: dict) -> list[str] | None:
    key = resource["schema"].get("primaryKey")
    return [key] if isinstance(key, str) else key


def identity(resource: dict, row: dict) -> str:
    """A row's id: its primary key, or for a table without one the whole row."""
    names = keys(resource) or [f["name"] for f in resource["schema"]["fields"]]
    return "、".join(row.get(n, "") for n in names)


def rows_of(raw: bytes, resource: dict) -> dict[str, dict]:
    """id → cleaned row of a CSV file's bytes (canonical cells, schema fields only)."""
    text, _ = decode(raw)
    names = [f["name"] for f in resource["schema"]["fields"]]
    records = list(csv.DictReader(io.StringIO(text.replace("\r\n", "\n"))))
    return {identity(resource, r): r for _, r in canonical_rows([{n: r.get(n) or "" for n in names} for r in records], resource)}


def named(ids: list[str]) -> str:
    ids = sorted(ids, key=natural_key)
    shown = "、".join(ids[:SHOWN])
    return shown + (f" 等 {len(ids)} 行" if len(ids) > SHOWN else "")


def template_version(path: Path) -> str | None:
    """The data version written on a template's 说明 sheet, or None (a CSV file, a workbook made by hand)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # the importer already said why the file cannot be opened
        return None
    try:
        for sheet in wb.worksheets[1:]:
            for row in sheet.iter_rows(max_row=60, values_only=True):
                for value in row:
                    if isinstance(value, str) and (found := VERSION.search(value)):
                        return found.group(1)
    finally:
        wb.close()
    return None


def rows_at_version(version: str, resource: dict, releases: Path, repo: Path, descriptor: Path) -> dict[str, dict] | None:
    """The table as data version `version` published it (its frozen release, else git), or None when it is unknown."""
    frozen = Path(releases) / f"v{version}" / Path(resource["path"]).name
    if frozen.is_file():
        return rows_of(frozen.read_bytes(), resource)
    from ..publish.freeze import history  # git history of the package's versions; imported here, only when needed
    commit = history(Path(repo), Path(descriptor)).get(version)
    if not commit:
        return None
    try:
        rel = (Path(descriptor).resolve().parent / resource["path"]).relative_to(Path(repo).resolve()).as_posix()
        raw = subprocess.run(["git", "show", f"{commit}:{rel}"], cwd=repo, capture_output=True, check=True, timeout=60).stdout
    except (subprocess.SubprocessError, ValueError, OSError):
        return None
    return rows_of(raw, resource)


def newest_release(releases: Path) -> str | None:
    """The newest version frozen in releases/ (what main publishes now), or None."""
    found = [p.name[1:] for p in Path(releases).glob("v*") if p.is_dir()] if Path(releases).is_dir() else []
    return max(found, key=natural_key, default=None)


def confirmed(descriptor: Path, meta: dict, releases: Path) -> str:
    """The summary of this update's changes row (the newest, a version not published yet), where deletions are confirmed."""
    resource = next((r for r in meta["resources"] if isinstance(r, dict) and r.get("name") == "changes"), None)
    path = Path(descriptor).parent / resource["path"] if resource else None
    if not path or not path.is_file():
        return ""
    rows = list(csv.DictReader(io.StringIO(decode(path.read_bytes())[0])))
    newest = max(rows, key=lambda r: natural_key(clean(r.get("version") or "")), default=None)
    if not newest or (Path(releases) / f"v{clean(newest.get('version') or '')}").is_dir():
        return ""
    return " ".join(clean(v or "") for v in newest.values())


def mentions(text: str, id_: str) -> bool:
    return bool(re.search(rf"(?<![0-9A-Za-z_]){re.escape(id_)}(?![0-9A-Za-z_])", text))


def hold(descriptor: Path, imported: list[tuple[Path, Imported]], before: dict[str, bytes],
         releases: Path = RELEASES, repo: Path = ROOT) -> dict[str, list[Problem]]:
    """The workbooks to refuse (file name → problems); their tables are restored to `before`."""
    descriptor = Path(descriptor)
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    confirm = confirmed(descriptor, meta, releases)
    by_table: dict[str, list[str]] = {}
    for path, result in imported:
        by_table.setdefault(result.resource["path"], []).append(path.name)
    out: dict[str, list[Problem]] = {}
    for path, result in imported:
        resource, where = result.resource, result.where
        found = out.setdefault(path.name, [])
        others = [n for n in by_table[resource["path"]] if n != path.name]
        if others:
            found.append(Problem(where, message=f"同一个拉取请求里还有 {'、'.join(others)} 也是 {resource['path']} 这张表；"
                                 "两个工作簿都导入的话，先导入的修改会被后导入的覆盖。两个都没有导入。",
                                 fix="把修改合并到一个工作簿里，删除 inbox/ 中多余的一个（如“targets (1).xlsx”），再提交。"))
        now = rows_of(before.get(resource["path"], b""), resource) if resource["path"] in before else {}
        sheet = {identity(resource, r): r for _, r in canonical_rows(result.records, resource)}
        version = template_version(path)
        published = newest_release(releases)
        latest = rows_at_version(published, resource, releases, repo, descriptor) if published else None
        moved: set[str] = set()  # rows later merges changed, added or deleted since the template was made
        if version and latest is not None and natural_key(version) < natural_key(published):
            then = rows_at_version(version, resource, releases, repo, descriptor)
            moved = {i for i in set(then or {}) | set(latest) if (then or {}).get(i) != latest.get(i)} if then is not None else set()
            reverted = sorted((i for i in moved if i in sheet and sheet[i] != now.get(i)), key=natural_key)
            if reverted:
                found.append(Problem(where, message=f"这个工作簿是用数据版本 {version} 的模板做的，此后发布的版本 {published} 已经改过（或删除）"
                                     f"这些行：{named(reverted)}；导入会把这些修改改回去。没有导入。",
                                     fix="到网站“参与更新”页面下载最新的模板，把你的修改重新填进去后再上传（文件名不变）。"))
        if latest is not None:  # an earlier import of this pull request, put back to the published value by an older copy
            undone = sorted((i for i in now if i not in moved and i in latest and now[i] != latest[i]
                             and sheet.get(i) == latest[i]), key=natural_key)
            if undone:
                found.append(Problem(where, message=f"这些行在本分支上已经和发布的版本 {published} 不同（本拉取请求早先导入的修改，或本分支落后于 main），"
                                     f"这个工作簿却还是发布时的样子：{named(undone)}；导入会把它们改回去。没有导入。",
                                     fix="在上次上传的工作簿上接着改（或改好 inbox/ 中留下的那一份），再上传；"
                                     "确实要改回发布时的样子，请在网页上直接编辑 CSV 文件。"))
        missing = [i for i in now if i not in sheet and not mentions(confirm, i)]
        if missing:
            newer = [i for i in missing if i in moved]
            partial = len(sheet) < len(now) / 2
            said = (f"工作簿里没有 {resource['path']} 的 {len(missing)} 行：{named(missing)}。导入会用工作簿替换整张表，"
                    "这些行就会被删除。没有导入，数据没有改动。")
            if newer:
                said += f"其中 {named(newer)} 是模板生成以后才有的。"
            fix = ("如果只想修改几行：请下载最新的模板，在完整的表上修改后再上传（不要删去其他行）。" if partial else "") + \
                  "如果确实要删除这些行：在版本记录（changes）新增的一行的“说明”里写上它们的编号，如“删除 " + \
                  "、".join(sorted(missing, key=natural_key)[:2]) + "”，和这个工作簿一起上传。"
            found.append(Problem(where, message=said, fix=fix))
    refused = {name: found for name, found in out.items() if found}
    base = descriptor.parent
    for path, result in imported:
        if path.name in refused:
            target = base / result.resource["path"]
            if result.resource["path"] in before:
                target.write_bytes(before[result.resource["path"]])
            else:
                target.unlink(missing_ok=True)
    return refused
