"""The text of a document as the office receives it: an uploaded .docx, .pdf (with a text layer), .txt or spreadsheet in,
plain UTF-8 text out (what the validator checks every quote against).

Which reader, and why:
- .docx: python-docx. It reads the document's own paragraphs and tables in the order they are written, so each table
  cell comes out whole (its paragraphs joined by line breaks), one table row per line, cells separated by a tab; a
  merged cell is written once. No layout guessing is involved.
- .pdf: pdfminer.six. A PDF has no paragraphs or cells, only characters at positions; pdfminer's layout analysis groups
  them into text boxes, and with a small character margin and a wide line margin (LAYOUT below) each table cell becomes
  one box, so a cell that wraps over several lines stays together (pypdf returns the characters line by line across the
  whole page, which mixes the cells of a row). A PDF without a text layer (a scan) gives no text and is refused.
  PDF producers often write CJK radicals (⽂ U+2F42, ⺠ U+2EA0) for the ordinary characters; they are mapped back.
- .xlsx, .xls, .ods: python-calamine. One reader for every spreadsheet format, returning the values Excel last
  computed; each sheet is written as its name and then one line per row, cells separated by a tab.
- .txt: UTF-8 (with or without BOM), UTF-16, or GBK/GB18030 (what Notepad on a Chinese Windows saves).

Line breaks inside a cell and between cells are white space, which the validator ignores between Chinese characters
(scripts.validate.corpus.normalize), so a quote copied from one cell is found whatever the reader did with the cell's
boundaries and wrapping.
"""
import unicodedata
from pathlib import Path

from .import_xlsx import text as cell_text
from .normalise import decode

KINDS = {".docx": "Word 文档", ".pdf": "PDF 文件", ".txt": "文本文件", ".xlsx": "Excel 工作簿", ".xls": "Excel 97-2003 工作簿",
         ".ods": "OpenDocument 表格"}
SAVE_AS = "在 Word 或 WPS 里另存为 .docx（或“输出为 PDF”），或在 Excel 或 WPS 里另存为 .xlsx，再上传。"
# CJK radicals (U+2E80–U+2EFF) without a compatibility mapping, that PDF producers write for the ordinary character.
RADICALS = str.maketrans("⺠⻅⻆⻉⻋⻓⻔⻙⻚⻛⻜⻢⻥⻦⻧⻨⻩⻪⻬⻮⻰",
                         "民见角贝车长门韦页风飞马鱼鸟卤麦黄黾齐齿龙")


class Unreadable(ValueError):
    """The file cannot give its text; the message says why in Chinese."""


def clean(text: str) -> str:
    """The text as it will be stored: radicals and compatibility ideographs as the ordinary character, no control
    characters (page breaks become line breaks), LF line endings, no trailing spaces, no runs of blank lines."""
    out = []
    for ch in text.translate(RADICALS).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"):
        if "\u2f00" <= ch <= "\u2fdf" or "\uf900" <= ch <= "\ufaff" or ch == "\u2e9f" or ch == "\u2ef3":
            ch = unicodedata.normalize("NFKC", ch)
        elif ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        out.append(ch)
    lines = [line.rstrip() for line in "".join(out).split("\n")]
    kept = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]
    return "\n".join(kept).strip("\n") + "\n"


def docx_text(path: Path) -> str:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    doc = Document(str(path))
    lines = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, doc).text)
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell is returned once per grid column it spans
                        seen.add(id(cell._tc))
                        cells.append(cell.text)
                lines.append("\t".join(cells))
    return "\n".join(lines)


LAYOUT = {"char_margin": 0.5, "line_margin": 1.0}


def pdf_text(path: Path) -> str:
    import logging
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams
    from pdfminer.pdfparser import PDFSyntaxError
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font-metric warnings that say nothing to the clerk
    try:
        return extract_text(str(path), laparams=LAParams(**LAYOUT))
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as e:
        raise Unreadable(f"PDF 文件无法读取（{type(e).__name__}），可能已损坏或加了密码。") from e


def sheet_text(path: Path) -> str:
    from python_calamine import CalamineWorkbook
    book = CalamineWorkbook.from_path(str(path))
    parts = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        parts.append(name)
        parts += ["\t".join(cell_text(c) for c in row).rstrip("\t") for row in rows]
    return "\n".join(parts)


def txt_text(path: Path) -> str:
    try:
        return decode(path.read_bytes(), path.name)[0]
    except ValueError as e:
        raise Unreadable("文本文件的编码无法识别（不是 UTF-8，也不是 GBK）。") from e


def extract(path: Path) -> str:
    """The document's text, cleaned; Unreadable (with the reason in Chinese) if it has none or cannot be read."""
    path = Path(path)
    kind = path.suffix.lower()
    if kind not in KINDS:
        raise Unreadable(f"不能读取 {kind or '没有扩展名的'} 文件。{SAVE_AS}")
    reader = {".docx": docx_text, ".pdf": pdf_text, ".txt": txt_text}.get(kind, sheet_text)
    try:
        raw = reader(path)
    except Unreadable:
        raise
    except Exception as e:  # a damaged or mislabelled file: one message, never a traceback for the clerk
        raise Unreadable(f"无法作为{KINDS[kind]}打开（{type(e).__name__}）。{SAVE_AS}") from e
    text = clean(raw)
    if not text.strip():
        hint = "这个 PDF 没有文字层（可能是扫描件），只能看到图片。请向发文单位要 Word 文档或可以复制文字的 PDF。" if kind == ".pdf" else "文件里没有文字。"
        raise Unreadable(hint)
    return text
