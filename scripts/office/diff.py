"""Say in Chinese what a change does to the data: the package at BASE (a git revision, default main; or a folder) → this package.

Prints, per resource, the records added, removed and changed, and for each changed record every changed field's
Chinese title with its value before and after; then the descriptor's version and the other files (source texts).
The same Markdown is the pull request's job summary and the release note; text from the data is escaped there. With --check-version, exit 1 when the
data changed but no row was added to changes.csv (the version's one home) or datapackage.json does not carry it yet.
"""
import argparse
import csv
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from ..paths import DESCRIPTOR
from ..package import natural_key
from ..validate.problem import inert, markdown

LABEL_FIELDS = ("name", "title", "indicator", "milestone", "summary", "heading")
CHANGES = "changes"


def git_package(base: str, descriptor: Path, into: Path) -> Path:
    """Copy the package folder as it is at git revision `base` into `into`; return its datapackage.json path."""
    folder = Path(descriptor).resolve().parent
    run = lambda *args, cwd=folder: subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True).stdout
    top = Path(run("rev-parse", "--show-toplevel").decode().strip())
    rel = folder.relative_to(top).as_posix().strip(".")
    names = run("ls-tree", "-r", "-z", "--name-only", base, "--", rel or ".", cwd=top).decode().split("\0")
    for name in filter(None, names):
        data = run("show", f"{base}:{name}", cwd=top)
        target = into / Path(name).relative_to(rel) if rel else into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return into / Path(descriptor).name


def read_package(descriptor: Path) -> tuple[dict, dict[str, dict], dict[str, list[dict]]]:
    """(descriptor, resources by name, raw text rows by resource name) of a package; empty when it does not exist."""
    descriptor = Path(descriptor)
    if not descriptor.is_file():
        return {}, {}, {}
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in meta.get("resources", []) if isinstance(r, dict) and "name" in r}
    tables = {}
    for name, r in resources.items():
        path = descriptor.parent / r.get("path", "")
        if path.is_file():
            text = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
            tables[name] = list(csv.DictReader(io.StringIO(text)))
    return meta, resources, tables


def key_of(resource: dict, row: dict) -> str:
    keys = resource.get("schema", {}).get("primaryKey") or [resource["schema"]["fields"][0]["name"]]
    keys = [keys] if isinstance(keys, str) else keys
    return "、".join(row.get(k) or "" for k in keys)


def label(resource: dict, row: dict) -> str:
    names = [f["name"] for f in resource["schema"]["fields"]]
    text = next((row.get(n) for n in LABEL_FIELDS if n in names and row.get(n)), "")
    return markdown(f"{key_of(resource, row)}（{short(text)}）" if text else key_of(resource, row))


def short(value: str, limit: int = 80) -> str:
    value = (value or "").replace("\n", "⏎")
    return value if len(value) <= limit else value[:limit] + "…"


def shown(value: str) -> str:
    return markdown(f"“{(value or '').replace(chr(10), '⏎')}”") if value else "（空）"


