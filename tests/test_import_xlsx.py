"""Importing an Excel sheet: titles map to fields, text is kept exactly, a sheet that cannot be mapped is refused in Chinese and loses nothing."""
import csv
import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from scripts.office import import_xlsx
from scripts.office.xlsx_templates import write_templates
from scripts.package import load


def resource(package, name):
    return package.resource(json.loads(package.descriptor.read_text(encoding="utf-8")), name)


def sheet_from_csv(package, name, path, change=None):
    """A workbook like a department's: Chinese titles in row 1, the CSV's rows below, every cell text."""
    rows = package.rows(f"{name}.csv")
    titles = {f["name"]: f["title"] for f in resource(package, name)["schema"]["fields"]}
    wb = Workbook()
    ws = wb.active
    ws.append([titles[n] for n in rows[0]])
    for row in rows[1:]:
        ws.append(row)
    if change:
        change(ws)
    wb.save(path)
    return path


def run(capsys, *argv):
    code = import_xlsx.main([str(a) for a in argv])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("name", ["services", "targets", "measures", "documents", "changes"])
def test_an_xlsx_import_round_trips_to_the_same_csv(package, tmp_path, capsys, name):
    before = (package.root / f"{name}.csv").read_bytes()
    xlsx = sheet_from_csv(package, name, tmp_path / f"{name}.xlsx")
    (package.root / f"{name}.csv").write_text("", encoding="utf-8")
    code, out = run(capsys, xlsx, "--resource", name, "--descriptor", package.descriptor)
    assert (package.root / f"{name}.csv").read_bytes() == before
    assert code == 0 and "数据检查通过" in out


def test_the_downloadable_template_round_trips_every_resource(package, tmp_path, capsys):
    before = {p.name: p.read_bytes() for p in package.root.glob("*.csv")}
    templates = write_templates(load(package.descriptor), tmp_path)
    for xlsx in templates:
        if len(package.rows(f"{xlsx.stem}.csv")) > 1:  # a table that ships empty (observations, contacts): an empty sheet is refused (see below)
            assert run(capsys, xlsx, "--resource", xlsx.stem, "--descriptor", package.descriptor)[0] == 0
    assert {p.name: p.read_bytes() for p in package.root.glob("*.csv")} == before


def test_shuffled_rows_stray_spaces_and_field_names_as_headers_give_the_canonical_csv(package, tmp_path, capsys):
    before = (package.root / "targets.csv").read_bytes()

    def untidy(ws):
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        body = rows[1:][::-1]
        body[0][2] = "  " + body[0][2] + " "
        ws.delete_rows(1, ws.max_row)
        ws.append(["id"] + rows[0][1:])  # a field name instead of its title is accepted too
        for r in body:
            ws.append(r)
    xlsx = sheet_from_csv(package, "targets", tmp_path / "t.xlsx", untidy)
    assert run(capsys, xlsx, "--resource", "targets", "--descriptor", package.descriptor)[0] == 0
    assert (package.root / "targets.csv").read_bytes() == before


def test_leading_zeros_and_text_are_kept_exactly(package, tmp_path, capsys):
    column = package.rows("services.csv")[0].index("aliases") + 1
    xlsx = sheet_from_csv(package, "services", tmp_path / "s.xlsx", lambda ws: ws.cell(2, column, "007；0083"))
    run(capsys, xlsx, "--resource", "services", "--descriptor", package.descriptor)
    assert package.get("services.csv", 2, "aliases") == "007；0083"


def test_cells_typed_as_numbers_or_dates_in_excel_come_back_as_written(package, tmp_path, capsys):
    import datetime
    before = (package.root / "changes.csv").read_bytes()

    def typed(ws):
        ws.cell(2, 2).value = datetime.datetime(2017, 12, 19)
    xlsx = sheet_from_csv(package, "changes", tmp_path / "c.xlsx", typed)
    assert run(capsys, xlsx, "--resource", "changes", "--descriptor", package.descriptor)[0] == 0
    assert (package.root / "changes.csv").read_bytes() == before
    assert [import_xlsx.text(v) for v in (83, 5.16, 90.0, None)] == ["83", "5.16", "90", ""]


def test_a_wrong_column_gets_a_chinese_message_with_its_letter_and_the_csv_is_untouched(package, tmp_path, capsys):
    before = (package.root / "services.csv").read_bytes()
    xlsx = sheet_from_csv(package, "services", tmp_path / "s.xlsx", lambda ws: ws.cell(1, 3, "服务名"))
    code, out = run(capsys, xlsx, "--resource", "services", "--descriptor", package.descriptor)
    assert code == 1
    assert "s.xlsx（工作表“Sheet”），第 1 行，「C」列：列名“服务名”不在表结构中。是不是“服务名称”？" in out
    assert "缺少“服务名称”（name）列。" in out
    assert "数据文件未改动" in out
    assert (package.root / "services.csv").read_bytes() == before


def test_an_unknown_extra_column_is_refused(package, tmp_path, capsys):
    xlsx = sheet_from_csv(package, "changes", tmp_path / "c.xlsx", lambda ws: ws.cell(1, 5, "备注"))
    code, out = run(capsys, xlsx, "--resource", "changes", "--descriptor", package.descriptor)
    assert code == 1 and "第 1 行，「E」列：列名“备注”不在表结构中。" in out


