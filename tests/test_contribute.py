"""The contribution guide: its example messages are the tools' real output (whatever today's version is), it describes
both web routes and the commands that work, it is in the nav, and its template links work on the built site."""
import csv
import io
import json
import re
import shutil

import pytest
import yaml
from openpyxl import load_workbook

from broken_packages import CASES
from conftest import Package
from scripts import validate
from scripts.office import diff, import_xlsx
from scripts.office.xlsx_templates import write_templates
from scripts.package import load
from scripts.paths import DESCRIPTOR, DOCS, MKDOCS_YML, ROOT

GUIDE = (DOCS / "contribute.md").read_text(encoding="utf-8")
SHOWN = ["gbk_encoded_file", "bom_in_source_csv", "crlf_line_endings", "chinese_title_as_header", "missing_column",
         "duplicate_ids", "dangling_task_reference", "row_with_unquoted_comma", "number_with_unit", "full_width_digits",
         "thousands_separator", "comparator_outside_enum", "bad_date", "missing_required_value",
         "quote_with_changed_punctuation", "quote_not_in_source", "value_not_in_its_quote", "status_published_but_empty"]
RESOURCES = [r["name"] for r in json.loads(DESCRIPTOR.read_text(encoding="utf-8"))["resources"]]
VERSION = "1.0.1"  # the version the guide's examples are written for, set on the package copy


@pytest.mark.parametrize("case", [c for c in CASES if c[0] in SHOWN], ids=lambda c: c[0])
def test_each_example_message_in_the_guide_is_what_the_validator_says(package, case):
    name, breaks, file, row, text = case
    breaks(package)
    said = [p.text() for p in validate.problems(package.descriptor) if p.file == file and text in p.text() and (row is None or p.row == row)]
    assert said and said[0] in GUIDE, said


def test_the_missing_change_row_example_is_what_the_validator_says(package):
    rows = package.rows("changes.csv")
    package.write_rows("changes.csv", [rows[0]] + [r for r in rows[1:] if r[0] != VERSION])
    package.edit_descriptor(lambda d: d.update(version=VERSION))
    said = [p.text() for p in validate.problems(package.descriptor) if p.file == "changes.csv"]
    assert said and said[0] in GUIDE, said


def targets_template(package, tmp_path):
    xlsx = next(p for p in write_templates(load(package.descriptor), tmp_path) if p.stem == "targets")
    value = [f["name"] for f in package.resource(json.loads(package.descriptor.read_text(encoding="utf-8")), "targets")["schema"]["fields"]].index("value") + 1
    return xlsx, load_workbook(xlsx), value


def import_targets(package, wb, tmp_path):
    """Save the edited targets workbook and import its sheet as the workflow does."""
    path = tmp_path / "指标和目标.xlsx"
    wb.save(path)
    meta = json.loads(package.descriptor.read_text(encoding="utf-8"))
    return import_xlsx.import_sheet(path, import_xlsx.resource_named(meta, "targets"), package.descriptor)


def test_the_import_examples_in_the_guide_are_what_the_importer_says(package, tmp_path):
    xlsx, wb, value = targets_template(package, tmp_path)
    ws = wb.worksheets[0]
    ws.cell(2, value).value = "９９"
    ws.cell(3, value).value = 0.995
    ws.cell(3, value).number_format = "0.0%"
    ws.cell(4, value).value = "=98+1"
    ws.insert_rows(5)
    result = import_targets(package, wb, tmp_path)
    assert len(result.problems) == 3 and len(result.notes) == 1
    for p in result.problems + result.notes:
        assert p.text() in GUIDE, p.text()


def test_the_header_examples_in_the_guide_are_what_the_importer_says(package, tmp_path):
    xlsx, wb, _ = targets_template(package, tmp_path)
    ws = wb.worksheets[0]
    ws.cell(1, 3).value = ws.cell(1, 3).value + "名"
    path = tmp_path / "指标和目标.xlsx"
    wb.save(path)
    _, found = import_xlsx.import_xlsx(path, "targets", package.descriptor)
    assert found and all(p.text() in GUIDE for p in found), [p.text() for p in found]
    xlsx, wb, _ = targets_template(package, tmp_path)
    ws = wb.worksheets[0]
    ws.insert_rows(1)
    ws.cell(1, 1).value = "指标和目标（报送稿）"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    wb.save(path)
    _, found = import_xlsx.import_xlsx(path, "targets", package.descriptor)
    assert len(found) == 2 and all(p.text() in GUIDE for p in found), [p.text() for p in found]


