"""Read the data package: descriptor (JSON, structure) → raw CSV checks (path, file type, encoding, BOM, NUL, line endings,
quotes, header) → rows with the line each starts on."""
import csv
import io
import json
from pathlib import Path

from ..paths import DESCRIPTOR
from .problem import Problem
from .descriptor import structure_problems

UTF8_HINT = "拉取请求中的“收件箱和格式整理”检查会自动转为 UTF-8 并提交到同一分支；也可以在 Excel 中“另存为 → CSV UTF-8(逗号分隔)”。"
WORKBOOK_HINT = "不要把工作簿改成 .csv 的文件名：把 .xlsx 文件上传到 inbox/ 文件夹，拉取请求的检查会把它导入（见“参与更新”页面）。"


def read_descriptor(path: Path = DESCRIPTOR) -> tuple[dict | None, list[Problem]]:
    """The descriptor as a dict, or None and the reason in Chinese."""
    name = Path(path).name
    if not Path(path).is_file():
        return None, [Problem(name, message=f"找不到数据包描述文件 {path}。", fix="确认路径正确，描述文件应名为 datapackage.json。")]
    raw = Path(path).read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(name, 1, message="描述文件开头有 BOM（字节顺序标记）。", fix="用不带 BOM 的 UTF-8 编码保存 datapackage.json。", line=1)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(name, message="描述文件不是 UTF-8 编码。", fix="用 UTF-8 编码保存 datapackage.json。")]
    if not text.strip():
        return None, [Problem(name, message="描述文件是空的。", fix="从 git 历史恢复 datapackage.json。")]
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as e:
        return None, [json_problem(name, text, e)]
    found = structure_problems(descriptor)
    return (None, found) if found else (descriptor, [])


FULL_WIDTH = {"“": "左双引号", "”": "右双引号", "＂": "全角双引号", "‘": "左单引号", "’": "右单引号", "，": "全角逗号",
              "：": "全角冒号", "［": "全角方括号", "］": "全角方括号", "｛": "全角花括号", "｝": "全角花括号"}
HALF = {"“": '"', "”": '"', "＂": '"', "‘": '"', "’": '"', "，": ",", "：": ":", "［": "[", "］": "]", "｛": "{", "｝": "}"}
VERSION_HOME = "版本号不用手改：在版本记录（changes）新增一行，检查会把它自动写入 datapackage.json。"


def json_problem(name: str, text: str, e: json.JSONDecodeError) -> Problem:
    """Which character broke the JSON, and when it is a full-width quote or comma typed with a Chinese input method, say so."""
    line = text.splitlines()[e.lineno - 1] if 0 < e.lineno <= len(text.splitlines()) else ""
    near = line[max(0, e.colno - 1 - 30): e.colno - 1 + 30].strip()
    bad = next(((i, c) for i, c in enumerate(text[max(0, e.pos - 2): e.pos + 2], max(0, e.pos - 2)) if c in FULL_WIDTH), None)
    if bad:
        i, c = bad
        row = text.count("\n", 0, i) + 1
        col = i - (text.rfind("\n", 0, i) + 1) + 1
        return Problem(name, row, message=f"不是有效的 JSON：第 {row} 行第 {col} 个字符是“{c}”（{FULL_WIDTH[c]}，中文输入法打出的全角符号），"
                       f"JSON 只认英文半角的 {HALF[c]}。这一行是：{line.strip()}",
                       fix=f"把第 {row} 行的“{c}”改为英文半角的 {HALF[c]}（切换到英文输入法后重打）。{VERSION_HOME}", line=row)
    found = text[e.pos] if e.pos < len(text) else "（文件结尾）"
    return Problem(name, e.lineno, message=f"不是有效的 JSON：第 {e.lineno} 行第 {e.colno} 个字符“{found}”附近有错误（{e.msg}）。"
                   f"这一段是：{near}",
                   fix=f"检查这一行附近是否少了逗号、英文双引号或括号，或多了一个逗号。{VERSION_HOME}", line=e.lineno)


def inside(base: Path, rel: str) -> Path | None:
    """`base/rel` if `rel` is a plain relative path that stays inside `base` (no ../, no absolute path, no URL, no link out)."""
    if not isinstance(rel, str) or not rel or rel.startswith("/") or "\\" in rel or ":" in rel or ".." in Path(rel).parts:
        return None
    path = Path(base) / rel
    try:
        path.resolve().relative_to(Path(base).resolve())
    except ValueError:  # a symbolic link that leads out of the package
        return None
    return path


