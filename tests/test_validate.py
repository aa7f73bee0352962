"""The validator: the real package passes; each broken copy gives its Chinese message, exit 1 and no traceback."""
import json
import subprocess
import sys

import pytest

from scripts import validate
from scripts.paths import DESCRIPTOR, ROOT

from broken_packages import CASES, cells, register_fiction


def test_the_real_package_has_no_problems():
    assert [p.text() for p in validate.problems(DESCRIPTOR)] == []


def test_an_unmodified_copy_has_no_problems(package):
    assert validate.problems(package.descriptor) == []


@pytest.mark.parametrize("name,breaks,file,row,text", CASES, ids=[c[0] for c in CASES])
def test_each_broken_package_is_reported_in_chinese(package, name, breaks, file, row, text):
    """problems() is what the command line prints (it exits 1 when the list is not empty); called directly, a crash
    fails the test instead of being turned into the command line's catch-all message."""
    breaks(package)
    found = validate.problems(package.descriptor)
    assert found and all(p.text() and p.github() for p in found)
    hits = [p for p in found if p.file == file and text in p.text() and (row is None or p.row == row)]
    assert hits, f"expected {file} row {row} «{text}», got:\n" + "\n".join(p.text() for p in found)


def test_every_problem_names_a_fix(package):
    package.set("targets.csv", 2, "value", "99%")
    package.set("tasks.csv", 3, "title", "")
    assert all(p.fix for p in validate.problems(package.descriptor))


def test_all_problems_are_reported_not_only_the_first(package):
    package.set("targets.csv", 2, "value", "99%")
    package.set("targets.csv", 3, "comparator", ">")
    package.set("tasks.csv", 3, "title", "")
    assert len(validate.problems(package.descriptor)) >= 3


def test_the_command_line_exits_1_without_a_traceback_on_a_gbk_file(package):
    path = package.root / "services.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    run = subprocess.run([sys.executable, "-m", "scripts.validate", str(package.descriptor)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert "services.csv" in run.stdout and "UTF-8" in run.stdout


def test_the_command_line_exits_0_on_the_real_package():
    run = subprocess.run([sys.executable, "-m", "scripts.validate"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    assert "通过" in run.stdout


def test_a_service_without_everyday_words_is_a_note_with_proposed_words_not_a_problem(package, capsys):
    from broken_packages import service_without_words
    service_without_words(package)
    header, row = package.rows("services.csv")[:2]
    first, name = row[header.index("id")], row[header.index("name")]
    assert not [p for p in validate.problems(package.descriptor) if "常用说法" in p.message and first in p.message]
    validate.main([str(package.descriptor), "--github"])
    out = capsys.readouterr().out
    assert f"服务 {first}（{name}）还没有任何常用说法" in out and "不影响发布" in out and f"例如：{name}" in out
    assert "::warning" in out and f"::error title=vocabulary.csv" not in out


def test_github_annotations_name_the_file_and_line(package, capsys):
    package.set("targets.csv", 3, "value", "99%")
    validate.main([str(package.descriptor), "--github"])
    out = capsys.readouterr().out
    assert "::error file=datapackage/targets.csv,line=3," in out


def test_a_renamed_department_can_be_recorded_from_a_registered_later_document(package):
    """A department renamed by a later (here: fictional) document is recorded with that document as the field's source."""
    register_fiction(package)
    cells("services.csv", 2, {"lead_department": "虚构市测试服务局", "lead_department_status": "其他文件载明",
                              "lead_department_quote": "虚构市测试服务局负责测试服务", "lead_department_source": "fiction-reorg"})(package)
    assert [p.text() for p in validate.problems(package.descriptor)] == []


def test_a_quote_from_a_registered_document_is_not_found_in_another_document(package):
    register_fiction(package)
    package.set("tasks.csv", 2, "title", "虚构市测试服务局负责测试服务")  # the row's own source is the plan
    said = [p.message for p in validate.problems(package.descriptor) if p.file == "tasks.csv" and p.row == 2 and "在原文中找不到" in p.message]
    assert said and "查找的是文件 plan" in said[0] and "这段文字在文件 fiction-reorg" in said[0] and "出处文件填 fiction-reorg" in said[0]


def test_the_list_status_is_accepted_once_the_list_is_registered_as_published(package):
    """Whether or not the list is published yet: its text (the one registered, or a new file) gains a fictional line."""
    listed = json.loads(package.descriptor.read_text(encoding="utf-8"))["serviceList"]["document"]
    rows = package.rows("documents.csv")
    i = [r[0] for r in rows].index(listed) + 1
    text_path = package.get("documents.csv", i, "text_path") or f"sources/{listed}.txt"
    text = package.root / text_path
    text.write_text((text.read_text(encoding="utf-8") if text.is_file() else "") + "【测试用虚构清单】学前教育 服务对象：虚构的测试儿童\n", encoding="utf-8")
    package.set("documents.csv", i, "status", "全文公开")
    package.set("documents.csv", i, "text_path", text_path)
    cells("services.csv", 2, {"target_population": "虚构的测试儿童", "target_population_status": "清单载明",
                              "target_population_quote": "服务对象：虚构的测试儿童"})(package)
    assert [p.text() for p in validate.problems(package.descriptor)] == []


def test_a_full_width_id_is_said_to_be_full_width_with_its_half_width_form(package):
    rows = package.rows("targets.csv")
    half = rows[1][0]
    full = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in half)
    package.set("targets.csv", 2, "id", full)
    said = [p for p in validate.problems(package.descriptor) if p.file == "targets.csv" and p.row == 2]
    assert any("全角" in p.message and f"半角写法是“{half}”" in p.message for p in said), [p.text() for p in said]


def test_foreign_keys_checked_on_the_rows_as_read_give_exactly_frictionless_s_problems(package, monkeypatch):
    """scripts/validate/keys.py takes over the one-column links from Frictionless (for speed): the same problems, in the
    same order, as when Frictionless checks every key, for a dangling code, a full-width code, a self-reference and a
    row with another problem before its foreign key."""
    from scripts.validate import keys
    package.set("tasks.csv", 2, "domain_id", "nope")
    package.set("tasks.csv", 3, "domain_id", "ｅｄｕ")
    package.set("tasks.csv", 3, "id", "bad id")
    package.set("documents.csv", 2, "parent_id", "zzz")
    package.set("targets.csv", 2, "task_id", "T99")
    ours = [p.text() for p in validate.problems(package.descriptor)]
    monkeypatch.setattr(keys, "split", lambda resource, found, good: ([], found))
    assert [p.text() for p in validate.problems(package.descriptor)] == ours
    assert sum("中没有这个编号" in p for p in ours) >= 3 and any("全角" in p for p in ours)
