"""One copy of the package with hostile text in it, built once per worker (conftest's `hostile_site`) for the two
modules that check the site shows data text as text: tests/test_render.py (text that looks like Markdown, HTML, a
template or YAML front matter, in names the validator checks too) and tests/test_injection.py (script tags, event
handlers, javascript: links, formula signs and a 5,000-character string in the fields not checked against the source).

Each module's edits go to records of their own (render: the last service, the first 20 service names, the first audience's
description, row 2 of tasks and targets; injection: the version, the description, a changes row, the second audience, the
first service's aliases, row 3 of targets, an observation), so each module's checks see exactly the text they wrote.
The records are picked from the package by position, so the tests hold for any valid package. The site is built without
validation: the long string alone would be refused, and the later steps must be safe even for data validation would stop.
"""
import shutil
from pathlib import Path

from conftest import Package
from scripts.package import read_tables
from scripts.paths import DATAPACKAGE, DESCRIPTOR

META, TABLES = read_tables(DESCRIPTOR)

# ---- tests/test_render.py: text that Markdown, HTML, Jinja or YAML would read as something else ----

MARKUP = "<script>alert(1)</script> [x](javascript:alert(1)) {{ 7*7 }} {% raw %} *em* `code` # 1. |a|"
# names that YAML front matter would read as something else: a list, a mapping, a comment, an anchor, a tag…
YAML_LIKE = ["[甲]", "{乙}", "*丙", "丁: 戊", "己 #庚", "&辛", "!壬", "'癸", '"子"', "- 丑", "| 寅", "> 卯", "% 辰",
             "@巳", "`午`", "未:", "null", "true", "2020-01-01", "0x1F"]
VICTIM = TABLES["services"][-1]  # its name and target population hold MARKUP
MARKUP_AUDIENCE = TABLES["audiences"][0]["id"]  # its description holds MARKUP
NAMED = [s["id"] for s in TABLES["services"][:len(YAML_LIKE)]]  # their names are YAML_LIKE
MARKUP_TARGET = TABLES["targets"][0]  # row 2 of targets.csv: its indicator holds MARKUP (as does row 2 of tasks.csv)

# ---- tests/test_injection.py: script, event handlers, javascript: links, formula signs, one very long string ----

TRICKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[x](javascript:alert(1))",
    "<javascript:alert(1)>",
    '"><a href="javascript:alert(1)">x</a>',
    "{: onclick=alert(1) }",
    "<!--",
    "]]>",
    "</script>",
    "{{ 7*7 }}",
    "{% raw %}",
    "&lt;b&gt;",
    "*斜体* __粗体__ `代码` # 标题 | 表格 |",
]
HOSTILE = " ".join(TRICKS)
LONG = "W" * 5000
AUDIENCE = TABLES["audiences"][1]["id"]  # row 3 of audiences.csv: name and description
SERVICE, DOMAIN = TABLES["services"][0]["id"], TABLES["services"][0]["domain_id"]  # row 2 of services.csv: aliases
NEW_VERSION = f"{int(META['version'].split('.')[0]) + 1}.0.0"  # not frozen, so the downloads are made from this data
FORMULAS = {"=": '=HYPERLINK("http://example.invalid","x")', "+": "+1+1", "-": "-2+3", "@": "@SUM(1,1)"}


def row_of(package: Package, file: str, id_: str) -> int:
    """The row number (header = 1) of the record `id_`."""
    return next(i for i, r in enumerate(package.rows(file), start=1) if r[0] == id_)


def edit_csv(package: Package, file: str, change) -> None:
    rows = package.rows(file)
    change(rows)
    package.write_rows(file, rows)


def set_cell(rows, row, column, value):
    rows[row - 1][rows[0].index(column)] = value


def hostile_package(root: Path) -> Package:
    """A copy of datapackage/ at `root` with both modules' hostile text written in."""
    shutil.copytree(DATAPACKAGE, root)
    package = Package(root)

    # test_render
    victim = row_of(package, "services.csv", VICTIM["id"])
    package.set("services.csv", victim, "name", "租赁补贴" + MARKUP)
    package.set("services.csv", victim, "target_population", MARKUP)
    package.set("tasks.csv", 2, "title", "任务" + MARKUP)
    package.set("targets.csv", 2, "indicator", "指标" + MARKUP)
    package.set("audiences.csv", row_of(package, "audiences.csv", MARKUP_AUDIENCE), "description", MARKUP)
    for id_, name in zip(NAMED, YAML_LIKE):
        package.set("services.csv", row_of(package, "services.csv", id_), "name", name)

    # test_injection
    def descriptor(d):
        d["version"] = NEW_VERSION
        d["description"] += " " + HOSTILE
    package.edit_descriptor(descriptor)
    edit_csv(package, "changes.csv", lambda rows: rows.append([NEW_VERSION, "2099-01-01", "四政办发〔2017〕110号", FORMULAS["="] + " " + HOSTILE]))
    edit_csv(package, "audiences.csv", lambda rows: (set_cell(rows, 3, "name", "学生: " + HOSTILE),
                                                     set_cell(rows, 3, "description", FORMULAS["@"] + " " + HOSTILE + " " + LONG)))
    edit_csv(package, "services.csv", lambda rows: set_cell(rows, 2, "aliases", "；".join([FORMULAS["+"], *TRICKS, LONG])))
    edit_csv(package, "targets.csv", lambda rows: set_cell(rows, 3, "indicator", FORMULAS["-"] + " " + HOSTILE + " " + LONG))
    if (root / "observations.csv").is_file():
        edit_csv(package, "observations.csv", lambda rows: rows.append(
            ["OB001", TABLES["targets"][0]["id"], "2018", "99", HOSTILE, "https://example.invalid/?q=%3Cscript%3E", HOSTILE]))
    return package


def build_site(base: Path) -> Path:
    """The hostile package under `base`, built without validation into `base`/work; returns the site folder."""
    from scripts.build import build
    package = hostile_package(base / "datapackage")
    return build(package.descriptor, base / "work", validate_first=False)