def resolve(base: Path, resource: dict) -> tuple[Path | None, list[Problem]]:
    """The resource's file, if its path is a safe relative path inside the package."""
    rel = resource.get("path")
    label = f"资源 {resource.get('name', '?')}"
    if not isinstance(rel, str) or not rel:
        return None, [Problem("datapackage.json", message=f"{label} 没有 path（文件路径）。", fix="为该资源填写 CSV 文件名，如 \"services.csv\"。")]
    if "\\" in rel:
        return None, [Problem("datapackage.json", message=f"{label} 的路径“{rel}”用了反斜杠“\\”。",
                              fix="路径中的目录用正斜杠“/”分隔；数据包的 CSV 文件直接写文件名，如 \"services.csv\"。")]
    path = inside(base, rel)
    if path is None:
        return None, [Problem("datapackage.json", message=f"{label} 的路径“{rel}”指向数据包目录以外。",
                              fix="路径必须是 datapackage 目录中的文件名，如 \"services.csv\"，不能含 ../、绝对路径或网址。")]
    if not rel.endswith(".csv"):
        return None, [Problem("datapackage.json", message=f"{label} 的路径“{rel}”不是 CSV 文件。", fix="资源的 path 必须是以 .csv 结尾的文件名。")]
    if not path.is_file():
        return None, [Problem(rel, message=f"找不到文件（{label} 的 path 指向它）。", fix="确认文件名拼写正确并已提交，或从 git 历史恢复该文件。")]
    return path, []


def decode(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """The file's text if it is UTF-8 without BOM, with LF line endings."""
    raw = path.read_bytes()
    if not raw.strip():
        return None, [Problem(rel, message="文件是空的，连表头都没有。", fix="从 git 历史恢复该文件，或重新从 Excel 导入。")]
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        return None, [Problem(rel, message="这是一个 Excel 工作簿（.xlsx/.xls）改成了 .csv 的文件名，不是 CSV 文本。", fix=UTF8_HINT)]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:200].count(b"\x00") > len(raw[:200]) // 4:
        return None, [Problem(rel, message="文件是 UTF-16 编码（Excel 的“Unicode 文本”格式），不是 UTF-8。", fix=UTF8_HINT)]
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return None, [Problem(rel, line, message=f"第 {line} 行有空字符（NUL，编码为 0 的字节），文件可能已损坏或不是文本文件。",
                              fix="从 git 历史恢复该文件，或重新从 Excel 导入。", line=line)]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(rel, 1, message="文件开头有 BOM（字节顺序标记，Excel 的“CSV UTF-8”会加上）。",
                              fix="拉取请求中的“收件箱和格式整理”检查会自动去掉并提交到同一分支；在本机可运行 make format。")]
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
        if crlf == 0:
            what = "使用旧式 Mac 换行（CR）"
        elif crlf == text.count("\n") == text.count("\r"):
            what = "使用 Windows 换行（CRLF）"
        else:
            what = "混用了 Windows 换行（CRLF）和 Unix 换行（LF）"
        return None, [Problem(rel, message=f"文件{what}；数据包统一使用 LF 换行。", fix="拉取请求中的“收件箱和格式整理”检查会自动统一换行并提交到同一分支；在本机可运行 make format。")]
    return (text, []) if not (found := quote_problems(rel, text)) else (None, found)


def quote_problems(rel: str, text: str) -> list[Problem]:
    """A double quote that opens a cell must close it right before a comma or the line end; else the rows after it are misread."""
    reader = csv.reader(io.StringIO(text), strict=True)
    start, row = 1, 0  # row: Excel number of the last row read whole
    try:
        for row, _ in enumerate(reader, 1):
            start = reader.line_num + 1
    except csv.Error as e:
        if "end of data" in str(e):
            return [Problem(rel, row + 1, None, f"这一行（文件第 {start} 行）有一个英文双引号（\"）开始了一格内容，但直到文件末尾都没有结束，后面的行都被读进了这一格。",
                            "检查这一行的双引号是否成对；内容本身含双引号时，要写成两个双引号（\"\"）。", start)]
        return [Problem(rel, row + 1, None, f"这一行（从文件第 {start} 行起）有一格的英文双引号（\"）没有正确结束：文件第 {reader.line_num} 行的引号后面紧跟着其他字符。",
                        "一格内容用双引号括起来时，结束的引号后面必须是逗号或换行；内容本身含双引号时，要写成两个双引号（\"\"）。", reader.line_num)]
    return []


