"""The annex goes public with Excel and the GitHub website alone, end to end, through the workflow's own commands.

A clerk uploads the list as it arrived (the fictional 测试附件 as .docx, or as .pdf) with three workbooks (documents,
services, changes) to inbox/ on a pull request's branch. Then, as on GitHub: the inbox job runs
`python -m scripts.office.inbox --github --summary … --report …`, the commit job applies its patch as the bot, the
pull request's head is validated and version-checked (`python -m scripts.office.diff main --check-version`), the branch
is merged, `python -m scripts.publish` freezes the new version, and the site is built once: a service page shows the
list's text. The pull request holds only the four uploads; the bot's commit touches only datapackage/ and inbox/.

Also here, on small inputs: each reader of scripts.office.extract, quotes from table cells found whatever the line breaks,
and what happens to an upload that cannot give its text or a file the inbox cannot read.
"""
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from annex_fixture import DOCX, HEADING, ITEMS, PDF, publish_annex, upload_annex
from scripts.office import extract, inbox
from scripts.paths import ROOT
from scripts.validate.corpus import find, normalize
from test_inbox import BRANCH, Repo, git

PYTHON = str(ROOT / ".venv" / "bin" / "python")


def run(cwd, *args):
    return subprocess.run([PYTHON, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.mark.slow  # the inbox, the checks and a whole build, twice: make test-fast skips it, make test runs it
@pytest.mark.parametrize("original", [DOCX, PDF], ids=["docx", "pdf"])
def test_the_annex_uploaded_with_three_workbooks_goes_green_is_published_and_shows_on_its_service_page(tmp_path, original):
    repo = Repo(tmp_path)
    shutil.copytree(ROOT / "releases", repo.work / "releases")  # main holds what it publishes
    shutil.copy(ROOT / "mkdocs.yml", repo.work / "mkdocs.yml")  # publish reads the site's address from it
    git(repo.work, "checkout", "-q", "main")
    git(repo.work, "add", "-A")
    git(repo.work, "commit", "-q", "-m", "releases")
    git(repo.work, "push", "-q", "origin", "main")
    git(repo.work, "checkout", "-q", "-B", BRANCH)
    staging = tmp_path / "office"
    done = upload_annex(repo.work / "datapackage", staging, original)
    for f in sorted(staging.iterdir()):  # “Add file → Upload files”: the four files, nothing else
        repo.upload(f"inbox/{f.name}", f.read_bytes())
    assert sorted(git(repo.work, "-c", "core.quotePath=false", "diff", "--name-only", "main", BRANCH).splitlines()) == sorted(f"inbox/{f.name}" for f in staging.iterdir())

    pr = repo.pull_request()
    assert pr["inbox_ok"] and pr["committed"], pr["stdout"]
    listed = done["document"]
    touched = git(repo.origin, "-c", "core.quotePath=false", "diff", "--name-only", f"{pr['committed']}~1", pr["committed"]).splitlines()
    assert all(t.startswith(("datapackage/", "inbox/")) for t in touched), touched
    assert repo.at_origin(f"datapackage/sources/{listed}.txt")  # written by the bot, or already there when the list was published before
    assert repo.at_origin(f"datapackage/sources/{listed}{original.suffix}") == original.read_bytes()
    assert not [t for t in git(repo.origin, "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", BRANCH, "inbox").splitlines() if not t.endswith("README.md")]
    assert f"已提取文件 {listed} 的文字" in pr["summary"]
    assert "还没有任何常用说法" in pr["summary"] and "::warning" in pr["stdout"]  # search words: a note, not a failure

    git(repo.work, "pull", "-q", "--ff-only", "origin", BRANCH)  # the bot's commit, with the version from the changes row
    assert json.loads((repo.work / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))["version"] == done["version"]
    checked = run(repo.work, "-m", "scripts.validate")
    assert checked.returncode == 0, checked.stdout
    bumped = run(repo.work, "-m", "scripts.office.diff", "main", "--check-version")
    assert bumped.returncode == 0 and "版本检查通过" in bumped.stdout, bumped.stdout

    git(repo.work, "checkout", "-q", "main")
    git(repo.work, "merge", "-q", "--no-ff", "-m", "Merge pull request", BRANCH)
    published = run(repo.work, "-m", "scripts.publish", "--repo", str(repo.work), "--releases", str(repo.work / "releases"))
    assert published.returncode == 0, published.stdout + published.stderr
    release = repo.work / "releases" / f"v{done['version']}"
    with zipfile.ZipFile(next(release.glob("*.zip"))) as z:  # the original and its extracted text, for anyone to check
        assert z.read(f"sources/{listed}{original.suffix}") == original.read_bytes()
        assert find(ITEMS[0][2], normalize(z.read(f"sources/{listed}.txt").decode("utf-8")))

    if original != DOCX:
        return  # one build is enough: the .pdf run ends at its frozen release, which holds the same cells (checked above)
    from scripts.build import build
    site = build(repo.work / "datapackage" / "datapackage.json", tmp_path / "build", releases=repo.work / "releases")
    service = done["services"][0]
    page = (site / "services" / service["id"] / "index.html").read_text(encoding="utf-8")
    for field in ("content_standard", "lead_department"):
        assert service[field] in page and service[f"{field}_quote"] in page
    assert "清单" in page and HEADING in page


# ---- the readers, on the fixture files and small inputs ----

def test_the_docx_and_the_pdf_give_every_cell_of_the_test_annex():
    for original in (DOCX, PDF):
        text = normalize(extract.extract(original))
        for item in ITEMS:
            for cell in item:
                assert find(cell, text), (original.name, cell)
        assert "⽂" not in text and "⺠" not in text  # radicals from the PDF's fonts are the ordinary characters


def test_a_quote_from_one_cell_is_found_whatever_the_extraction_did_with_line_breaks_and_tabs():
    text = normalize("序号\t服务项目\n1\t测试项目甲\t虚构镇的测\n试居民\n\n每年为每位\n测试居民提供 2020 年")
    assert find("虚构镇的测试居民", text) and find("每年为每位测试居民提供2020年", text)
    assert not find("12", normalize("1 2"))  # two numbers in two cells never become one


def test_a_gbk_text_and_a_spreadsheet_are_read_as_their_text(tmp_path):
    (tmp_path / "a.txt").write_bytes("测试附件\r\n虚构的测试居民\r\n".encode("gb18030"))
    assert extract.extract(tmp_path / "a.txt") == "测试附件\n虚构的测试居民\n"
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["序号", "服务项目"])
    wb.active.append([1, "测试项目甲"])
    wb.save(tmp_path / "a.xlsx")
    assert extract.extract(tmp_path / "a.xlsx") == "Sheet\n序号\t服务项目\n1\t测试项目甲\n"


SCAN = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")  # a page, no text


def test_a_pdf_without_a_text_layer_stays_in_the_inbox_with_a_message_and_the_check_is_red(package, tmp_path):
    (tmp_path / "扫描件.pdf").write_bytes(SCAN)
    sources = lambda: {p.name: p.read_bytes() for p in (package.root / "sources").iterdir()}
    before = sources()  # the list's text may be there already, when the annex was published before
    done = upload_annex(package.root, tmp_path / "inbox", tmp_path / "扫描件.pdf")
    result = inbox.run(package.descriptor, tmp_path / "inbox")
    assert not result["registered"] and (tmp_path / "inbox" / done["upload"]).is_file()
    assert any("没有文字层" in p.message and done["upload"] in p.file for p in result["problems"])
    assert sources() == before
    assert inbox.main(["--descriptor", str(package.descriptor), "--inbox", str(tmp_path / "inbox")]) == 1


def test_a_wps_or_numbers_file_turns_the_check_red_and_stays(package, tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    for name in ("公开文件.et", "services.numbers"):
        (box / name).write_bytes(b"PK\x03\x04 not read")
    done = inbox.run(package.descriptor, box)
    said = inbox.report(done)
    assert said.count("在 Excel 或 WPS 里另存为 .xlsx") == 2 and (box / "公开文件.et").is_file()
    assert inbox.main(["--descriptor", str(package.descriptor), "--inbox", str(box)]) == 1


def test_a_word_file_that_no_documents_row_names_is_refused_with_how_to_register_it(package, tmp_path):
    (tmp_path / "inbox").mkdir()
    shutil.copyfile(DOCX, tmp_path / "inbox" / "附件1.docx")
    done = inbox.run(package.descriptor, tmp_path / "inbox")
    assert any("没有登记" in p.message and "“原文文本”填“附件1.docx”" in p.fix for p in done["problems"])
    assert (tmp_path / "inbox" / "附件1.docx").is_file() and not done["registered"]


def test_the_fixture_package_with_the_annex_published_validates(package):
    from scripts import validate
    done = publish_annex(package.root)
    assert done["run"]["registered"] and not done["run"]["problems"] and not done["run"]["found"]
    assert [p.text() for p in validate.problems(package.descriptor)] == []
    assert (package.root / "sources" / f"{done['document']}.docx").read_bytes() == DOCX.read_bytes()


def test_a_list_uploaded_as_a_spreadsheet_is_registered_as_a_document_not_imported_as_a_table(package, tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append([HEADING])
    wb.active.append(["序号", "服务项目", "服务对象", "服务内容和标准", "支出责任", "牵头负责单位"])  # a services-like header
    for n, item in enumerate(ITEMS, 1):
        wb.active.append([n, *item])
    wb.save(tmp_path / "清单.xlsx")
    done = upload_annex(package.root, tmp_path / "inbox", tmp_path / "清单.xlsx")
    result = inbox.run(package.descriptor, tmp_path / "inbox")
    assert [r.upload for r in result["registered"]] == [done["upload"]] and not result["refused"]
    assert (package.root / "sources" / f"{done['document']}.xlsx").read_bytes() == (tmp_path / "清单.xlsx").read_bytes()
