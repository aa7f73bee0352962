"""Read the data package: descriptor → raw CSV checks (path, encoding, BOM, line endings, header) → typed rows."""
import csv
import io
import json
from pathlib import Path

from .paths import DESCRIPTOR
from .problem import Problem

UTF8_HINT = "在 Excel 中选择“另存为 → CSV UTF-8(逗号分隔)”，或用 python -m scripts.import_xlsx 从 Excel 导入。"


def read_descriptor(path: Path = DESCRIPTOR) -> tuple[dict | None, list[Problem]]:
    """The descriptor as a dict, or None and the reason in Chinese."""
    name = Path(path).name
    if not Path(path).is_file():
        return None, [Problem(name, message=f"找不到数据包描述文件 {path}。", fix="确认路径正确，描述文件应名为 datapackage.json。")]
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(name, message="描述文件不是 UTF-8 编码。", fix="用 UTF-8 编码保存 datapackage.json。")]
    if not text.strip():
        return None, [Problem(name, message="描述文件是空的。", fix="从 git 历史恢复 datapackage.json。")]
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as e:
        return None, [Problem(name, e.lineno, message=f"不是有效的 JSON：第 {e.lineno} 行第 {e.colno} 个字符附近有错误（{e.msg}）。",
                              fix="检查这一行附近是否少了逗号、引号或括号，或多了一个逗号。", line=e.lineno)]
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return None, [Problem(name, message="描述文件里没有 resources（资源列表）。", fix="从 git 历史恢复 datapackage.json。")]
    return descriptor, []


def resolve(base: Path, resource: dict) -> tuple[Path | None, list[Problem]]:
    """The resource's file, if its path is a safe relative path inside the package."""
    rel = resource.get("path")
    label = f"资源 {resource.get('name', '?')}"
    if not isinstance(rel, str) or not rel:
        return None, [Problem("datapackage.json", message=f"{label} 没有 path（文件路径）。", fix="为该资源填写 CSV 文件名，如 \"services.csv\"。")]
    if rel.startswith(("/", "\\")) or ".." in Path(rel).parts or "://" in rel or ":" in rel:
        return None, [Problem("datapackage.json", message=f"{label} 的路径“{rel}”指向数据包目录以外。",
                              fix="路径必须是 datapackage 目录中的文件名，如 \"services.csv\"，不能含 ../、绝对路径或网址。")]
    path = base / rel
    if not path.is_file():
        return None, [Problem(rel, message=f"找不到文件（{label} 的 path 指向它）。", fix="确认文件名拼写正确并已提交，或从 git 历史恢复该文件。")]
    return path, []


def decode(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """The file's text if it is UTF-8 without BOM, with LF line endings."""
    raw = path.read_bytes()
    if not raw.strip():
        return None, [Problem(rel, message="文件是空的，连表头都没有。", fix="从 git 历史恢复该文件，或重新从 Excel 导入。")]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(rel, message="文件是 UTF-16 编码（Excel 的“Unicode 文本”格式），不是 UTF-8。", fix=UTF8_HINT)]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(rel, 1, message="文件开头有 BOM（字节顺序标记，Excel 的“CSV UTF-8”会加上）。",
                              fix="运行 make format 自动去掉；或用 python -m scripts.import_xlsx 从 Excel 导入。")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        guess = "GBK/GB2312（中文 Windows 的默认编码）"
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            guess = "未知编码"
        return None, [Problem(rel, line, message=f"文件不是 UTF-8 编码，看起来是 {guess}，第 {line} 行起的中文会变成乱码。", fix=UTF8_HINT, line=line)]
    if "\r" in text:
        crlf = text.count("\r\n")
        what = "Windows 换行（CRLF）" if crlf == text.count("\n") else "混用了 Windows 换行（CRLF）和 Unix 换行（LF）"
        return None, [Problem(rel, message=f"文件{what}；数据包统一使用 LF 换行。", fix="运行 make format 自动统一换行符。")]
    return text, []


def header_problems(rel: str, header: list[str], fields: list[dict]) -> list[Problem]:
    """The CSV header must list the schema's field names, in order."""
    names = [f.get("name") for f in fields]
    if header == names:
        return []
    titles = {f.get("title"): f.get("name") for f in fields}
    out = []
    for i, label in enumerate(header, 1):
        if label in names:
            continue
        if label in titles:
            out.append(Problem(rel, 1, label, f"第 {i} 列的列名用了中文标题“{label}”，CSV 表头应使用字段名“{titles[label]}”。",
                               "把表头改回字段名；或用 python -m scripts.import_xlsx 从 Excel 导入（它会自动对应中文标题）。", line=1))
        else:
            expected = f"“{names[i - 1]}”" if i <= len(names) and names[i - 1] not in header else "（表结构中没有这一列）"
            out.append(Problem(rel, 1, label or f"第 {i} 列", f"第 {i} 列的列名“{label}”不在表结构中，应为{expected}。",
                               "改正列名，或删除多出的列。新增一列需要先在 datapackage.json 中定义该字段。", line=1))
    for f in fields:
        if f.get("name") not in header and f.get("title") not in header:
            out.append(Problem(rel, 1, f"{f.get('title')}（{f.get('name')}）", "缺少这一列。",
                               f"在表头加上“{f.get('name')}”列（{f.get('description', '')}）。", line=1))
    if not out:
        out.append(Problem(rel, 1, message=f"列的顺序与表结构不一致，应为：{','.join(names)}。", fix="运行 make format 按表结构排列各列。", line=1))
    return out


def rows_with_lines(text: str) -> tuple[list[list[str]], list[int]]:
    """CSV rows and the physical line each starts on (cells may hold line breaks)."""
    reader = csv.reader(io.StringIO(text))
    rows, lines, start = [], [], 1
    for row in reader:
        rows.append(row)
        lines.append(start)
        start = reader.line_num + 1
    return rows, lines
