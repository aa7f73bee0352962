"""Rewrite the package's CSV files in canonical form: UTF-8 without BOM, LF, schema column order, trimmed cells, rows sorted.

Repairs what Excel or the GitHub web editor does to a file: a BOM, CRLF line endings, GBK or UTF-16 text, the Chinese
column titles in the header instead of the field names, another column order. Loses nothing: a file whose header cannot
be mapped to the schema, or that has a row with the wrong number of cells or an unbalanced quote, is left untouched and
reported (those are content problems the validator explains row by row).

The data version has one home the office edits: the newest row of the changes table (版本记录). Nobody types it into
datapackage.json: sync_version writes it there (only upwards), here and after the inbox's imports.
"""
import argparse
import csv
import io
import json
import re
import sys
from pathlib import Path

from ..paths import DESCRIPTOR
from ..package import natural_key, version_key
from ..validate.rules import sort_key

SPACE = re.compile(r"\s+")
SEMVER = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")
CHANGES = "changes"


def read_text(path: Path) -> str:
    return decode(path.read_bytes(), path.name)[0]


def decode(raw: bytes, name: str = "") -> tuple[str, str]:
    """(text, encoding name in Chinese) of a CSV file's bytes: UTF-16, UTF-8 with or without BOM, or GBK (GB18030)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    for encoding, said in (("utf-8-sig", "UTF-8"), ("gb18030", "GBK")):
        try:
            return raw.decode(encoding), said
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{name}：无法识别的编码")


def clean(cell: str) -> str:
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in cell.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def label_key(label: str) -> str:
    return SPACE.sub("", label or "")


def field_for_label(resource: dict) -> dict[str, dict]:
    """Header label (a field's name or its Chinese title, spaces ignored) → the field."""
    out = {}
    for f in resource["schema"]["fields"]:
        out[label_key(f.get("title", f["name"]))] = f
    for f in resource["schema"]["fields"]:
        out[label_key(f["name"])] = f
    return out


def canonical_rows(rows: list[dict], resource: dict) -> list[tuple[int, dict]]:
    """(index in `rows`, cleaned record) in the order the canonical file lists them; empty records dropped."""
    names = [f["name"] for f in resource["schema"]["fields"]]
    key = sort_key(resource)
    out = [(i, {n: clean(str(r.get(n) or "")) for n in names}) for i, r in enumerate(rows)]
    out = [(i, r) for i, r in out if any(r.values())]
    out.sort(key=lambda ir: [natural_key(ir[1][k]) for k in key])
    return out


def canonical(rows: list[dict], resource: dict) -> str:
    """The one text form of a table: what `make format` writes and what the importer writes."""
    names = [f["name"] for f in resource["schema"]["fields"]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    writer.writerows(r for _, r in canonical_rows(rows, resource))
    return out.getvalue()


def normalise_file(path: Path, resource: dict) -> tuple[str | None, list[str]]:
    """(the canonical text, or None when the file cannot be rewritten safely; what was repaired or why it was not) in Chinese."""
    raw = path.read_bytes()
    try:
        text, encoding = decode(raw, path.name)
    except ValueError:
        return None, ["编码无法识别，未改动"]
    if raw.startswith(b"PK\x03\x04"):
        return None, ["这是 Excel 工作簿改成了 .csv 的文件名，未改动（请把工作簿上传到 inbox/ 文件夹）"]
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        rows = list(csv.reader(io.StringIO(lines), strict=True))
    except csv.Error:
        return None, ["有一格的英文双引号没有正确结束，未改动"]
    if not rows:
        return None, ["文件是空的，未改动"]
    by_label = field_for_label(resource)
    header = [by_label.get(label_key(h), {}).get("name") for h in rows[0]]
    names = [f["name"] for f in resource["schema"]["fields"]]
    if None in header or sorted(header) != sorted(names):
        return None, ["表头与表结构对不上，未改动"]
    body = [r for r in rows[1:] if r]
    if any(len(r) != len(header) for r in body):
        return None, ["有的行单元格数与表头不同，未改动"]
    records = [dict(zip(header, r)) for r in body]
    new = canonical(records, resource)
    if new.encode("utf-8") == raw:
        return new, []
    said = []
    if encoding != "UTF-8":
        said.append(f"从 {encoding} 编码转为 UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        said.append("去掉了开头的 BOM")
    if "\r" in text:
        said.append("换行统一为 LF")
    if [h.strip() for h in rows[0]] != names:
        said.append("表头改为字段名" if [h.strip() for h in rows[0]] != header else "列按表结构排序")
    given = [[r[header.index(n)] for n in names] for r in body]
    if len(body) != len(rows) - 1 or given != [[rec[n] for n in names] for _, rec in canonical_rows(records, resource)]:
        said.append("整理了行的顺序、多余的空格或空行")
    return new, said


def format_package(descriptor_path: Path = DESCRIPTOR) -> list[str]:
    """Rewrite every resource file; return the Chinese messages (what changed, what was skipped)."""
    return [f"{rel}：{'；'.join(what)}。" for rel, what, _ in normalise_package(descriptor_path) if what]


def normalise_package(descriptor_path: Path = DESCRIPTOR) -> list[tuple[str, list[str], bool]]:
    """Rewrite every resource file that is not canonical; (file, what was repaired or why not, whether it was written) each."""
    descriptor = json.loads(Path(descriptor_path).read_text(encoding="utf-8"))
    base, out = Path(descriptor_path).parent, []
    for resource in descriptor["resources"]:
        path = base / resource["path"]
        if not path.is_file():
            continue
        new, said = normalise_file(path, resource)
        written = new is not None and new.encode("utf-8") != path.read_bytes()
        if written:
            path.write_text(new, encoding="utf-8", newline="")
        out.append((resource["path"], said, written))
    if said := sync_version(descriptor_path):
        out.append((Path(descriptor_path).name, said, True))
    return out


def newest_change(descriptor_path: Path = DESCRIPTOR) -> str | None:
    """The version of the newest row of the changes table (the highest version written there), or None."""
    try:
        meta = json.loads(Path(descriptor_path).read_text(encoding="utf-8"))
        resource = next(r for r in meta["resources"] if isinstance(r, dict) and r.get("name") == CHANGES)
        text = read_text(Path(descriptor_path).parent / resource["path"])
    except (OSError, ValueError, KeyError, StopIteration, TypeError):
        return None
    versions = [clean(r.get("version") or "") for r in csv.DictReader(io.StringIO(text.replace("\r\n", "\n")))]
    return max((v for v in versions if SEMVER.fullmatch(v)), key=version_key, default=None)


def sync_version(descriptor_path: Path = DESCRIPTOR) -> list[str]:
    """Write the newest changes row's version into datapackage.json when it is higher than the one there; only that
    value changes, byte for byte. Returns what was done, in Chinese ([] when nothing was)."""
    path = Path(descriptor_path)
    try:
        raw = path.read_text(encoding="utf-8")
        meta = json.loads(raw)
    except (OSError, ValueError):
        return []  # the validator says what is wrong with the descriptor
    old, new = meta.get("version") if isinstance(meta, dict) else None, newest_change(path)
    if not isinstance(old, str) or not new or (SEMVER.fullmatch(old) and version_key(new) <= version_key(old)):
        return []
    pattern = re.compile(r'^(\s*"version"\s*:\s*)' + re.escape(json.dumps(old, ensure_ascii=False)), re.M)
    text = pattern.sub(lambda m: m.group(1) + json.dumps(new), raw, count=1)
    if json.loads(text) != {**meta, "version": new}:  # the first "version" was not the package's: write the whole file
        text = json.dumps({**meta, "version": new}, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8", newline="")
    return [f"版本号 {old} → {new}（取自版本记录 changes.csv 最新的一行；不用手改 datapackage.json）"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("descriptor", nargs="?", default=str(DESCRIPTOR))
    args = parser.parse_args(argv)
    said = format_package(Path(args.descriptor))
    print("\n".join(said) or "所有文件已是规范格式。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
