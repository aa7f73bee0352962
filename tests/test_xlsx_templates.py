"""The Excel templates: one per resource, generated from the schema, Chinese titles in the one header row, the same bytes on every build."""
import csv
import json

from openpyxl import load_workbook

from scripts.paths import DATAPACKAGE, DESCRIPTOR
from scripts.office.xlsx_templates import write_templates
from scripts.package import load

META = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))


def test_every_resource_has_a_template_that_opens_with_the_chinese_titles(tmp_path):
    written = write_templates(load(DESCRIPTOR), tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{r['name']}.xlsx" for r in META["resources"])
    for r in META["resources"]:
        wb = load_workbook(tmp_path / "contribute" / "templates" / f"{r['name']}.xlsx")
        sheet = wb.worksheets[0]
        assert [c.value for c in sheet[1]] == [f["title"] for f in r["schema"]["fields"]]
        notes = wb["说明"]
        listed = [row[1] for row in notes.iter_rows(min_row=2, values_only=True) if row[1]]
        assert listed == [f["name"] for f in r["schema"]["fields"]]


def test_the_template_holds_the_current_rows_as_text(tmp_path):
    write_templates(load(DESCRIPTOR), tmp_path)
    sheet = load_workbook(tmp_path / "contribute" / "templates" / "services.xlsx").worksheets[0]
    assert sheet["A2"].value == "S001" and sheet["A2"].number_format == "@"
    assert sheet.column_dimensions["A"].number_format == "@"  # rows added below keep the text format: leading zeros stay
    assert sheet.max_row - 1 == len(list(csv.reader((DATAPACKAGE / "services.csv").open(encoding="utf-8")))) - 1


def test_enum_columns_offer_a_drop_down_list(tmp_path):
    write_templates(load(DESCRIPTOR), tmp_path)
    sheet = load_workbook(tmp_path / "contribute" / "templates" / "targets.xlsx").worksheets[0]
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert '"等于,≥,≤,约,等级或更高"' in lists and '"baseline,target"' in lists


def test_the_notes_sheet_says_the_requirements_in_chinese(tmp_path):
    write_templates(load(DESCRIPTOR), tmp_path)
    notes = load_workbook(tmp_path / "contribute" / "templates" / "observations.xlsx")["说明"]
    rows = {row[1]: row for row in notes.iter_rows(min_row=2, values_only=True) if row[1]}
    assert rows["id"][3].startswith("必填") and "OB[0-9]{3}" in rows["id"][3]
    assert rows["value"][2].startswith("数字")
    assert "import_xlsx" in "".join(str(row[0]) for row in notes.iter_rows(values_only=True) if row[0])


def test_templates_are_the_same_bytes_on_every_build(tmp_path):
    first = {p.name: p.read_bytes() for p in write_templates(load(DESCRIPTOR), tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in write_templates(load(DESCRIPTOR), tmp_path / "b")}
    assert first == second
