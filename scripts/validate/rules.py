"""The project's own rules on the raw CSV cells: provenance, statuses, lists, numbers, counts and canonical form."""
import re
import unicodedata

from ..package import UNPUBLISHED, natural_key
from .corpus import find, near_miss, searched
from .raw import inside
from .problem import Problem, column_label
from .descriptor import REQUIRED_RESOURCES
from .provenance import document_of, source_problems, unregistered_files
from .statements import target_problems
from .numbers import number_forms, whole_number_in
from .reading import code_problems, target_reading_problems, unit_spelling_problems

MAX_CELL = 2000
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
INTEGER = re.compile(r"-?[0-9]+")
FULLWIDTH = re.compile(r"[０-９．，－％]")
WEB_ADDRESS = re.compile(r"https?://[^\s\"'<>]+")
PUNCT_HINT = "从原文复制粘贴，保持字词和标点与原文完全一致（原文多处使用半角逗号“,”和半角括号“()”）。"


def percent_slip(value: str, kind: str, quote: str) -> str | None:
    """The number as typed when Excel stored it as a fraction (99% typed in a %-formatted cell → 0.99) and the quote has it."""
    if kind != "number" or not NUMBER.fullmatch(value) or not 0 < float(value) <= 1:
        return None
    shown = f"{float(value) * 100:.10g}"
    return shown if find(shown + "%", quote) else None


col = column_label


def sort_key(resource: dict) -> list[str]:
    """Canonical row order: by `order` where the table has one, else by the primary key."""
    names = [f["name"] for f in resource["schema"]["fields"]]
    return ["order"] if "order" in names else list(resource["schema"].get("primaryKey", []))


def items(field: dict, value: str) -> list[str]:
    if field.get("type") == "list":
        return [v.strip() for v in value.split(field.get("delimiter", ",")) if v.strip()]
    return [value]


def quote_problem(rel, row, field, shown, text, line, document="", texts=None, docs=None) -> Problem:
    near = near_miss(shown, text)
    short = shown if len(shown) <= 60 else shown[:60] + "…"
    if near:
        return Problem(rel, row, col(field), f"“{short}”与原文的标点或字符不一致，原文是“{near[:60]}”。", PUNCT_HINT, line)
    return Problem(rel, row, col(field), f"“{short}”在原文中找不到{searched(shown, document, texts or {}, docs)}。", PUNCT_HINT, line)


def verbatim_problems(rel, row, field, value, text, line, document="", texts=None, docs=None) -> list[Problem]:
    mode = field.get("verbatim")
    if mode == "path":
        parts = value.split(" / ")
    elif mode == "items":
        parts = items(field, value)
    elif mode == "date":
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
        parts = [f"{m[1]}年{int(m[2])}月{int(m[3])}日"] if m else []
    else:
        parts = value.split("\n")
    return [quote_problem(rel, row, field, p, text, line, document, texts, docs) for p in parts if p.strip() and not find(p, text)]


def invisible(value: str) -> str | None:
    """The first character an editor cannot see and should not publish: control characters (other than the line break),
    zero-width and direction marks, line/paragraph separators, private-use and unassigned code points."""
    if value.replace("\n", "").isprintable():  # fast path: isprintable() is False for every category below (and Zs)
        return None
    for ch in value:
        if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"):
            return f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".strip()
    return None


