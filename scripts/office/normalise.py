"""Rewrite the package's CSV files in canonical form: UTF-8 without BOM, LF, schema column order, trimmed cells, rows sorted.

Reads GBK, UTF-16 and UTF-8 with BOM as well, so an editor's Excel export can be repaired in one command. Loses nothing:
a file whose header does not match the schema is left untouched and reported.
"""
import argparse
import csv
import io
import json
import re
import sys
from pathlib import Path

from ..paths import DESCRIPTOR
from ..package import natural_key
from ..validate.rules import sort_key


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-16",) if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{path.name}：无法识别的编码")


def clean(cell: str) -> str:
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in cell.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def canonical(rows: list[dict], resource: dict) -> str:
    """The one text form of a table: what `make format` writes and what the importer writes."""
    names = [f["name"] for f in resource["schema"]["fields"]]
    key = sort_key(resource)
    rows = [{n: clean(str(r.get(n) or "")) for n in names} for r in rows]
    rows = [r for r in rows if any(r.values())]
    rows.sort(key=lambda r: [natural_key(r[k]) for k in key])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def format_package(descriptor_path: Path = DESCRIPTOR) -> list[str]:
    """Rewrite every resource file; return the Chinese messages (what changed, what was skipped)."""
    descriptor = json.loads(Path(descriptor_path).read_text(encoding="utf-8"))
    base, said = Path(descriptor_path).parent, []
    for resource in descriptor["resources"]:
        path = base / resource["path"]
        if not path.is_file():
            continue
        text = read_text(path)
        reader = csv.DictReader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")))
        names = [f["name"] for f in resource["schema"]["fields"]]
        header = [h.strip() for h in (reader.fieldnames or [])]
        if sorted(header) != sorted(names):
            said.append(f"{resource['path']}：表头与表结构不一致，未改动（请先运行 make validate 查看原因）。")
            continue
        reader.fieldnames = header
        new = canonical(list(reader), resource)
        if new.encode("utf-8") != path.read_bytes():
            path.write_text(new, encoding="utf-8", newline="")
            said.append(f"{resource['path']}：已整理。")
    return said


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("descriptor", nargs="?", default=str(DESCRIPTOR))
    args = parser.parse_args(argv)
    said = format_package(Path(args.descriptor))
    print("\n".join(said) or "所有文件已是规范格式。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
