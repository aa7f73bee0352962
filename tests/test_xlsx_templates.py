"""The Excel templates: one per resource, generated from the schema, Chinese titles in the one header row, the same bytes on every build."""
import csv
import datetime
import io
import json
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from scripts.paths import DATAPACKAGE, DESCRIPTOR
from scripts.office.xlsx_templates import VERSION_LINE, workbook, write_templates
from scripts.package import load
from scripts.publish.formats import workbook_bytes

META = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """(folder, written paths): the real package's templates, written once; the tests only read them."""
    folder = tmp_path_factory.mktemp("templates")
    return folder, write_templates(load(DESCRIPTOR), folder)


def test_every_resource_has_a_template_that_opens_with_the_chinese_titles(templates):
    folder, written = templates
    assert sorted(p.name for p in written) == sorted(f"{r['name']}.xlsx" for r in META["resources"])
    for r in META["resources"]:
        wb = load_workbook(folder / "contribute" / "templates" / f"{r['name']}.xlsx")
        sheet = wb.worksheets[0]
        assert [c.value for c in sheet[1]] == [f["title"] for f in r["schema"]["fields"]]
        notes = wb["说明"]
        listed = [row[1] for row in notes.iter_rows(min_row=2, values_only=True) if row[1]]
        assert listed == [f["name"] for f in r["schema"]["fields"]]


def test_the_template_holds_the_current_rows_as_text(templates):
    folder, _ = templates
    sheet = load_workbook(folder / "contribute" / "templates" / "services.xlsx").worksheets[0]
    assert sheet["A2"].value == "S001" and sheet["A2"].number_format == "@"
    assert sheet.column_dimensions["A"].number_format == "@"  # rows added below keep the text format: leading zeros stay
    assert sheet.max_row - 1 == len(list(csv.reader((DATAPACKAGE / "services.csv").open(encoding="utf-8")))) - 1


def test_enum_columns_offer_a_drop_down_list(templates):
    folder, _ = templates
    sheet = load_workbook(folder / "contribute" / "templates" / "targets.xlsx").worksheets[0]
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert '"等于,≥,≤,约,等级或更高"' in lists and '"baseline,target"' in lists


def test_the_notes_sheet_says_the_requirements_in_chinese(templates):
    folder, _ = templates
    notes = load_workbook(folder / "contribute" / "templates" / "observations.xlsx")["说明"]
    rows = {row[1]: row for row in notes.iter_rows(min_row=2, values_only=True) if row[1]}
    assert rows["id"][3].startswith("必填") and "OB[0-9]{3}" in rows["id"][3]
    assert rows["value"][2].startswith("数字")
    assert "import_xlsx" in "".join(str(row[0]) for row in notes.iter_rows(values_only=True) if row[0])


def test_templates_are_the_same_bytes_on_every_build(templates, tmp_path):
    first = {p.name: p.read_bytes() for p in templates[1]}
    second = {p.name: p.read_bytes() for p in write_templates(load(DESCRIPTOR), tmp_path)}
    assert first == second


ATTACKS = ['=HYPERLINK("http://evil.example","详见")', "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "="]


def sheets_xml(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}


def test_text_from_the_data_never_becomes_a_formula_in_a_template():
    resource = {"name": "targets", "title": "指标", "path": "targets.csv",
                "schema": {"fields": [{"name": "id", "title": "编号"}, {"name": "note", "title": "备注"}]}}
    rows = [[f"T{i:03d}", text] for i, text in enumerate(ATTACKS, 1)]
    data = workbook_bytes(workbook(resource, rows, "1.0.0"), datetime.date(2017, 12, 19))
    for name, xml in sheets_xml(data).items():
        assert b"<f>" not in xml and b"<f " not in xml, f"{name} holds a formula"
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [sheet.cell(r, 2).value for r in range(2, len(ATTACKS) + 2)] == ATTACKS
    assert all(sheet.cell(r, 2).data_type == "s" for r in range(2, len(ATTACKS) + 2))


@pytest.mark.parametrize("text", ATTACKS)
def test_any_workbook_the_project_writes_stores_formula_looking_text_as_text(text):
    """The last line of defence: workbook_bytes turns a cell openpyxl took for a formula back into its text."""
    wb = Workbook()
    wb.active["A1"] = text
    wb.create_sheet("说明")["B2"] = text
    data = workbook_bytes(wb, datetime.date(2017, 12, 19))
    assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets_xml(data).values())
    assert load_workbook(io.BytesIO(data)).active["A1"].value == text


def test_the_real_templates_hold_no_formula(templates):
    for path in templates[1]:
        assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets_xml(path.read_bytes()).values()), path.name


def test_each_template_records_the_data_version_its_rows_are_from(templates):
    for path in templates[1]:
        notes = load_workbook(path)["说明"]
        said = [str(row[0]) for row in notes.iter_rows(values_only=True) if row[0]]
        assert any(s.startswith(VERSION_LINE.format(version=META["version"])) for s in said), path.name
        assert any("删除" in s and "changes" in s for s in said), "the notes say how to confirm a deletion"