def source_problems(folder: Path) -> list[Problem]:
    """The source texts every quote is checked against: at least one, each UTF-8 text."""
    texts = sorted(Path(folder).glob("*.txt")) if Path(folder).is_dir() else []
    if not texts:
        return [Problem("sources", message="找不到原文文本（sources 目录中的 .txt 文件），无法核对任何摘录。",
                        fix="从 git 历史恢复 datapackage/sources/ 中的原文文本。")]
    out = []
    for path in texts:
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            out.append(Problem(f"sources/{path.name}", message="原文文本不是 UTF-8 编码。", fix="用 UTF-8 编码保存原文文本，或从 git 历史恢复。"))
            continue
        if raw.startswith(b"\xef\xbb\xbf") or b"\x00" in raw:
            out.append(Problem(f"sources/{path.name}", message="原文文本开头有 BOM 或含有空字符（NUL）。", fix="用不带 BOM 的 UTF-8 编码保存原文文本，或从 git 历史恢复。"))
    return out


def header_problems(rel: str, header: list[str], fields: list[dict]) -> list[Problem]:
    """The CSV header must list the schema's field names, in order."""
    names = [f.get("name") for f in fields]
    if header == names:
        return []
    titles = {f.get("title"): f.get("name") for f in fields}
    out = []
    for label in sorted({x for x in header if header.count(x) > 1}):
        out.append(Problem(rel, 1, label, f"列名“{label}”出现了 {header.count(label)} 次。", "每一列的列名只能出现一次；检查是否把别的列名改错了。", line=1))
    for i, label in enumerate(header, 1):
        if label in names:
            continue
        if label in titles:
            out.append(Problem(rel, 1, label, f"第 {i} 列的列名用了中文标题“{label}”，CSV 表头应使用字段名“{titles[label]}”。",
                               "拉取请求中的“收件箱和格式整理”检查会自动把中文标题改回字段名并提交到同一分支；也可以手工把表头改回字段名。", line=1))
        else:
            expected = f"“{names[i - 1]}”" if i <= len(names) and names[i - 1] not in header else "（表结构中没有这一列）"
            out.append(Problem(rel, 1, label or f"第 {i} 列", f"第 {i} 列的列名“{label}”不在表结构中，应为{expected}。",
                               "改正列名，或删除多出的列。新增一列需要先在 datapackage.json 中定义该字段。", line=1))
    for f in fields:
        if f.get("name") not in header and f.get("title") not in header:
            out.append(Problem(rel, 1, f"{f.get('title')}（{f.get('name')}）", "缺少这一列。",
                               f"在表头加上“{f.get('name')}”列（{f.get('description', '')}）。", line=1))
    if not out:
        out.append(Problem(rel, 1, message=f"列的顺序与表结构不一致，应为：{','.join(names)}。", fix="拉取请求中的“收件箱和格式整理”检查会自动按表结构排列各列并提交；在本机可运行 make format。", line=1))
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


def shape_problems(rel: str, rows: list[list[str]], lines: list[int]) -> tuple[list[Problem], set[int]]:
    """One problem for each row whose cells do not line up with the header (an extra or missing comma, a quote that swallowed
    a comma), and the rows (Excel numbers) whose other problems are then not worth saying: every cell after the slip is shifted."""
    out, bad = [], set()
    width = len(rows[0]) if rows else 0
    for i, row in enumerate(rows[1:], start=1):
        n, line = i + 1, lines[i] if i < len(lines) else None
        if not any(c.strip() for c in row):
            out.append(Problem(rel, n, None, "这是一个空行。", "删除这一行。", line))
        elif len(row) != width:
            more = len(row) > width
            out.append(Problem(rel, n, None, f"这一行的单元格比表头{'多' if more else '少'} {abs(len(row) - width)} 个（这一行 {len(row)} 个，表头 {width} 个），"
                               "后面各格都错了位，所以这一行的其他问题暂不列出。",
                               "检查这一行是否" + ("多了逗号：内容中含逗号时，整格要用英文双引号括起来" if more else "漏了逗号") +
                               "；在 GitHub 网页上编辑时，可以对照上一行数一数逗号。", line))
        else:
            continue
        bad.add(n)
    return out, bad

