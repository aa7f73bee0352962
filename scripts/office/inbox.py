"""The inbox: what the workflow runs on a pull request, so that the office needs only Excel and the GitHub website.

    python -m scripts.office.inbox [--github] [--summary FILE] [--report FILE]

1. Every CSV file of the package that Excel or the web editor saved in another form (BOM, CRLF, GBK or UTF-16, Chinese
   column titles, another column or row order, stray spaces) is rewritten in canonical form (scripts.office.normalise).
2. Every workbook (.xlsx, .xls, .ods, or a .csv file) in inbox/ is imported with the project's importer
   (scripts.office.import_xlsx) into the resource its file name, sheet name or header names; a workbook that imports
   cleanly is removed from the inbox, one that does not stays there, and its problems are said with the workbook's rows
   and column letters. The documents workbook goes first, so that the files it names are known.
3. A document named in the 原文文本 column of documents (e.g. 附件1.docx, a .docx, .pdf, .txt or spreadsheet uploaded as it
   arrived) is registered: its text and the original are saved under datapackage/sources/ (scripts.office.uploads).
   Any other file (a WPS .et, a .numbers, a Word file nobody names) is refused: the check turns red and the file stays.
4. The package is validated; problems in an imported table are said at the row of the workbook the clerk has open.
   Search words missing for a new service are a note (with words proposed from its name), not a problem.

Every message is in Chinese, on stdout, in --summary (Markdown, e.g. $GITHUB_STEP_SUMMARY), in --report (the same
Markdown, only when there is something to say: the pull request's comment) and with --github as annotations. The files
it changed are left in the working tree for the workflow to commit. Exit 1 when a workbook was not imported or the
package has a problem, else 0.
"""
import argparse
import json
import sys
from pathlib import Path

from .guard import hold, snapshot
from .import_xlsx import CALAMINE, Imported, import_sheet, in_workbook, open_sheet
from .uploads import named_uploads, register
from .normalise import field_for_label, label_key, normalise_package, sync_version
from ..paths import DESCRIPTOR, INBOX
from ..validate import problems as package_problems
from ..validate.problem import Problem, inert, markdown
from ..validate.vocabulary import coverage_notes

KINDS = (".xlsx", ".xlsm", ".csv") + CALAMINE
KEEP = {"README.md", ".gitkeep"}


def which_resource(path: Path, meta: dict) -> tuple[dict | None, Problem | None]:
    """The resource a workbook is for: its file name (resource name or Chinese title), else its sheet's name, else its header."""
    resources = [r for r in meta["resources"] if isinstance(r, dict) and "schema" in r]
    stem = label_key(path.stem).lower()
    named = [r for r in resources if r["name"].lower() in stem or label_key(r.get("title", "")) in stem and r.get("title")]
    if named:
        return max(named, key=lambda r: max(len(r["name"]) * (r["name"].lower() in stem), len(r.get("title", "")) * (label_key(r.get("title", "")) in stem))), None
    sheet, found = open_sheet(path, lambda labels: max(len(labels & set(field_for_label(r))) for r in resources))
    if sheet is None:
        return None, found[0]
    titled = [r for r in resources if label_key(sheet.name) in (r["name"], label_key(r.get("title", "")))]
    if len(titled) == 1:
        return titled[0], None
    labels = {label_key(c) for row in sheet.rows[:2] for c in row if c.strip()}
    scores = sorted(((len(labels & set(field_for_label(r))), r["name"]) for r in resources), reverse=True)
    if scores and scores[0][0] >= 2 and (len(scores) == 1 or scores[0][0] > scores[1][0]):
        return next(r for r in resources if r["name"] == scores[0][1]), None
    names = "、".join(f"{r['name']}（{r.get('title', '')}）" for r in resources)
    return None, Problem(path.name, message="看不出这个工作簿是哪一张表的：文件名、工作表名和列名都对不上。",
                         fix=f"把文件名改为表名，如 services.xlsx 或 基本公共服务项目.xlsx。可用的表名：{names}。")