def compare(old_descriptor: Path, new_descriptor: Path) -> dict:
    """Everything that differs between two packages, as plain data."""
    old_meta, old_res, old_tables = read_package(old_descriptor)
    new_meta, new_res, new_tables = read_package(new_descriptor)
    out = {"version": (old_meta.get("version"), new_meta.get("version")), "resources": [], "files": []}
    for name in list(new_res) + [n for n in old_res if n not in new_res]:
        resource = new_res.get(name) or old_res[name]
        fields = resource["schema"]["fields"]
        titles = {f["name"]: f.get("title", f["name"]) for f in fields}
        before = {key_of(resource, r): r for r in old_tables.get(name, [])}
        after = {key_of(resource, r): r for r in new_tables.get(name, [])}
        order = lambda keys: sorted(keys, key=natural_key)
        added = [after[k] for k in order(after.keys() - before.keys())]
        removed = [before[k] for k in order(before.keys() - after.keys())]
        changed = []
        for k in order(after.keys() & before.keys()):
            diffs = [(titles.get(n, n), before[k].get(n) or "", after[k].get(n) or "")
                     for n in list(titles) + [n for n in before[k] if n not in titles]
                     if (before[k].get(n) or "") != (after[k].get(n) or "")]
            if diffs:
                changed.append((after[k], diffs))
        old_fields = [f["name"] for f in old_res[name]["schema"]["fields"]] if name in old_res else []
        new_fields = [f["name"] for f in new_res[name]["schema"]["fields"]] if name in new_res else []
        entry = {"name": name, "title": resource.get("title", name), "path": resource.get("path", f"{name}.csv"),
                 "resource": resource, "added": added, "removed": removed, "changed": changed,
                 "new_resource": name not in old_res, "dropped_resource": name not in new_res,
                 "fields_added": [titles.get(n, n) for n in new_fields if n not in old_fields and old_fields],
                 "fields_removed": [n for n in old_fields if n not in new_fields and new_fields]}
        if added or removed or changed or entry["new_resource"] or entry["dropped_resource"] or entry["fields_added"] or entry["fields_removed"]:
            out["resources"].append(entry)
    listed = {r.get("path") for r in list(old_res.values()) + list(new_res.values())} | {Path(new_descriptor).name}
    old_base, new_base = Path(old_descriptor).parent, Path(new_descriptor).parent
    files = lambda base: {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()} if base.is_dir() else set()
    old_files, new_files = files(old_base) - listed, files(new_base) - listed
    for rel in sorted(old_files | new_files, key=natural_key):
        if rel not in old_files:
            out["files"].append(("新增", rel))
        elif rel not in new_files:
            out["files"].append(("删除", rel))
        elif (old_base / rel).read_bytes() != (new_base / rel).read_bytes():
            out["files"].append(("修改", rel))
    return out


def data_changed(result: dict) -> bool:
    """True when a record or a source file differs; the version, the changes log and empty new tables or columns do not count."""
    return bool(result["files"]) or any(r["added"] or r["removed"] or r["changed"] for r in result["resources"] if r["name"] != CHANGES)


def report(result: dict, base: str = "main") -> str:
    """The change in Markdown: the job summary and the release note."""
    lines = [f"## 数据变化（与 {base} 比较）", ""]
    old_v, new_v = result["version"]
    if old_v != new_v:
        lines += [f"版本：{old_v or '（无）'} → {new_v}", ""]
    else:
        lines += [f"版本：{new_v}（未改变）", ""]
    if not result["resources"] and not result["files"]:
        lines += ["数据没有变化。", ""]
    for r in result["resources"]:
        counts = "，".join(f"{word} {len(r[k])} 项" for word, k in (("新增", "added"), ("删除", "removed"), ("修改", "changed")) if r[k])
        lines.append(f"### {r['title']}（{r['path']}）" + (f"：{counts}" if counts else ""))
        lines.append("")
        if r["new_resource"]:
            lines.append("- 新增的数据表")
        if r["dropped_resource"]:
            lines.append("- 删除了这个数据表")
        if r["fields_added"]:
            lines.append("- 新增列：" + "、".join(r["fields_added"]))
        if r["fields_removed"]:
            lines.append("- 删除列：" + "、".join(r["fields_removed"]))
        for row in r["added"]:
            lines.append(f"- 新增 {label(r['resource'], row)}")
        for row in r["removed"]:
            lines.append(f"- 删除 {label(r['resource'], row)}")
        for row, diffs in r["changed"]:
            lines.append(f"- 修改 {label(r['resource'], row)}")
            for title, before, after in diffs:
                lines.append(f"  - {title}：{shown(before)} → {shown(after)}")
        lines.append("")
    if result["files"]:
        lines += ["### 其他文件", ""] + [f"- {what} {markdown(rel)}" for what, rel in result["files"]] + [""]
    return "\n".join(lines)