def cell_problems(rel: str, row: int, line: int, record: dict, fields: dict, texts: dict | None, resource: str = "",
                  docs: dict | None = None, list_doc: str | None = None) -> list[Problem]:
    """Every rule that looks at one row. `texts`: each published document's text by id (None: the sources cannot be read,
    so quotes are not checked one by one); a quote is found only in the text of its own document."""
    out = []
    if texts is not None and docs is not None:
        out += source_problems(rel, row, line, record, fields, docs, texts, list_doc)
        own = texts.get(document_of(resource, record, "quote", fields, list_doc))
        out += target_problems(rel, row, line, record, fields, own)
    out += target_reading_problems(rel, row, line, record, fields)
    for name, field in fields.items():
        value = record.get(name, "")
        if value != value.strip() or "  " in value.replace("\n", ""):
            out.append(Problem(rel, row, col(field), "单元格开头或结尾有多余的空格（或连续空格）。", "拉取请求中的“收件箱和格式整理”检查会自动删除多余空格并提交；在本机可运行 make format。", line))
        value = value.strip()
        if len(value) > MAX_CELL:
            out.append(Problem(rel, row, col(field), f"单元格有 {len(value)} 个字符，超过上限 {MAX_CELL}。", "检查是否误粘贴了大段内容；长文本请拆分。", line))
            continue
        if not value:
            continue
        if hidden := invisible(value):
            out.append(Problem(rel, row, col(field), f"单元格里有看不见的控制字符（{hidden}），网页和下载文件中会出现乱码或错乱的文字方向。",
                               "删除这个字符：从原文或记事本中重新复制这一格的内容。", line))
            continue
        if field.get("format") == "uri" and not WEB_ADDRESS.fullmatch(value):
            out.append(Problem(rel, row, col(field), f"“{value[:60]}”不是以 http:// 或 https:// 开头的网址。", "填写完整的网址，如 http://xxgk.siping.gov.cn/…。", line))
            continue
        kind = field.get("type")
        if kind in ("number", "integer") and not (NUMBER if kind == "number" else INTEGER).fullmatch(value):
            if kind == "integer" and NUMBER.fullmatch(value):
                why, fix = "不是整数（带了小数点）", "只填半角整数，如 2020。"
            elif FULLWIDTH.search(value):
                why, fix = "用了全角数字或符号", "改为半角数字，如 1000、5.16。"
            elif "," in value:
                why, fix = "带了千分位逗号", "去掉逗号，如 17333。"
            elif re.search(r"[0-9]", value):
                why, fix = "数字里带了单位、文字或符号", "只填数字，单位写在“单位”列；“以上”“左右”等写在“比较”列。"
            else:
                why, fix = "不是数字", "只填半角数字。"
            out.append(Problem(rel, row, col(field), f"“{value}”{why}。", fix, line))
            continue
        if field.get("verbatim") and texts is not None:
            document = document_of(resource, record, name, fields, list_doc)
            if not document and not fields.get("source", {}).get("constraints", {}).get("required"):
                out.append(Problem(rel, row, col(field), "填写了原文摘录，但没有写它出自哪份文件，无法核对。",
                                   "在“出处文件”列填写摘录所在文件的编号（见 documents.csv，方案正文是 plan）。", line))
                continue
            text = texts.get(document)
            if text is not None:  # a missing or unpublished document is reported once, by source_problems
                out += verbatim_problems(rel, row, field, value, text, line, document, texts, docs)
        target = field.get("quotedIn")
        if target:
            quote = record.get(target, "").strip()
            if not quote:
                out.append(Problem(rel, row, col(field), f"填写了内容，但“{fields[target].get('title', target)}”是空的。",
                                   f"在“{fields[target].get('title', target)}”列填写支持这项内容的原文句子。", line))
            else:
                for item in items(field, value):
                    forms = number_forms(item) if kind in ("number", "integer") else [item]
                    shown = forms[0]
                    written = (lambda f: whole_number_in(f, quote)) if kind in ("number", "integer") else (lambda f: find(f, quote))
                    if not any(written(form) for form in forms):
                        if (typed := percent_slip(item, kind, quote)) is not None:
                            out.append(Problem(rel, row, col(field), f"单元格是百分比格式：{typed}% 存成了 {item}。",
                                               f"请把单元格格式改为“常规”后填 {typed}。", line))
                            continue
                        out.append(Problem(rel, row, col(field), f"“{shown[:60]}”没有出现在本行的“{fields[target].get('title', target)}”中。",
                                           "内容必须是摘录中的原文片段；数值须与摘录中的写法一致。", line))
    for name, field in fields.items():
        subject = field.get("statusFor")
        if not subject or subject not in fields:
            continue
        status, value = record.get(name, "").strip(), record.get(subject, "").strip()
        quote = record.get(fields[subject].get("quotedIn", ""), "").strip()
        if status == UNPUBLISHED and (value or quote):
            out.append(Problem(rel, row, col(field), f"标为“{UNPUBLISHED}”，但“{fields[subject].get('title')}”或其摘录已填写。",
                               f"如果原文载明了，请把状态改为“正文载明”或“清单载明”；否则清空内容和摘录。", line))
        elif status and status != UNPUBLISHED and not (value and quote):
            out.append(Problem(rel, row, col(field), f"标为“{status}”，但“{fields[subject].get('title')}”或其摘录是空的。",
                               f"填写内容和原文摘录；原文没有载明的，状态填“{UNPUBLISHED}”。", line))
    return out