def run(descriptor: Path = DESCRIPTOR, inbox: Path = INBOX) -> dict:
    """Do the three steps; return what happened, as plain data."""
    descriptor, inbox = Path(descriptor), Path(inbox)
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    normalised = normalise_package(descriptor)
    tidied = [(rel, said) for rel, said, written in normalised if written]
    untouched = [(rel, said) for rel, said, written in normalised if not written and said]
    files = sorted(p for p in inbox.iterdir() if p.is_file() and p.name not in KEEP) if inbox.is_dir() else []
    before = snapshot(descriptor, meta)
    imported, refused, problems, notes, other = [], [], [], [], []
    uploads = named_uploads(descriptor)  # files documents.csv already names; the documents workbook may name more
    tables = [p for p in files if p.suffix.lower() in KINDS]
    documents = [p for p in tables if p.name not in uploads and (which_resource(p, meta)[0] or {}).get("name") == "documents"]
    for path in documents + [p for p in files if p not in documents]:
        if path == next((p for p in files if p not in documents), None):
            uploads |= named_uploads(descriptor)  # the documents workbooks are in: the files they name are known
        if path not in documents and path.name in uploads:
            continue  # a document's original: registered below
        if path.suffix.lower() not in KINDS:
            other.append(path.name)
            problems.append(wrong_kind(path, inbox))
            continue
        resource, problem = which_resource(path, meta)
        if resource is None:
            refused.append((path.name, None))
            problems.append(problem)
            continue
        result: Imported = import_sheet(path, resource, descriptor)
        notes += result.notes
        if result.problems:
            refused.append((path.name, resource))
            problems += result.problems
        else:
            imported.append((path.name, result))
    held = hold(descriptor, [(inbox / name, result) for name, result in imported], before)  # no silent loss or reversion
    refused += [(name, result.resource) for name, result in imported if name in held]
    problems += [p for name in held for p in held[name]]
    imported = [(name, result) for name, result in imported if name not in held]
    for name, _ in imported:
        (inbox / name).unlink()
    tidied += [(descriptor.name, said) for said in [sync_version(descriptor)] if said]  # the version from the changes row
    registered, more, said = register(descriptor, inbox)
    worked = imported or registered or tidied  # an update: say what it leaves to do later; a run with nothing to do stays silent
    problems, notes = problems + more, notes + said + (coverage_notes(descriptor) if worked else [])
    found = in_workbook(package_problems(descriptor), [i for _, i in imported])
    return {"tidied": tidied, "untouched": untouched, "imported": imported, "refused": refused, "other": other,
            "registered": registered, "problems": problems, "notes": notes, "found": found, "inbox": inbox.name}


def wrong_kind(path: Path, inbox: Path) -> Problem:
    """A file the inbox cannot take: what to do with it, in the clerk's words."""
    where = f"{inbox.name}/{path.name}"
    if path.suffix.lower() in (".docx", ".pdf", ".txt", ".doc", ".wps"):
        return Problem(where, message="这个文件没有登记：公开文件表（documents）中没有哪一行的“原文文本”填了这个文件名。",
                       fix=f"在公开文件表这份文件的一行，“原文文本”填“{path.name}”（与文件名完全一致），公开状态填“全文公开”；"
                           "表格和文件一起上传。旧的 .doc 和 .wps 文件请先在 Word 或 WPS 里另存为 .docx。")
    return Problem(where, message=f"不能读取 {path.suffix or '没有扩展名的'} 文件，没有处理；文件留在 {inbox.name}/。",
                   fix="在 Excel 或 WPS 里另存为 .xlsx（“文件 → 另存为 → Excel 工作簿(*.xlsx)”），再上传到 "
                       f"{inbox.name}/，然后删除这个文件。文件原文请存为 .docx 或 .pdf。")


def item(p: Problem) -> str:
    return p.markdown()


