"""No update loses, reverts or freezes data by accident: a workbook that would delete rows, revert later changes or race
another copy of its table is refused in Chinese (ids named, the check red, never “通过”); the version has one home the
office edits, the changes row, and datapackage.json follows it."""
import json
import shutil

import pytest
from openpyxl import load_workbook

from scripts.office import guard, inbox, import_xlsx
from scripts.office.normalise import sync_version
from scripts.office.xlsx_templates import write_templates
from scripts.package import load
from scripts.validate.raw import read_descriptor


def template(package, tmp_path, name="targets"):
    folder = tmp_path / "downloaded"
    return next(p for p in write_templates(load(package.descriptor), folder) if p.stem == name)


def ids(package, file="targets.csv"):
    return [r[0] for r in package.rows(file)[1:]]


def value_column(sheet, title="数值"):
    return next(c.column for c in sheet[1] if c.value == title)


def run_inbox(package, tmp_path, files: dict, capsys=None):
    box = tmp_path / "inbox"
    box.mkdir(exist_ok=True)
    for name, path in files.items():
        shutil.copy(path, box / name)
    report = tmp_path / "report.md"
    code = inbox.main(["--descriptor", str(package.descriptor), "--inbox", str(box), "--report", str(report)])
    return code, report.read_text(encoding="utf-8"), box


def test_a_workbook_holding_only_the_changed_row_is_refused_and_deletes_nothing(package, tmp_path):
    before = (package.root / "targets.csv").read_bytes()
    all_ids = ids(package)
    xlsx = template(package, tmp_path)
    wb = load_workbook(xlsx)
    ws = wb.worksheets[0]
    ws.cell(2, value_column(ws)).value = "98"
    ws.delete_rows(3, ws.max_row)  # the clerk kept only the row that changed
    wb.save(xlsx)
    code, report, box = run_inbox(package, tmp_path, {"targets.xlsx": xlsx})
    assert code == 1
    assert (package.root / "targets.csv").read_bytes() == before, "the other rows must stay"
    assert (box / "targets.xlsx").exists(), "a refused workbook stays in the inbox"
    assert f"工作簿里没有 targets.csv 的 {len(all_ids) - 1} 行：{all_ids[1]}、" in report
    assert "下载最新的模板，在完整的表上修改" in report and "删除 " in report
    assert "**没有导入**" in report and "通过：" not in report and "没有通过" in report


def test_a_deleted_row_is_refused_naming_its_id_until_the_changes_row_names_it(package, tmp_path):
    gone = ids(package)[4]
    xlsx = template(package, tmp_path)
    wb = load_workbook(xlsx)
    wb.worksheets[0].delete_rows(6)
    wb.save(xlsx)
    code, report, _ = run_inbox(package, tmp_path, {"targets.xlsx": xlsx})
    assert code == 1 and f"工作簿里没有 targets.csv 的 1 行：{gone}。" in report and gone in ids(package)
    assert f"“删除 {gone}”" in report
    # confirmed: the changes row of this update (a version not published) names the id
    package.write_rows("changes.csv", package.rows("changes.csv") + [["99.0.0", "2030-01-01", "测试文号", f"删除 {gone}（重复）"]])
    code, report, box = run_inbox(package, tmp_path, {"targets.xlsx": xlsx})
    assert gone not in ids(package) and not (box / "targets.xlsx").exists(), report
    assert "已导入" in report


def test_two_copies_of_one_table_in_one_pull_request_are_both_refused(package, tmp_path):
    before = (package.root / "targets.csv").read_bytes()
    first = template(package, tmp_path)
    second = tmp_path / "copy.xlsx"
    wb = load_workbook(first)
    ws = wb.worksheets[0]
    ws.cell(3, value_column(ws)).value = "97"
    wb.save(second)
    code, report, box = run_inbox(package, tmp_path, {"targets.xlsx": first, "targets (1).xlsx": second})
    assert code == 1 and (package.root / "targets.csv").read_bytes() == before
    assert "同一个拉取请求里还有 targets (1).xlsx 也是 targets.csv 这张表" in report
    assert "同一个拉取请求里还有 targets.xlsx 也是 targets.csv 这张表" in report
    assert (box / "targets.xlsx").exists() and (box / "targets (1).xlsx").exists()


@pytest.fixture
def frozen(package, tmp_path):
    """The package's current version frozen (as the publish job does), and the template made from it."""
    version = json.loads(package.descriptor.read_text(encoding="utf-8"))["version"]
    releases = tmp_path / "releases"
    (releases / f"v{version}").mkdir(parents=True)
    shutil.copy(package.root / "targets.csv", releases / f"v{version}" / "targets.csv")
    return releases, template(package, tmp_path), version


def later_release(package, releases, version, change) -> str:
    """A merge after the template was downloaded: `change` applied to the package, frozen as the next version."""
    major, minor, _ = version.split(".")
    later = f"{major}.{int(minor) + 1}.0"
    change(package)
    (releases / f"v{later}").mkdir()
    shutil.copy(package.root / "targets.csv", releases / f"v{later}" / "targets.csv")
    return later


def import_and_hold(package, xlsx, releases):
    meta = json.loads(package.descriptor.read_text(encoding="utf-8"))
    resource = import_xlsx.resource_named(meta, "targets")
    before = guard.snapshot(package.descriptor, meta)
    result = import_xlsx.import_sheet(xlsx, resource, package.descriptor)
    assert not result.problems
    return before, guard.hold(package.descriptor, [(xlsx, result)], before, releases=releases, repo=package.root)


def edit(xlsx, row, value):
    wb = load_workbook(xlsx)
    ws = wb.worksheets[0]
    ws.cell(row, value_column(ws)).value = value
    wb.save(xlsx)


