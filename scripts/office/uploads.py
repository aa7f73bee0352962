"""Register a document by uploading it as it arrives: a row of documents.csv (or of the documents workbook) whose 原文文本
(text_path) names a file in inbox/, e.g. “附件1.docx”, gets that file's text.

For such a row, with document id ID:
- the text is extracted (scripts.office.extract) and written as UTF-8 to datapackage/sources/ID.txt, the file every quote
  from the document is checked against;
- the upload itself is kept, byte for byte, next to it as datapackage/sources/ID.<its extension> (ID.docx, ID.pdf,
  ID.xlsx; a .txt upload as ID.txt.orig, and only when its bytes differ from the UTF-8 text, e.g. GBK), and an older
  original of the same document with another extension is removed. The release's ZIP carries sources/ whole, so
  anyone can check the extraction against the original. (Only sources/*.txt are texts for the validator.)
- text_path becomes sources/ID.txt, and the upload is removed from inbox/.
A file that cannot give its text stays in inbox/ and the row is left as it is; the reason is said in Chinese.
"""
import csv
import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from .extract import Unreadable, extract
from .normalise import canonical
from ..validate.problem import Problem

ID = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass
class Registered:
    upload: str  # the file name in inbox/
    document: str  # the document's id
    text_path: str  # sources/ID.txt
    original: str  # sources/ID.docx; "" for a UTF-8 .txt upload, which is its own text
    characters: int


def documents_resource(descriptor: Path) -> dict | None:
    meta = json.loads(Path(descriptor).read_text(encoding="utf-8"))
    return next((r for r in meta["resources"] if isinstance(r, dict) and r.get("name") == "documents"), None)


def read_rows(descriptor: Path) -> tuple[dict | None, list[dict]]:
    resource = documents_resource(descriptor)
    file = Path(descriptor).parent / (resource or {}).get("path", "documents.csv")
    if resource is None or not file.is_file():
        return resource, []
    try:
        return resource, list(csv.DictReader(io.StringIO(file.read_text(encoding="utf-8"))))
    except (UnicodeDecodeError, csv.Error):
        return resource, []  # the validator says what is wrong with the file


def upload_name(text_path: str) -> str | None:
    """The uploaded file a 原文文本 cell names (“附件1.docx”, “inbox/附件1.docx”), or None for a path in the package."""
    value = (text_path or "").strip()
    if not value or value.startswith("sources/"):
        return None
    return value.replace("\\", "/").rsplit("/", 1)[-1]


def named_uploads(descriptor: Path) -> set[str]:
    """The file names the documents table names as uploads."""
    return {n for r in read_rows(descriptor)[1] if (n := upload_name(r.get("text_path", "")))}


def register(descriptor: Path, inbox: Path) -> tuple[list[Registered], list[Problem], list[Problem]]:
    """Do it for every row that names an upload; (what was registered, problems, notes)."""
    descriptor, inbox = Path(descriptor), Path(inbox)
    base = descriptor.parent
    resource, rows = read_rows(descriptor)
    done, problems, notes = [], [], []
    for row in rows:
        name = upload_name(row.get("text_path", ""))
        if name is None:
            continue
        doc, upload = (row.get("id") or "").strip(), inbox / name
        where = f"{inbox.name}/{name}"
        if not upload.is_file():
            problems.append(Problem(f"documents.csv（编号 {doc or '空'}）", column="原文文本（text_path）",
                                    message=f"原文文本填了“{name}”，但 {inbox.name}/ 中没有这个文件。",
                                    fix=f"把文件上传到 {inbox.name}/，文件名与这一格完全一致（含扩展名，如 附件1.docx）；或改填 sources/{doc or '编号'}.txt。"))
            continue
        if not ID.fullmatch(doc):
            problems.append(Problem(where, message=f"登记这个文件的一行编号是“{doc}”，不是有效的文件编号，无法保存原文。",
                                    fix="编号只用小写字母、数字和连字符，如 annex-1。"))
            continue
        try:
            text = extract(upload)
        except Unreadable as e:
            problems.append(Problem(where, message=f"读不出文件 {doc} 的文字：{e}", fix="改好后用同样的文件名再上传一次；文件留在收件箱里。"))
            continue
        sources = base / "sources"
        sources.mkdir(exist_ok=True)
        for old in sources.glob(f"{doc}.*"):  # an earlier upload of this document (ids have no dots: only its own files)
            if old.name != f"{doc}.txt":
                old.unlink()
        (sources / f"{doc}.txt").write_text(text, encoding="utf-8", newline="\n")
        kind = upload.suffix.lower()
        original = "" if kind == ".txt" and upload.read_bytes() == text.encode("utf-8") else f"sources/{doc}{kind}" + (".orig" if kind == ".txt" else "")
        if original:
            shutil.copyfile(upload, base / original)
        row["text_path"] = f"sources/{doc}.txt"
        done.append(Registered(name, doc, row["text_path"], original, len(re.sub(r"\s", "", text))))
        if (row.get("status") or "").strip() != "全文公开":
            notes.append(Problem(f"documents.csv（编号 {doc}）", column="公开状态（status）",
                                 message=f"已保存文件 {doc} 的原文，但它的公开状态是“{row.get('status', '')}”，摘录不会与它核对。",
                                 fix="这份文件已经公开的，把公开状态改为“全文公开”。"))
    if done:
        (base / resource["path"]).write_text(canonical(rows, resource), encoding="utf-8", newline="")
        for r in done:
            (inbox / r.upload).unlink(missing_ok=True)  # two rows may name one file
    return done, problems, notes
