"""The contribution guide: its example messages are the tools' real output, it is in the nav, and its template links work on the built site."""
import json
import re

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from broken_packages import CASES
from scripts import validate
from scripts.office import diff, import_xlsx
from scripts.paths import DESCRIPTOR, DOCS, MKDOCS_YML, ROOT

GUIDE = (DOCS / "contribute.md").read_text(encoding="utf-8")
SHOWN = ["gbk_encoded_file", "bom_in_source_csv", "crlf_line_endings", "chinese_title_as_header", "missing_column",
         "duplicate_ids", "dangling_task_reference", "rows_out_of_order", "number_with_unit", "full_width_digits",
         "thousands_separator", "comparator_outside_enum", "bad_date", "missing_required_value", "leading_space_in_cell",
         "quote_with_changed_punctuation", "quote_not_in_source", "value_not_in_its_quote", "status_published_but_empty",
         "version_bumped_without_change_row"]
RESOURCES = [r["name"] for r in json.loads(DESCRIPTOR.read_text(encoding="utf-8"))["resources"]]


@pytest.mark.parametrize("case", [c for c in CASES if c[0] in SHOWN], ids=lambda c: c[0])
def test_each_example_message_in_the_guide_is_what_the_validator_says(package, case):
    name, breaks, file, row, text = case
    breaks(package)
    said = [p.text() for p in validate.problems(package.descriptor) if p.file == file and text in p.text() and (row is None or p.row == row)]
    assert said and said[0] in GUIDE, said


def test_the_import_example_in_the_guide_is_what_the_importer_says(package, tmp_path):
    fields = package.resource(json.loads(package.descriptor.read_text(encoding="utf-8")), "targets")["schema"]["fields"]
    rows = package.rows("targets.csv")
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.active.append([f["title"] for f in fields])
    for r in rows[1:]:
        wb.active.append(r)
    wb.active.cell(2, 4, "９９")
    wb.save(tmp_path / "指标和目标.xlsx")
    _, found = import_xlsx.import_xlsx(tmp_path / "指标和目标.xlsx", "targets", package.descriptor)
    assert found[0].text() in GUIDE


def test_the_version_example_in_the_guide_is_what_the_diff_says(package):
    package.set("services.csv", 2, "aliases", "幼儿园；托儿所")
    said = diff.version_problems(diff.compare(DESCRIPTOR, package.descriptor))
    assert len(said) == 2 and all(s in GUIDE for s in said)


def test_the_guide_links_a_template_for_every_resource():
    linked = set(re.findall(r"\(contribute/templates/([a-z]+)\.xlsx\)", GUIDE))
    assert linked == set(RESOURCES)


def test_the_guide_is_in_the_nav_before_the_about_page():
    nav = [next(iter(item.items())) for item in yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]]
    pages = [page for _, page in nav]
    assert ("参与更新", "contribute.md") in nav
    assert pages.index("contribute.md") < pages.index("about.md")


def test_contributing_points_to_the_guide_and_the_commands():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for must in ("docs/contribute.md", "scripts.office.import_xlsx", "scripts.office.diff", "make validate", "pull_request_template.md"):
        assert must in text, must


def test_the_built_guide_offers_every_template_as_a_download(site_dir):
    page = (site_dir / "contribute" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="(templates/[a-z]+\.xlsx)"', page)
    assert sorted(h.split("/")[1][:-5] for h in hrefs) == sorted(RESOURCES)
    for href in hrefs:
        wb = load_workbook(site_dir / "contribute" / href)
        assert wb.sheetnames[1] == "说明"