def test_a_template_made_before_a_later_merge_is_refused_instead_of_reverting_it(package, tmp_path, frozen):
    releases, xlsx, version = frozen
    moved = package.get("targets.csv", 3, "id")
    later = later_release(package, releases, version, lambda p: p.set("targets.csv", 3, "note", "后来合并的修改"))
    merged = (package.root / "targets.csv").read_bytes()
    edit(xlsx, 6, "12345")  # the clerk's own edit, elsewhere, in the old template
    _, held = import_and_hold(package, xlsx, releases)
    said = " ".join(p.message + p.fix for p in held["targets.xlsx"])
    assert f"数据版本 {version} 的模板" in said and f"此后发布的版本 {later}" in said and moved in said and "下载最新的模板" in said
    assert (package.root / "targets.csv").read_bytes() == merged, "the merged change stays"


def test_a_template_made_before_a_row_was_added_names_the_new_row(package, tmp_path, frozen):
    releases, xlsx, version = frozen

    def add(p):
        rows = p.rows("targets.csv")
        added = rows[1][:]
        added[0] = "TG999"
        p.write_rows("targets.csv", rows + [added])
    later_release(package, releases, version, add)
    _, held = import_and_hold(package, xlsx, releases)
    said = " ".join(p.message for p in held["targets.xlsx"])
    assert "TG999" in said and "模板生成以后才有的" in said
    assert "TG999" in ids(package)


def test_an_older_copy_that_would_undo_this_pull_requests_earlier_import_is_refused(package, tmp_path, frozen):
    releases, xlsx, _ = frozen
    first = tmp_path / "first.xlsx"
    shutil.copy(xlsx, first)
    edit(first, 3, "11")
    _, held = import_and_hold(package, first, releases)  # the first upload is imported
    assert held == {} and package.get("targets.csv", 3, "value") == "11"
    edit(xlsx, 6, "12")  # then an edit in the untouched template, which still holds row 3 as published
    _, held = import_and_hold(package, xlsx, releases)
    said = " ".join(p.message for p in held["targets.xlsx"])
    assert package.get("targets.csv", 3, "id") in said and "本拉取请求早先导入的修改" in said
    assert package.get("targets.csv", 3, "value") == "11"
    edit(first, 3, "13")  # the clerk corrects their own row in the workbook they uploaded: that is no reversion
    _, held = import_and_hold(package, first, releases)
    assert held == {} and package.get("targets.csv", 3, "value") == "13"


def test_a_fresh_template_imports_and_a_workbook_without_a_version_is_still_checked(package, tmp_path, frozen):
    releases, xlsx, _ = frozen
    edit(xlsx, 4, "7")
    _, held = import_and_hold(package, xlsx, releases)
    assert held == {} and package.get("targets.csv", 4, "value") == "7"
    wb = load_workbook(xlsx)
    del wb["说明"]
    wb.save(xlsx)
    assert guard.template_version(xlsx) is None
    _, held = import_and_hold(package, xlsx, releases)
    assert held == {}


# --- the version's one home: the changes row -------------------------------------------------------------------------

def test_the_newest_changes_row_writes_the_version_into_the_descriptor_and_nothing_else(package):
    raw = package.descriptor.read_text(encoding="utf-8")
    old = json.loads(raw)["version"]
    major = int(old.split(".")[0])
    assert sync_version(package.descriptor) == []  # already in step: nothing written
    package.write_rows("changes.csv", package.rows("changes.csv") + [[f"{major + 1}.0.0", "2030-01-01", "测试文号", "测试"]])
    said = sync_version(package.descriptor)
    assert said and f"{old} → {major + 1}.0.0" in said[0]
    new = package.descriptor.read_text(encoding="utf-8")
    assert new == raw.replace(f'"version": "{old}"', f'"version": "{major + 1}.0.0"', 1)


def test_the_version_never_goes_down_from_an_older_changes_row(package):
    raw = package.descriptor.read_text(encoding="utf-8")
    package.write_rows("changes.csv", package.rows("changes.csv") + [["0.0.1", "2030-01-01", "测试文号", "测试"]])
    assert sync_version(package.descriptor) == [] and package.descriptor.read_text(encoding="utf-8") == raw


def test_a_full_width_quote_in_the_descriptor_is_named_with_how_to_fix_it(package):
    raw = package.descriptor.read_text(encoding="utf-8")
    old = json.loads(raw)["version"]
    package.descriptor.write_text(raw.replace(f'"version": "{old}"', f'"version": “{old}"', 1), encoding="utf-8")
    descriptor, found = read_descriptor(package.descriptor)
    assert descriptor is None and len(found) == 1
    line = next(i for i, l in enumerate(raw.splitlines(), 1) if '"version"' in l)
    assert found[0].row == line
    assert "是““”（左双引号，中文输入法打出的全角符号）" in found[0].message and "英文半角的 \"" in found[0].fix
    assert "版本号不用手改" in found[0].fix


def test_the_maintainers_import_command_refuses_a_partial_workbook_too(package, tmp_path, capsys):
    before = (package.root / "targets.csv").read_bytes()
    xlsx = template(package, tmp_path)
    wb = load_workbook(xlsx)
    wb.worksheets[0].delete_rows(3, wb.worksheets[0].max_row)
    wb.save(xlsx)
    code = import_xlsx.main([str(xlsx), "--resource", "targets", "--descriptor", str(package.descriptor)])
    out = capsys.readouterr().out
    assert code == 1 and "没有导入" in out and "工作簿里没有 targets.csv 的" in out and "通过" not in out
    assert (package.root / "targets.csv").read_bytes() == before
