"""Document-bound provenance: which registered document each quote comes from, and whether a status may say that this
document states the value. A quote is checked against the text of its own document only (see corpus.document_texts)."""
from ..package import UNPUBLISHED
from .problem import Problem, column_label

PUBLISHED = "全文公开"
def body(docs: dict, list_doc: str | None) -> set[str]:
    """What 正文载明 means: the notice that issued the list (the list's parent) and the plan it carries (its 实施方案)."""
    notice = (docs.get(list_doc or "", {}).get("parent_id") or "").strip()
    return {notice} | {i for i, d in docs.items() if d.get("parent_id") == notice and d.get("kind") == "实施方案"} - {""}
BY_STATUS = {"正文载明": "body", "清单载明": "list", "其他文件载明": "other"}
ANNEX_KINDS = ("附件", "表格")  # documents without chapters of their own: a record quoted from one may leave 所在章节 empty


col = column_label


def overrides(fields: dict) -> dict[str, str]:
    """Quote field → the column that names its own document (the schema's `sourceFor`)."""
    return {f["sourceFor"]: name for name, f in fields.items() if f.get("sourceFor")}


def status_of_quote(fields: dict) -> dict[str, str]:
    """Quote field → its status field (status → subject via statusFor, subject → quote via quotedIn)."""
    out = {}
    for name, f in fields.items():
        subject = fields.get(f.get("statusFor", ""))
        if subject and subject.get("quotedIn"):
            out[subject["quotedIn"]] = name
    return out


def document_of(resource: str, record: dict, field: str, fields: dict, list_doc: str | None) -> str:
    """The id of the document a verbatim field is quoted from: the field's own source column if filled; for a
    清单载明 value, the list (serviceList.document); else the record's `source`. A row of documents.csv is quoted from its
    parent's text (an annex's title is in its notice), a notice's from its own."""
    if resource == "documents":
        return (record.get("parent_id") or record.get("id") or "").strip()
    own = overrides(fields).get(field)
    if own and (record.get(own) or "").strip():
        return record[own].strip()
    status = status_of_quote(fields).get(field)
    if status and (record.get(status) or "").strip() == "清单载明" and list_doc:
        return list_doc
    return (record.get("source") or "").strip()


def source_problems(rel, row, line, record, fields, docs: dict, texts: dict, list_doc) -> list[Problem]:
    """The record's document and each per-field document must be registered and published; each status must fit the kind
    of document its quote comes from."""
    out = section_problems(rel, row, line, record, fields, docs)
    if "source" in fields:
        doc = (record.get("source") or "").strip()
        if doc and doc in docs and doc not in texts:
            out.append(Problem(rel, row, col(fields["source"]), f"出处文件“{doc}”在 documents.csv 中标为“{docs[doc].get('status', '')}”或没有原文文本，本行的摘录无法核对。",
                               "出处文件必须已在 documents.csv 登记为“全文公开”，并在 text_path 填写原文文本；否则改为摘录真正所在的文件（如 plan）。", line))
    for quote, status_field in status_of_quote(fields).items():
        status = (record.get(status_field) or "").strip()
        if not status or status == UNPUBLISHED or status not in BY_STATUS:
            continue
        doc = document_of("", record, quote, fields, list_doc)
        where = overrides(fields).get(quote) or "source"
        column = col(fields[where]) if where in fields else col(fields[status_field])
        d = docs.get(doc)
        if d is None:
            out.append(Problem(rel, row, col(fields[status_field]), f"标为“{status}”，但摘录的出处文件“{doc or '（空）'}”没有在 documents.csv 登记。",
                               "先在 documents.csv 登记这份文件（编号、标题、链接、公开状态和原文文本），再填写它的编号。", line))
        elif doc not in texts:
            out.append(Problem(rel, row, col(fields[status_field]), f"标为“{status}”，但文件“{doc}”（{d.get('title', '')}）在 documents.csv 中是“{d.get('status', '')}”，没有可以核对的原文文本。",
                               f"这份文件公开后，先在 documents.csv 把它改为“{PUBLISHED}”并填写原文文本路径；在此之前状态填“{UNPUBLISHED}”，清空内容和摘录。", line))
        elif BY_STATUS[status] == "body" and doc not in body(docs, list_doc):
            out.append(Problem(rel, row, column, f"标为“正文载明”，但摘录的出处文件“{doc}”不是本通知或实施方案的正文（它是“{d.get('title', '')}”）。",
                               "摘录出自清单的，状态填“清单载明”；出自其他文件的，填“其他文件载明”。", line))
        elif BY_STATUS[status] == "list" and doc != list_doc:
            out.append(Problem(rel, row, column, f"标为“清单载明”，但摘录的出处文件是“{doc}”，不是清单（{list_doc}）。",
                               f"出处文件填 {list_doc} 或留空；摘录出自正文的，状态填“正文载明”。", line))
        elif BY_STATUS[status] == "other" and (doc in body(docs, list_doc) or doc == list_doc):
            out.append(Problem(rel, row, column, f"标为“其他文件载明”，但出处文件“{doc}”是正文或清单。",
                               "在出处文件列填写那份其他文件（如调整通知）的编号；出自正文或清单的，改用“正文载明”或“清单载明”。", line))
    return out


def section_problems(rel, row, line, record, fields, docs: dict) -> list[Problem]:
    """所在章节 (the field with verbatim "path") may be empty only for a record quoted from an annex or a table (an annex
    is one list without chapters); any other record names the chapter its quote is in."""
    out = []
    for name, f in fields.items():
        if f.get("verbatim") != "path" or (f.get("constraints") or {}).get("required") or (record.get(name) or "").strip():
            continue
        doc = (record.get("source") or "").strip()
        if (docs.get(doc) or {}).get("kind") not in ANNEX_KINDS:
            out.append(Problem(rel, row, col(f), "这一格不能为空。", f"请填写：{f.get('description', '')}", line))
    return out


def unregistered_files(base, documents: list[dict]) -> list[Problem]:
    """A text file in sources/ that no row of documents.csv names is not a source: say so instead of silently ignoring it."""
    named = {(d.get("text_path") or "").strip() for d in documents}
    return [Problem(f"sources/{p.name}", message="这个原文文本没有在 documents.csv 中登记，其中的文字不能作为任何摘录的出处。",
                    fix="在 documents.csv 增加这份文件的一行（编号、标题、链接、公开状态“全文公开”，text_path 填 sources/" + p.name + "），或删除这个文件。")
            for p in sorted((base / "sources").glob("*.txt")) if f"sources/{p.name}" not in named]