def table_problems(rel: str, resource: dict, records: list[dict], lines: list[int], texts: dict | None, ids: dict,
                   docs: dict | None = None, list_doc: str | None = None) -> list[Problem]:
    """Rules for one table: every row, list references, canonical order."""
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    out = []
    for i, record in enumerate(records):
        row, line = i + 2, lines[i + 1] if i + 1 < len(lines) else None
        out += cell_problems(rel, row, line, record, fields, texts, resource.get("name", ""), docs, list_doc)
        for name, field in fields.items():
            ref = field.get("references")
            if ref and ref in ids and record.get(name, "").strip():
                for item in items(field, record[name].strip()):
                    if item not in ids[ref]:
                        out.append(Problem(rel, row, col(field), f"“{item}”不是允许的值：{ref}.csv 中没有这个编号。",
                                           f"只能填以下之一：{'、'.join(sorted(ids[ref], key=natural_key))}（多个用全角分号“；”分隔）。", line))
    out += unit_spelling_problems(rel, records, fields)
    key = sort_key(resource)
    if key and records and all(k in records[0] for k in key):
        values = [tuple(natural_key(r.get(k, "")) for k in key) for r in records]
        if values != sorted(values):
            first = next(i for i in range(1, len(values)) if values[i] < values[i - 1])
            out.append(Problem(rel, first + 2, message="行没有按编号排序。", fix="拉取请求中的“收件箱和格式整理”检查会自动排序并提交；在本机可运行 make format。",
                               line=lines[first + 1] if first + 1 < len(lines) else None))
    return out


def package_problems(descriptor: dict, tables: dict[str, list[dict]], base) -> list[Problem]:
    """Rules across the package: expected counts, version and changes, the declared list size, source files."""
    out = code_problems(descriptor)
    for name in REQUIRED_RESOURCES:
        if name in tables and not tables[name]:
            out.append(Problem(f"{name}.csv", message="文件只有表头，没有数据。", fix="从 git 历史恢复数据行，或重新从 Excel 导入。"))
    for name, expected in descriptor.get("expectedRows", {}).items():
        if name in tables and len(tables[name]) != expected:
            out.append(Problem(f"{name}.csv", message=f"应有 {expected} 行数据（原文共 {expected} 项），实际有 {len(tables[name])} 行。",
                               fix="检查是否误删、重复或多加了行。"))
    version = str(descriptor.get("version", ""))
    if not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", version):
        out.append(Problem("datapackage.json", message=f"版本号“{version}”不是语义化版本号（如 1.2.0）。", fix="把 \"version\" 改为 主版本.次版本.修订号 的形式。"))
    elif "changes" in tables:
        versions = [r.get("version", "") for r in tables["changes"]]
        latest = max(versions, key=natural_key, default="")
        if version not in versions:
            out.append(Problem("changes.csv", message=f"datapackage.json 的版本号是 {version}，但 changes.csv 中没有这个版本的记录。",
                               fix=f"在 changes.csv 末尾增加一行：版本号 {version}、日期、批准文件（文号）和说明。"))
        elif version != latest:
            out.append(Problem("datapackage.json", message=f"版本号 {version} 不是 changes.csv 中最新的版本 {latest}。", fix=f"不用手改：“收件箱和格式整理”检查会把版本记录最新一行的版本号 {latest} 写入 datapackage.json 并提交到同一分支；维护人员在本机运行 make format 也一样。"))
    declared = descriptor.get("serviceList", {}).get("declaredItems")
    if declared and "services" in tables:
        numbered = [r.get("annex_item") for r in tables["services"] if r.get("annex_item")]
        if len(numbered) > declared:
            out.append(Problem("services.csv", message=f"有 {len(numbered)} 项填写了清单序号，超过清单声明的 {declared} 项。",
                               fix="核对清单序号；清单调整项目数时，同时修改 datapackage.json 中 serviceList 的 declaredItems。"))
        seen = set()
        for i, r in enumerate(tables["services"]):
            n = r.get("annex_item")
            if n and n in seen:
                out.append(Problem("services.csv", i + 2, "清单序号（annex_item）", f"清单序号 {n} 重复了。", "每个清单序号只能对应一项服务。"))
            seen.add(n)
    out += unregistered_files(base, tables.get("documents", []))
    for i, r in enumerate(tables.get("documents", [])):
        if r.get("status") == "全文公开" and not r.get("text_path"):
            out.append(Problem("documents.csv", i + 2, "原文文本（text_path）", "标为“全文公开”，但没有填写原文文本文件。",
                               "把全文保存为 UTF-8 文本放在 datapackage/sources/，并在这里填写路径，如 sources/annex-1.txt。"))
        elif r.get("text_path") and not (r["text_path"].startswith("sources/") and inside(base, r["text_path"])):
            out.append(Problem("documents.csv", i + 2, "原文文本（text_path）", f"路径“{r['text_path']}”不在数据包的 sources/ 目录中。",
                               "原文文本必须放在 datapackage/sources/，这里填写如 sources/annex-1.txt 的相对路径。"))
        elif r.get("text_path") and not (base / r["text_path"]).is_file():
            out.append(Problem("documents.csv", i + 2, "原文文本（text_path）", f"找不到文件 {r['text_path']}。",
                               "确认文件已放在 datapackage/sources/ 并已提交。"))
    return out