def report(done: dict) -> str:
    """Everything in Markdown: the job summary and the pull request's comment."""
    box = done["inbox"]
    lines = ["## 收件箱和格式整理", ""]
    if done["tidied"]:
        lines += ["自动整理了这些文件（CSV 只改格式，不改内容）：", ""]
        lines += [f"- {markdown(rel)}：{markdown('；'.join(said))}。" for rel, said in done["tidied"]] + [""]
    if done["untouched"]:
        lines += ["这些 CSV 文件没有自动整理（原因见下文“数据检查”）：", ""]
        lines += [f"- {markdown(rel)}：{markdown('；'.join(said))}。" for rel, said in done["untouched"]] + [""]
    for name, result in done["imported"]:
        lines.append(f"- {box}/{markdown(name)} → {markdown(result.resource['path'])}：已导入 {len(result.records)} 条记录，工作簿已从 {box}/ 删除。")
    for name, resource in done["refused"]:
        target = f" → {markdown(resource['path'])}" if resource else ""
        lines.append(f"- {box}/{markdown(name)}{target}：**没有导入**，问题见下文；工作簿留在 {box}/，数据文件未改动。改好后用同样的文件名再上传一次即可。")
    for name in done["other"]:
        lines.append(f"- {box}/{markdown(name)}：**没有处理**，这种文件不能读取，问题见下文；文件留在 {box}/。")
    for r in done.get("registered", []):
        lines.append(f"- {box}/{markdown(r.upload)} → datapackage/{markdown(r.text_path)}：已提取文件 {markdown(r.document)} 的文字（{r.characters} 个字），"
                     + (f"原件保存为 datapackage/{markdown(r.original)}，随数据一起发布；" if r.original else "") + f"文件已从 {box}/ 删除。")
    if done["imported"] or done["refused"] or done["other"] or done.get("registered"):
        lines.append("")
    if done["problems"]:
        lines += [f"### 导入时发现 {len(done['problems'])} 个问题", ""] + [item(p) for p in done["problems"]] + [""]
    if done["notes"]:
        lines += ["### 提示", ""] + [item(p) for p in done["notes"]] + [""]
    lines += ["### 数据检查", ""]
    if done["found"]:
        lines += [f"发现 {len(done['found'])} 个问题（导入的表按工作簿中的行号和列字母列出）：", ""] + [item(p) for p in done["found"]]
        if done["imported"]:
            lines += ["", f"在 Excel 里改好后，把工作簿再上传到 {box}/（文件名不变，提交到本分支）即可；也可以在网页上直接改 CSV 文件。"]
    elif done["refused"] or done["problems"]:
        lines.append("数据文件没有发现问题，但上面有工作簿没有导入：本次检查**没有通过**。")
    else:
        lines.append("通过：没有发现问题。")
    return "\n".join(lines) + "\n"


def has_news(done: dict) -> bool:
    return any(done.get(k) for k in ("tidied", "untouched", "imported", "refused", "other", "registered", "problems", "notes"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--descriptor", default=str(DESCRIPTOR), help="datapackage.json 的路径（默认：本项目的数据包）")
    parser.add_argument("--inbox", default=str(INBOX), help="收件箱文件夹（默认：inbox/）")
    parser.add_argument("--github", action="store_true", help="同时输出 GitHub Actions 注释（::error、::warning）")
    parser.add_argument("--summary", help="把结果以 Markdown 追加到这个文件（如 $GITHUB_STEP_SUMMARY）")
    parser.add_argument("--report", help="有需要告诉提交人的内容时，把同样的 Markdown 写入这个文件（拉取请求的评论）")
    args = parser.parse_args(argv)
    done = run(Path(args.descriptor), Path(args.inbox))
    text = report(done)
    print(inert(text))
    if args.github:
        for p in done["problems"] + done["found"]:
            print(p.github())
        for p in done["notes"]:
            print(p.github().replace("::error", "::warning", 1))
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as out:
            out.write(text + "\n")
    if args.report and has_news(done):
        Path(args.report).parent.mkdir(parents=True, exist_ok=True)
        Path(args.report).write_text(text, encoding="utf-8")
    return 1 if done["problems"] or done["found"] else 0


if __name__ == "__main__":
    sys.exit(main())