def version_problems(result: dict) -> list[str]:
    """What the editor must still do when the data changed (Chinese), or [] when the version and log are in order.
    The version has one home the office edits, the new row of the changes table; datapackage.json follows it
    (scripts.office.normalise.sync_version, run by the inbox and `make format`)."""
    if not data_changed(result):
        return []
    old_v, new_v = result["version"]
    log = next((r for r in result["resources"] if r["name"] == CHANGES), None)
    added = [str(r.get("version") or "") for r in (log["added"] if log else [])]
    grows = any(r["added"] or r["removed"] or r["new_resource"] for r in result["resources"] if r["name"] != CHANGES)
    suggest = "1.0.0"
    if old_v and str(old_v).count(".") == 2:
        major, minor, patch = str(old_v).split(".")
        suggest = f"{major}.{int(minor) + 1}.0" if grows and minor.isdigit() else f"{major}.{minor}.{int(patch) + 1 if patch.isdigit() else 1}"
    how = (f"在版本记录（changes）末尾新增一行：版本号 {suggest}（增加或删除了项目时提高第二位，只修改内容时提高第三位）、日期、"
           "批准文件（文号）和说明。可以下载 changes 模板填好后和其他工作簿一起上传到 inbox/，也可以在网页上直接编辑 changes.csv。"
           "datapackage.json 的版本号由检查自动写入，不用手改。")
    if not added:
        return [f"数据有变化，但版本记录（changes.csv）没有新增一行。\n    怎么改：{how}"]
    higher = [v for v in added if old_v is None or natural_key(v) > natural_key(str(old_v))]
    if not higher:
        return [f"版本记录新增的版本号 {'、'.join(added)} 不高于 main 上的 {old_v}。\n    怎么改：把新增那一行的版本号改为 {suggest}。"]
    if old_v and natural_key(str(new_v)) <= natural_key(str(old_v)):
        return [f"版本记录新增了 {max(higher, key=natural_key)}，但 datapackage.json 的版本号仍是 {old_v}。\n"
                "    怎么改：收件箱检查会自动把版本号写入 datapackage.json 并提交；维护人员也可以运行 make format 后提交。"]
    return []


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("base", nargs="?", default="main", help="比较的基准：git 版本（默认 main）或另一个数据包目录")
    parser.add_argument("--descriptor", default=str(DESCRIPTOR), help="datapackage.json 的路径（默认：本项目的数据包）")
    parser.add_argument("--check-version", action="store_true", help="数据有变化却没有提高版本号、没有新增更新记录时失败")
    parser.add_argument("--summary", help="把结果以 Markdown 追加到这个文件（如 $GITHUB_STEP_SUMMARY）")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base_path = Path(args.base)
        if base_path.is_dir() or base_path.suffix == ".json":
            old = base_path / "datapackage.json" if base_path.is_dir() else base_path
        else:
            try:
                old = git_package(args.base, Path(args.descriptor), Path(tmp))
            except (subprocess.CalledProcessError, OSError, ValueError) as e:
                detail = getattr(e, "stderr", None) or str(e)
                detail = (detail.decode("utf-8", "replace") if isinstance(detail, bytes) else detail).strip()
                print(f"无法读取基准版本 {args.base}：{detail}\n    怎么改：确认版本名正确；在 GitHub Actions 中检出时要设置 fetch-depth: 0。")
                return 2
        result = compare(old, Path(args.descriptor))
        text = report(result, args.base)
    found = version_problems(result) if args.check_version else []
    if found:
        text += "\n## 版本检查未通过\n\n" + "\n\n".join(f"{i}. {p}" for i, p in enumerate(found, 1)) + "\n"
    elif args.check_version and data_changed(result):
        text += "\n版本检查通过：版本记录（changes.csv）已新增一行，datapackage.json 的版本号已跟着提高。\n"
    print(inert(text))
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as out:
            out.write(text + "\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
