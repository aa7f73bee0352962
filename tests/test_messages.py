"""The first message is the real one: a misshapen row is said once, every value that is not allowed comes with the values
that are, and a number Excel stored as a percent fraction is named as such."""
import re

from scripts import validate


def said(package, file):
    return [p for p in validate.problems(package.descriptor) if p.file == file]


def test_a_row_with_an_extra_comma_is_said_once_and_its_cells_are_not_reported(package):
    path = package.root / "services.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    first = lines[4].index(",")
    lines[4] = lines[4][:first] + ",幼儿园" + lines[4][first:]  # a comma typed into a cell in the web editor
    path.write_text("\n".join(lines), encoding="utf-8")
    found = said(package, "services.csv")
    assert [p.row for p in found] == [5]
    assert "这一行的单元格比表头多 1 个" in found[0].message and "多了逗号" in found[0].fix


def test_a_quote_that_swallows_a_comma_is_said_once_for_its_row(package):
    path = package.root / "tasks.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[2].split(",")
    lines[2] = ",".join(cells[:2] + ['"' + cells[2], cells[3] + '"'] + cells[4:])  # a quote opened in one cell, closed in the next
    path.write_text("\n".join(lines), encoding="utf-8")
    found = said(package, "tasks.csv")
    assert [p.row for p in found] == [3] and "双引号" in found[0].message


def test_every_not_allowed_value_message_lists_the_allowed_values(package):
    package.set("targets.csv", 2, "comparator", ">=")
    package.set("services.csv", 2, "domain_id", "education")
    package.set("measures.csv", 2, "domain_ids", "edu；school")
    domains = sorted(r[0] for r in package.rows("domains.csv")[1:])
    found = [p for p in validate.problems(package.descriptor) if "不是允许的值" in p.message]
    assert len(found) == 3
    for p in found:
        allowed = re.search(r"只能填以下之一：([^（。]+)", p.fix).group(1).split("、")
        assert len(allowed) > 1, p.fix
    assert {tuple(re.search(r"只能填以下之一：([^（。]+)", p.fix).group(1).split("、")) for p in found if p.file != "targets.csv"} == {tuple(domains)}


def test_a_percent_fraction_in_a_number_cell_gets_its_own_message(package):
    rows = package.rows("targets.csv")
    row = next(i for i, r in enumerate(rows[1:], start=2) if r[rows[0].index("unit")] == "%" and r[rows[0].index("value")].isdigit()
               and f"{r[rows[0].index('value')]}%" in r[rows[0].index("quote")])
    value = package.get("targets.csv", row, "value")
    package.set("targets.csv", row, "value", f"{int(value) / 100:g}")
    found = said(package, "targets.csv")
    assert [p.text() for p in found] == [f"targets.csv，第 {row} 行，「数值（value）」列：单元格是百分比格式：{value}% 存成了 {int(value) / 100:g}。"
                                         f"\n    怎么改：请把单元格格式改为“常规”后填 {value}。"]