def test_the_row_numbers_example_after_an_import_is_what_the_importer_says(package, tmp_path):
    xlsx, wb, value = targets_template(package, tmp_path)
    ws = wb.worksheets[0]
    ws.cell(2, value).value = "99%"
    ws.insert_rows(2)
    result = import_targets(package, wb, tmp_path)
    found = import_xlsx.in_workbook(validate.problems(package.descriptor), [result])
    assert [p.text() for p in found][0] in GUIDE


def test_the_version_example_in_the_guide_is_what_the_diff_says(package, tmp_path):
    base = Package(tmp_path / "base")
    shutil.copytree(package.root, base.root)
    for copy in (base, package):
        copy.edit_descriptor(lambda d: d.update(version="1.0.0"))
    package.set("services.csv", 2, "aliases", "幼儿园；托儿所")
    said = diff.version_problems(diff.compare(base.descriptor, package.descriptor))
    assert len(said) == 1 and all(s in GUIDE for s in said)
    assert "不用手改" in said[0] and "datapackage.json 中的 \"version\" 改为" not in GUIDE  # the version's one home is the changes row


def test_the_guide_walks_through_publishing_the_annex_and_says_who_needs_write_access():
    for must in ("写权限", "Settings → Collaborators → Add people", "Write", "Accept invitation", "fork", "摘要和标注",
                 "公开附件1：一步一步", "附件1.docx", "documents.xlsx", "services.xlsx", "changes.xlsx", "一次上传四个文件",
                 "版本号只写在这里", "删除 S090、S091", "模板数据版本", "同一张表传了两份"):
        assert must in GUIDE, must


def test_the_guide_links_a_template_for_every_resource():
    linked = set(re.findall(r"\(contribute/templates/([a-z]+)\.xlsx\)", GUIDE))
    assert linked == set(RESOURCES)


def test_the_guide_describes_both_web_routes_the_preview_the_versions_and_commands_that_work():
    for must in ("Add file", "Upload files", "inbox", "Create a new branch for this commit and start a pull request", "Propose changes",
                 "Create pull request", "Edit this file", "收件箱和格式整理", "site-preview", "生成网站和链接检查", "index.html",
                 "releases/v", "data/latest/", "make validate", ".venv/bin/python -m scripts.office.import_xlsx",
                 ".venv/bin/python -m scripts.office.inbox"):
        assert must in GUIDE, must
    commands = re.findall(r"`(make [a-z]+|\.venv/bin/python -m [a-z_.]+)", GUIDE)
    assert commands
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for command in commands:
        command = command.strip()
        if command.startswith("make "):
            assert re.search(rf"^{command.split()[1]}:", makefile, re.M), command
        else:
            module = command.split()[-1]
            assert (ROOT / (module.replace(".", "/") + ".py")).is_file() or (ROOT / module.replace(".", "/") / "__main__.py").is_file(), command
    assert "python -m scripts.import_xlsx" not in GUIDE and not re.search(r"(?<!bin/)python -m scripts", GUIDE)


def test_the_guide_is_in_the_nav_under_open_data():
    nav = [next(iter(item.items())) for item in yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]]
    open_data = [next(iter(item.items())) for title, value in nav if title == "开放数据" for item in value]
    assert ("参与更新", "contribute.md") in open_data


def test_contributing_and_the_pull_request_template_describe_the_same_routes_and_the_editors_steps():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for must in ("docs/contribute.md", "inbox/", "Upload files", "scripts.office.import_xlsx", "scripts.office.diff", "make validate",
                 "pull_request_template.md", "site-preview", "releases/v"):
        assert must in text, must
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for must in ("inbox/", "收件箱和格式整理", "版本号", "changes.csv", "批准文件", "保密审查", "site-preview"):
        assert must in template, must


def test_the_built_guide_offers_every_template_as_a_download(site_dir):
    page = (site_dir / "contribute" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="(templates/[a-z]+\.xlsx)"', page)
    assert sorted({h.split("/")[1][:-5] for h in hrefs}) == sorted(RESOURCES)
    for href in hrefs:
        wb = load_workbook(site_dir / "contribute" / href)
        assert wb.sheetnames[1] == "说明"
