"""What the checks say cannot be turned against the office: text from the data (cell values, file names) is shown as
typed in the bot's Markdown comment and the job summary (no link, image, HTML or @mention), and on stdout it can never
become a workflow command (::stop-commands::, a fake ::notice)."""
import re

import pytest
from openpyxl import load_workbook

from scripts.office import inbox
from scripts.office.xlsx_templates import write_templates
from scripts.package import load
from scripts.validate.problem import Problem, inert, markdown

HOSTILE = ["[x](http://evil.example)", "![i](http://evil.example/t.png)", "@someone", "<img src=x onerror=alert(1)>",
           "<a href='http://evil.example'>详见</a>", "::stop-commands::tok", "::notice title=通过::一切正常", "`code`", "**粗体**"]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_from_the_data_is_shown_as_typed(text):
    said = markdown(text)
    assert "](" not in said.replace("\\](", "") and "![" not in said
    assert "<" not in said and ">" not in said
    assert not re.search(r"(?<![\\\u200b])@[A-Za-z]", said)
    assert not re.search(r"(?<!\\)[`*]", said)
    assert re.sub(r"\\(.)", r"\1", said).replace("\u200b", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text


def test_a_cell_with_a_line_break_cannot_start_a_markdown_block_or_a_command():
    said = markdown("第一行\n# 标题\n::notice::假的")
    assert "\n" not in said and "<br>" in said and "::" not in said


@pytest.mark.parametrize("text", ["::stop-commands::tok", "::notice title=检查::通过", "::add-mask::x", "##[set-output name=a;]b",
                                  "前面\n::error::假的错误", "  ::warning::缩进"])
def test_no_line_of_stdout_from_the_data_is_a_workflow_command(text):
    for line in inert(text).splitlines():
        assert not line.lstrip().startswith(("::", "##["))
    assert "::" not in inert(text)
    assert inert(text).replace("\u200b", "") == text


def test_a_problem_keeps_its_data_inert_in_text_markdown_and_annotations():
    p = Problem("a::b.csv", 3, "名称（name）", "“x\n::stop-commands::tok”不在表中", "删去 [x](http://evil.example) @someone <img>")
    assert all(not line.startswith("::") for line in p.text().splitlines())
    annotation = p.github()
    assert annotation.count("\n") == 0 and annotation.startswith("::error file=datapackage/a%3A%3Ab.csv,line=3,title=")
    assert annotation.count("::") == 2  # the command's own two: data adds none
    item = p.markdown()
    assert item.startswith("- **") and "\n" not in item and "](" not in item.replace("\\](", "") and "<img>" not in item
    assert "@\u200bsomeone" in item


def test_the_inbox_prints_and_reports_hostile_cell_text_and_file_names_inertly(package, tmp_path, capsys):
    xlsx = next(p for p in write_templates(load(package.descriptor), tmp_path) if p.stem == "services")
    wb = load_workbook(xlsx)
    ws = wb.worksheets[0]
    ws.cell(1, ws.max_column + 1).value = "备注\n::stop-commands::tok\n::notice title=通过::[x](http://evil.example) @someone <img src=x>"
    box = tmp_path / "inbox"
    box.mkdir()
    wb.save(box / "services.xlsx")
    (box / "![i](http:evil.example) @someone.txt").write_bytes(b"x")
    report = tmp_path / "report.md"
    code = inbox.main(["--descriptor", str(package.descriptor), "--inbox", str(box), "--github", "--report", str(report)])
    out = capsys.readouterr().out
    assert code == 1
    commands = [line for line in out.splitlines() if line.lstrip().startswith(("::", "##["))]
    assert commands and all(re.match(r"::(error|warning) [^:]*::", line) for line in commands), commands
    assert "stop-commands::" not in out and "::notice" not in out
    text = report.read_text(encoding="utf-8")
    assert "[x](http" not in text and "![i](" not in text and "<img" not in text
    assert not re.search(r"(?<!\u200b)@someone", text.replace("@\u200b", ""))
    assert "@\u200bsomeone" in text
    assert "stop-commands" in text and "evil.example" in text  # the hostile text is there, shown, inert


def test_the_data_diff_in_the_job_summary_shows_hostile_cells_as_typed(package, tmp_path):
    import shutil
    from scripts.office import diff
    base = tmp_path / "base"
    shutil.copytree(package.root, base)
    package.set("services.csv", 2, "aliases", "![i](http://evil.example/t.png) [x](http://evil.example) @someone <img>")
    text = diff.report(diff.compare(base / "datapackage.json", package.descriptor))
    assert "![i](" not in text and "[x](" not in text and "<img>" not in text and "@\u200bsomeone" in text
