"""Check a data package (default: the project's own) and print every problem in Chinese; exit 1 if there is any.

Order: the descriptor → each CSV file's bytes and header → Frictionless (types, constraints, keys; one-column links in
keys.py) → the project's rules.
"""
import argparse
import json
import sys
from pathlib import Path

from frictionless import FrictionlessException, Package

from .corpus import document_texts
from .raw import decode, header_problems, read_descriptor, resolve, rows_with_lines, shape_problems, source_problems
from .messages import translate
from . import keys as keys_
from ..paths import DESCRIPTOR
from .problem import Problem
from .rules import package_problems, table_problems
from .descriptor import descriptor_problems
from .vocabulary import coverage_notes, vocabulary_problems
from .dated import dated_problems
from .fields import field_problems


def frictionless_problems(descriptor: dict, base: Path, good: dict, lines: dict, ids: dict, tables: dict) -> list[Problem]:
    """Types, constraints, primary and foreign keys, on the resources whose files passed the raw checks. One-column text
    foreign keys are checked by scripts/validate/keys.py on `tables` (the rows as read), the rest by Frictionless; each
    table's problems stay in row order, a row's foreign-key problems after its others, as Frictionless orders them."""
    kept = json.loads(json.dumps(descriptor))
    kept["resources"] = [r for r in kept["resources"] if r.get("name") in good]
    ours = {}
    for r in kept["resources"]:
        keys = [k for k in r["schema"].get("foreignKeys", []) if k.get("reference", {}).get("resource") in good]
        ours[r["name"]], r["schema"]["foreignKeys"] = keys_.split(r, keys, good)
    try:
        report = Package(kept, basepath=str(base)).validate()
    except FrictionlessException as e:
        return [Problem("datapackage.json", message=f"描述文件的结构有错误：{e.error.note}", fix="对照 git 历史中的 datapackage.json 改正。")]
    out = []
    for task in report.tasks:
        resource = good.get(task.name)
        if resource is None:
            out += [Problem("datapackage.json", message=f"{error.title}：{error.note}", fix="对照 git 历史中的 datapackage.json 改正。")
                    for error in task.errors]
            continue
        found = list(task.errors) + keys_.errors(resource, ours.get(task.name, []), tables)
        found.sort(key=lambda error: getattr(error, "row_number", None) or 0)  # stable: a row's own errors stay first
        out += [p for error in found if (p := translate(error, resource, lines.get(task.name, []), ids)) is not None]
    for error in report.errors:
        out.append(Problem("datapackage.json", message=f"描述文件有错误：{error.note}", fix="对照 git 历史中的 datapackage.json 改正。"))
    return out


def problems(path: Path = DESCRIPTOR) -> list[Problem]:
    """Every problem in the package at `path`, in the order an editor would fix them."""
    path = Path(path)
    descriptor, found = read_descriptor(path)
    if descriptor is None:
        return found
    base = path.parent
    found += descriptor_problems(descriptor)
    sources = source_problems(base / "sources")
    found += sources
    good, lines, tables, raw_problems, misshapen = {}, {}, {}, [], {}
    for resource in descriptor["resources"]:
        if not isinstance(resource, dict) or not isinstance(resource.get("schema", {}).get("fields"), list):
            continue
        file, problems_here = resolve(base, resource)
        content = None
        if file:
            content, more = decode(file, resource["path"])
            problems_here += more
        if content is not None:
            rows, starts = rows_with_lines(content)
            problems_here += header_problems(resource["path"], rows[0] if rows else [], resource["schema"]["fields"])
            if not problems_here:
                header = rows[0]
                records = [dict(zip(header, r)) for r in rows[1:]]
                tables[resource["name"]], lines[resource["name"]] = records, starts
                shapes, misshapen[resource["path"]] = shape_problems(resource["path"], rows, starts)
                raw_problems += shapes
        if problems_here:
            raw_problems += problems_here
        else:
            good[resource["name"]] = resource
    found += raw_problems
    ids = {name: {r.get("id", "") for r in rows} for name, rows in tables.items()}
    if good:
        found += frictionless_problems(descriptor, base, good, lines, ids, tables)
    documents = tables.get("documents", [])
    texts = None if sources else document_texts(base, documents)  # None: quotes cannot be checked, and are not reported one by one
    docs = {d.get("id", ""): d for d in documents}
    service_list = descriptor.get("serviceList") if isinstance(descriptor.get("serviceList"), dict) else {}
    for name, records in tables.items():
        found += table_problems(good[name]["path"], good[name], records, lines[name], texts, ids, docs, service_list.get("document"))
    found += package_problems(descriptor, tables, base)
    found += vocabulary_problems(descriptor, tables)
    found += dated_problems(descriptor, tables, texts)
    found += field_problems(descriptor, tables)
    shapes = set(raw_problems)
    found = [p for p in found if p in shapes or p.row not in misshapen.get(p.file, ())]  # a misshapen row: said once
    listed = {r.get("path") for r in descriptor["resources"] if isinstance(r, dict)}
    for csv_file in sorted(base.glob("*.csv")):
        if csv_file.name not in listed:
            found.append(Problem(csv_file.name, message="这个文件不属于数据包中的任何资源，不会被发布。", fix="删除它，或在 datapackage.json 中为它定义资源。"))
    return list(dict.fromkeys(found))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("descriptor", nargs="?", default=str(DESCRIPTOR), help="datapackage.json 的路径（默认：本项目的数据包）")
    parser.add_argument("--github", action="store_true", help="同时输出 GitHub Actions 注释（::error）")
    parser.add_argument("--summary", help="把结果以 Markdown 追加到这个文件（如 $GITHUB_STEP_SUMMARY）")
    args = parser.parse_args(argv)
    try:
        found = problems(Path(args.descriptor))
    except Exception as e:  # never a traceback for the editor; the error still fails the check
        found = [Problem(Path(args.descriptor).name, message=f"校验程序无法读取数据包（{type(e).__name__}：{e}）。",
                         fix="请把这条信息发给维护人员。")]
    if found:
        print(f"数据检查发现 {len(found)} 个问题：\n")
        for i, p in enumerate(found, 1):
            print(f"{i}. {p.text()}\n")
    else:
        print("数据检查通过：没有发现问题。")
    notes = coverage_notes(Path(args.descriptor))  # things worth doing later, never a failure
    if notes:
        print(f"\n提示（不影响通过）：\n")
        for p in notes:
            print(f"- {p.text()}\n")
    if args.github:
        for p in found:
            print(p.github())
        for p in notes:
            print(p.github().replace("::error", "::warning", 1))
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as out:
            out.write("## 数据检查\n\n" + ("\n".join(p.markdown() for p in found) if found else "通过：没有发现问题。") + "\n\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