def test_a_merged_two_row_header_gets_a_chinese_message(package, tmp_path, capsys):
    before = (package.root / "changes.csv").read_bytes()

    def title_row(ws):
        ws.insert_rows(1)
        ws.cell(1, 1, "四平市基本公共服务开放数据更新记录")
        ws.merge_cells("A1:D1")
    xlsx = sheet_from_csv(package, "changes", tmp_path / "c.xlsx", title_row)
    code, out = run(capsys, xlsx, "--resource", "changes", "--descriptor", package.descriptor)
    assert code == 1
    assert "第 1 行：表头有合并单元格（A1:D1）；表头只能有一行，每列一个列名。" in out
    assert "第 2 行：表头占了两行：第 2 行才是列名。" in out
    assert (package.root / "changes.csv").read_bytes() == before


def test_a_full_width_number_gets_a_chinese_message_with_its_cell(package, tmp_path, capsys):
    before = (package.root / "targets.csv").read_bytes()
    xlsx = sheet_from_csv(package, "targets", tmp_path / "t.xlsx", lambda ws: ws.cell(2, 4, "９９"))
    code, out = run(capsys, xlsx, "--resource", "targets", "--descriptor", package.descriptor)
    assert code == 1
    assert "t.xlsx（工作表“Sheet”），第 2 行，「D」列：“数值”列的“９９”用了全角数字或符号。" in out
    assert (package.root / "targets.csv").read_bytes() == before


def test_an_empty_sheet_never_empties_the_table(package, tmp_path, capsys):
    before = (package.root / "services.csv").read_bytes()
    xlsx = sheet_from_csv(package, "services", tmp_path / "s.xlsx", lambda ws: ws.delete_rows(2, ws.max_row))
    code, out = run(capsys, xlsx, "--resource", "services", "--descriptor", package.descriptor)
    assert code == 1 and "只有表头，没有数据行" in out
    assert (package.root / "services.csv").read_bytes() == before


def test_an_import_that_breaks_a_rule_is_written_and_then_reported_by_the_validator(package, tmp_path, capsys):
    xlsx = sheet_from_csv(package, "targets", tmp_path / "t.xlsx", lambda ws: ws.cell(2, 4, "99%"))
    code, out = run(capsys, xlsx, "--resource", "targets", "--descriptor", package.descriptor)
    assert code == 1 and "已写入 targets.csv" in out and "数字里带了单位" in out


def test_a_file_that_is_not_a_workbook_and_an_unknown_resource_are_said_plainly(package, tmp_path, capsys):
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"not a workbook")
    code, out = run(capsys, bad, "--resource", "services", "--descriptor", package.descriptor)
    assert code == 1 and "无法作为 Excel 工作簿打开" in out and "Traceback" not in out
    code, out = run(capsys, bad, "--resource", "service", "--descriptor", package.descriptor)
    assert code == 1 and "数据包中没有资源“service”" in out


def test_an_extra_sheet_placed_first_is_passed_over_by_its_headers(package, tmp_path, capsys):
    before = (package.root / "targets.csv").read_bytes()
    xlsx = sheet_from_csv(package, "targets", tmp_path / "t.xlsx")
    wb = load_workbook(xlsx)
    cover = wb.create_sheet("说明", 0)
    cover.append(["本表由某某科填报"])
    cover.append(["联系人", "电话"])
    wb.save(xlsx)
    result = import_xlsx.import_sheet(xlsx, resource(package, "targets"), package.descriptor)
    assert not result.problems and (package.root / "targets.csv").read_bytes() == before
    assert any("数据取自第 2 个工作表" in p.message for p in result.notes)


def test_a_workbook_whose_first_sheet_does_not_fit_says_the_data_go_on_the_first_sheet(package, tmp_path):
    wb = Workbook()
    wb.active.append(["本表由某某科填报"])
    wb.create_sheet("数据").append(["甲", "乙"])
    wb.save(tmp_path / "t.xlsx")
    result = import_xlsx.import_sheet(tmp_path / "t.xlsx", resource(package, "targets"), package.descriptor)
    assert any("数据要放在第一个工作表" in p.fix for p in result.problems)


def test_a_date_formatted_year_cell_says_to_format_it_as_general(package, tmp_path):
    import datetime
    year = [f["name"] for f in resource(package, "targets")["schema"]["fields"]].index("year") + 1
    xlsx = sheet_from_csv(package, "targets", tmp_path / "t.xlsx",
                          lambda ws: setattr(ws.cell(2, year), "value", datetime.datetime(1905, 7, 12)))  # 2020 in a date cell
    result = import_xlsx.import_sheet(xlsx, resource(package, "targets"), package.descriptor)
    said = [p for p in result.problems if p.row == 2]
    assert said and "日期格式" in said[0].message and "把单元格格式改为“常规”，再填 2020" in said[0].fix


def ods(path, rows):
    """A minimal OpenDocument spreadsheet (as WPS or LibreOffice saves it), every cell text."""
    cell = lambda v: f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    import zipfile
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                   '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2"><office:body>'
                   f'<office:spreadsheet><table:table table:name="指标和目标">{body}</table:table></office:spreadsheet></office:body></office:document-content>')
    return path


def test_an_ods_workbook_is_read_directly(package, tmp_path):
    from html import escape
    before = (package.root / "targets.csv").read_bytes()
    rows = package.rows("targets.csv")
    titles = {f["name"]: f["title"] for f in resource(package, "targets")["schema"]["fields"]}
    path = ods(tmp_path / "targets.ods", [[titles[n] for n in rows[0]]] + [[escape(c) for c in r] for r in rows[1:]])
    result = import_xlsx.import_sheet(path, resource(package, "targets"), package.descriptor)
    assert not result.problems and (package.root / "targets.csv").read_bytes() == before
