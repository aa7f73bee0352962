"""One data problem, said in Chinese: file, Excel row, column, what is wrong, how to fix it."""
from dataclasses import dataclass


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
        out = f"{self.where()}：{self.message}"
        if self.fix:
            out += f"\n    怎么改：{self.fix}"
        return out

    def github(self, prefix: str = "datapackage/") -> str:
        """A GitHub Actions annotation (::error file=…,line=…::…)."""
        esc = lambda s: s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        loc = f"file={prefix}{self.file}" if self.file.endswith((".csv", ".json")) else ""
        if loc and (self.line or self.row):
            loc += f",line={self.line or self.row}"
        title = esc(self.where()).replace(",", "，").replace("::", "：")
        props = ",".join(filter(None, [loc, f"title={title}"]))
        return f"::error {props}::{esc(self.message + ('　怎么改：' + self.fix if self.fix else ''))}"


def column_label(field: dict) -> str:
    """How a message names a column: its Chinese title and its field name, 「服务名称（name）」."""
    return f"{field.get('title', field['name'])}（{field['name']}）"
