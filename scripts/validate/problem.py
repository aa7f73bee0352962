"""One data problem, said in Chinese: file, Excel row, column, what is wrong, how to fix it.

Text from the data (cell values, file names) reaches three readers that would act on it: GitHub Markdown (the pull
request's comment and the job summary: links, images, HTML, @mentions), the workflow runner reading stdout (a line
starting with ::, e.g. ::stop-commands::) and annotation properties. `markdown`, `inert` and `github` keep it text.
"""
import re
from dataclasses import dataclass

ZWSP = "\u200b"  # zero-width space: breaks a command or a mention without changing what a reader sees
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]#!|~])")


def inert(text: str) -> str:
    """Text for a workflow's stdout: no line can become a workflow command (::command, ##[command]), wherever it starts."""
    return text.replace("::", f":{ZWSP}:").replace("##[", f"#{ZWSP}#[")


def markdown(text: str) -> str:
    """Text from the data inside GitHub Markdown, shown as typed: no HTML, link, image, emphasis, mention or new block."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    text = re.sub(r"@(?=[A-Za-z0-9_-])", f"@{ZWSP}", text)
    return inert(re.sub(r"\r\n|\r|\n", "<br>", text))


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int | None = None  # as Excel numbers it: the header is row 1
    column: str | None = None  # "标题（name）"
    message: str = ""
    fix: str = ""
    line: int | None = None  # physical line in the file, for annotations

    def where(self) -> str:
        parts = [self.file]
        if self.row:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"「{self.column}」列")
        return "，".join(parts)

    def text(self) -> str:
        """Plain text for stdout and logs; a cell's ::command is printed inert."""
        out = f"{self.where()}：{self.message}"
        if self.fix:
            out += f"\n    怎么改：{self.fix}"
        return inert(out)

    def markdown(self) -> str:
        """One Markdown list item: the job summary and the pull request's comment."""
        return f"- **{markdown(self.where())}**：{markdown(self.message)}" + (f"<br>怎么改：{markdown(self.fix)}" if self.fix else "")

    def github(self, prefix: str = "datapackage/") -> str:
        """A GitHub Actions annotation (::error file=…,line=…::…); data cannot end it or start another command."""
        esc = lambda s: s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        prop = lambda s: esc(s).replace(":", "%3A").replace(",", "%2C")
        loc = f"file={prop(prefix + self.file)}" if self.file.endswith((".csv", ".json")) else ""
        if loc and (self.line or self.row):
            loc += f",line={self.line or self.row}"
        title = esc(self.where()).replace(",", "，").replace(":", "：")
        props = ",".join(filter(None, [loc, f"title={title}"]))
        return f"::error {props}::{inert(esc(self.message + ('　怎么改：' + self.fix if self.fix else '')))}"


def column_label(field: dict) -> str:
    """How a message names a column: its Chinese title and its field name, 「服务名称（name）」."""
    return f"{field.get('title', field['name'])}（{field['name']}）"
