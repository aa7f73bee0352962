"""The inbox workflow, run as the workflow runs it: its own shell steps, in a temporary git repository with a pull request's
branch and an origin to push to. A clean workbook becomes the canonical CSV in a commit on the branch; a workbook with
problems gets every Chinese message in one round and no commit; a CSV saved by Excel is normalised and validates."""
import csv
import io
import json
import os
import shutil
import subprocess
import zipfile

import pytest
import yaml
from openpyxl import load_workbook

from scripts.office import import_xlsx, inbox, normalise
from scripts.office.xlsx_templates import write_templates
from scripts.package import load
from scripts.paths import DATAPACKAGE, INBOX, ROOT

WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "inbox.yml").read_text(encoding="utf-8"))
BRANCH = "office-update"


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


class Repo:
    """A copy of the project's scripts, data package and inbox as a git repository: main, a pull request's branch, an origin."""

    def __init__(self, tmp):
        self.tmp, self.work, self.origin = tmp, tmp / "work", tmp / "origin.git"
        shutil.copytree(ROOT / "scripts", self.work / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(DATAPACKAGE, self.work / "datapackage")
        shutil.copytree(INBOX, self.work / "inbox")
        (self.work / ".venv").symlink_to(ROOT / ".venv")
        (self.work / ".gitignore").write_text("/.venv\n/build/\n__pycache__/\n", encoding="utf-8")
        git(self.tmp, "init", "-q", "--bare", str(self.origin))
        git(self.work.parent, "init", "-q", "-b", "main", str(self.work))
        for key, value in (("user.name", "办公室"), ("user.email", "office@example.invalid"), ("commit.gpgsign", "false")):
            git(self.work, "config", key, value)
        git(self.work, "add", "-A")
        git(self.work, "commit", "-q", "-m", "main")
        git(self.work, "remote", "add", "origin", str(self.origin))
        git(self.work, "checkout", "-q", "-b", BRANCH)

    def upload(self, rel, data: bytes):
        """GitHub's “Add file → Upload files”: the file is committed to the pull request's branch."""
        (self.work / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.work / rel).write_bytes(data)
        git(self.work, "add", "-A")
        git(self.work, "commit", "-q", "-m", f"Add files via upload: {rel}")
        git(self.work, "push", "-q", "origin", BRANCH)
        return git(self.work, "rev-parse", "HEAD")

    def run_job(self, name, cwd, env):
        """Every `run` step of a job, in order, with the environment GitHub gives it (the install step is done: .venv exists)."""
        outputs, summary = self.tmp / f"{name}-output", self.tmp / f"{name}-summary.md"
        outputs.touch(), summary.touch()
        said = []
        for step in WORKFLOW["jobs"][name]["steps"]:
            if "run" not in step or step["run"].startswith("make install"):
                continue
            assert "${{" not in step["run"], "expressions go through env, never into the script"
            variables = {k: v for k, v in step.get("env", {}).items() if "${{" not in str(v)}
            run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, capture_output=True, text=True,
                                 env={**os.environ, **env, **variables, "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary)})
            said.append(run)
        values = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines() if "=" in line)
        return values, summary.read_text(encoding="utf-8"), said

    def pull_request(self):
        """The inbox job on the branch's head, then (when it changed something) the commit job on a fresh checkout."""
        head = git(self.work, "rev-parse", "HEAD")
        outputs, summary, said = self.run_job("inbox", self.work, {})
        committed = None
        if outputs.get("changed") == "true":
            checkout = self.tmp / "checkout"
            git(self.tmp, "clone", "-q", "-b", BRANCH, str(self.origin), str(checkout))
            for key, value in (("user.name", "x"), ("user.email", "x@example.invalid")):
                git(checkout, "config", key, value)
            temp = self.tmp / "runner-temp" / "inbox"
            shutil.copytree(self.work / "build" / "inbox", temp)
            env = {"BRANCH": BRANCH, "HEAD_SHA": head, "PATCH": str(temp / "changes.patch")}
            out, _, ran = self.run_job("commit", checkout, env)
            assert all(r.returncode == 0 for r in ran), [(r.returncode, r.stdout, r.stderr) for r in ran]
            if out.get("pushed") == "true":
                committed = git(self.origin, "rev-parse", BRANCH)
        return {"outputs": outputs, "summary": summary, "stdout": "".join(r.stdout for r in said), "committed": committed,
                "inbox_ok": said[0].returncode == 0}

    def at_origin(self, rel) -> bytes | None:
        run = subprocess.run(["git", "show", f"{BRANCH}:{rel}"], cwd=self.origin, capture_output=True)
        return run.stdout if run.returncode == 0 else None


@pytest.fixture
def repo(tmp_path):
    return Repo(tmp_path)


def template(repo, name):
    """The downloadable template of a resource, as the site offers it."""
    return next(p for p in write_templates(load(repo.work / "datapackage" / "datapackage.json"), repo.tmp / "docs") if p.stem == name)


def fields(name):
    meta = json.loads((DATAPACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in meta["resources"] if r["name"] == name)["schema"]["fields"]


def column(name, field):
    return [f["name"] for f in fields(name)].index(field) + 1


def csv_with(raw: bytes, row: int, field: str, value: str) -> bytes:
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    rows[row - 1][rows[0].index(field)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_clean_workbook_in_the_inbox_becomes_the_canonical_csv_committed_to_the_branch(repo):
    before = (DATAPACKAGE / "services.csv").read_bytes()
    xlsx = template(repo, "services")
    wb = load_workbook(xlsx)
    ws = wb.worksheets[0]
    ws.cell(3, column("services", "aliases")).value = "托儿所；幼儿园"
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=ws.max_row)]
    for r, values in enumerate(reversed(body), start=2):  # the clerk sorted the sheet the other way round
        for c, v in enumerate(values, start=1):
            ws.cell(r, c).value = v
    wb.save(repo.tmp / "服务项目.xlsx")
    repo.upload("inbox/服务项目.xlsx", (repo.tmp / "服务项目.xlsx").read_bytes())
    done = repo.pull_request()
    assert done["committed"], done["stdout"]
    assert repo.at_origin("datapackage/services.csv") == csv_with(before, 3, "aliases", "托儿所；幼儿园")
    assert repo.at_origin("inbox/服务项目.xlsx") is None and repo.at_origin("inbox/README.md") is not None
    assert "inbox/服务项目.xlsx → services.csv：已导入" in done["summary"] and "通过：没有发现问题。" in done["summary"]
    assert (repo.tmp / "work" / "build" / "inbox" / "report.md").read_text(encoding="utf-8") == done["summary"].rstrip("\n") + "\n"
    message = git(repo.origin, "log", "-1", "--format=%an %B", BRANCH)
    assert message.startswith("github-actions[bot] 收件箱：导入工作簿") and "D\tinbox/服务项目.xlsx" in message


def test_a_workbook_with_a_title_row_full_width_digits_a_percent_cell_a_formula_and_an_empty_row_gets_every_message_and_no_commit(repo):
    xlsx = template(repo, "targets")
    wb = load_workbook(xlsx)
    ws = wb.worksheets[0]
    value = column("targets", "value")
    letter = ws.cell(1, value).column_letter
    ws.cell(2, value).value = "９９"
    ws.cell(3, value).value = 0.995
    ws.cell(3, value).number_format = "0.0%"
    ws.cell(4, value).value = "=98+1"
    ws.insert_rows(5)  # an empty row between the data
    ws.insert_rows(1)
    ws.cell(1, 1).value = "四平市指标和目标（报送稿）"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(fields("targets")))
    wb.save(repo.tmp / "targets.xlsx")
    repo.upload("inbox/targets.xlsx", (repo.tmp / "targets.xlsx").read_bytes())
    before = git(repo.origin, "rev-parse", BRANCH)
    done = repo.pull_request()
    where = "targets.xlsx（工作表“指标和目标”）"
    said = done["summary"]
    last = ws.cell(2, len(fields("targets"))).column_letter
    for message in (f"{where}，第 1 行**：表头有合并单元格（A1:{last}1）",
                    f"{where}，第 2 行**：表头占了两行：第 2 行才是列名。",
                    f"{where}，第 3 行，「{letter}」列**：“数值”列的“９９”用了全角数字或符号。",
                    f"{where}，第 4 行，「{letter}」列**：单元格是百分比格式：99.5% 存成了 0.995。<br>怎么改：请把单元格格式改为“常规”后填 99.5。",
                    f"{where}，第 5 行，「{letter}」列**：单元格是公式（=98+1），文件里没有它的计算结果。",
                    f"{where}，第 6 行**：这是一个空行，导入时跳过了。"):
        assert message in said, message
    assert "inbox/targets.xlsx → targets.csv：**没有导入**" in said
    assert done["outputs"].get("changed") != "true" and not done["committed"] and not done["inbox_ok"]
    assert git(repo.origin, "rev-parse", BRANCH) == before
    assert "::error title=targets.xlsx（工作表“指标和目标”）" in done["stdout"]


def test_an_excel_csv_utf8_file_with_crlf_and_chinese_titles_is_normalised_committed_and_validates(repo):
    before = (DATAPACKAGE / "tasks.csv").read_bytes()
    titles = {f["name"]: f["title"] for f in fields("tasks")}
    rows = list(csv.reader(io.StringIO(before.decode("utf-8"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[titles[n] for n in rows[0]]] + rows[1:])
    repo.upload("datapackage/tasks.csv", b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    done = repo.pull_request()
    assert done["committed"] and done["inbox_ok"], done["stdout"]
    assert repo.at_origin("datapackage/tasks.csv") == before
    assert "tasks.csv：去掉了开头的 BOM；换行统一为 LF；表头改为字段名。" in done["summary"]
    assert "通过：没有发现问题。" in done["summary"]


def test_a_gbk_csv_from_excel_is_normalised_too(repo):
    before = (DATAPACKAGE / "tasks.csv").read_bytes()
    repo.upload("datapackage/tasks.csv", before.decode("utf-8").replace("\n", "\r\n").encode("gb18030"))
    done = repo.pull_request()
    assert repo.at_origin("datapackage/tasks.csv") == before
    assert "tasks.csv：从 GBK 编码转为 UTF-8；换行统一为 LF。" in done["summary"]


def test_nothing_to_do_gives_no_commit_and_no_comment(repo):
    repo.upload("datapackage/README-not-data.txt", b"x")
    done = repo.pull_request()
    assert done["outputs"] == {} and not done["committed"] and done["inbox_ok"]


def with_cached_result(path, formula, value):
    """Give a formula the result Excel stores with it (openpyxl writes formulas without one)."""
    data = {}
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            data[n] = z.read(n)
    sheet = "xl/worksheets/sheet1.xml"
    empty = next(f"<f>{formula}</f>{v}".encode() for v in ("<v />", "<v/>", "<v></v>") if f"<f>{formula}</f>{v}".encode() in data[sheet])
    data[sheet] = data[sheet].replace(empty, f"<f>{formula}</f><v>{value}</v>".encode())  # openpyxl writes <v /> or <v></v>
    with zipfile.ZipFile(path, "w") as z:
        for n, b in data.items():
            z.writestr(n, b)


def test_a_formula_whose_result_was_imported_is_a_warning_not_an_error(package, tmp_path):
    xlsx = next(p for p in write_templates(load(package.descriptor), tmp_path) if p.stem == "targets")
    wb = load_workbook(xlsx)
    value = column("targets", "value")
    kept = wb.worksheets[0].cell(2, value).value
    wb.worksheets[0].cell(2, value).value = f"={kept}*1"
    wb.save(xlsx)
    with_cached_result(xlsx, f"{kept}*1", kept)
    meta = json.loads(package.descriptor.read_text(encoding="utf-8"))
    result = import_xlsx.import_sheet(xlsx, import_xlsx.resource_named(meta, "targets"), package.descriptor)
    assert not result.problems
    assert [p.text() for p in result.notes] == [
        f"targets.xlsx（工作表“指标和目标”），第 2 行，「{wb.worksheets[0].cell(1, value).column_letter}」列：单元格是公式（={kept}*1），导入的是它的计算结果“{kept}”。"
        f"\n    怎么改：{import_xlsx.FIX_FORMULA}"]


def test_validation_after_an_import_names_the_workbook_row_the_clerk_has_open(package, tmp_path):
    xlsx = next(p for p in write_templates(load(package.descriptor), tmp_path) if p.stem == "targets")
    wb = load_workbook(xlsx)
    ws = wb.worksheets[0]
    last = ws.max_row
    ids = [ws.cell(r, 1).value for r in range(2, last + 1)]
    ws.cell(last, column("targets", "value")).value = "99%"
    ws.insert_rows(3)  # an empty row: the workbook's rows below it are one further down than the CSV's
    wb.save(xlsx)
    meta = json.loads(package.descriptor.read_text(encoding="utf-8"))
    result = import_xlsx.import_sheet(xlsx, import_xlsx.resource_named(meta, "targets"), package.descriptor)
    from scripts import validate
    found = import_xlsx.in_workbook(validate.problems(package.descriptor), [result])
    letter = ws.cell(1, column("targets", "value")).column_letter
    assert [p.where() for p in found] == [f"targets.xlsx（工作表“指标和目标”），第 {last + 1} 行，「{letter}（数值）」列"], ids
    assert "“99%”数字里带了单位" in found[0].message


def test_the_resource_is_found_from_the_file_name_the_sheet_name_or_the_header(package, tmp_path):
    meta = json.loads(package.descriptor.read_text(encoding="utf-8"))
    xlsx = next(p for p in write_templates(load(package.descriptor), tmp_path) if p.stem == "services")
    for name in ("services (1).xlsx", "基本公共服务项目-修改.xlsx", "新建 Microsoft Excel 工作表.xlsx"):
        shutil.copy(xlsx, tmp_path / name)
        assert inbox.which_resource(tmp_path / name, meta)[0]["name"] == "services", name
    wb = load_workbook(xlsx)
    wb.worksheets[0].title = "Sheet1"
    wb.save(tmp_path / "工作簿1.xlsx")
    assert inbox.which_resource(tmp_path / "工作簿1.xlsx", meta)[0]["name"] == "services"
    (tmp_path / "x.xlsx").write_bytes(b"not a workbook")
    resource, problem = inbox.which_resource(tmp_path / "x.xlsx", meta)
    assert resource is None and "无法作为 Excel 工作簿打开" in problem.message


def test_a_csv_with_a_broken_row_is_left_alone_for_the_validator_to_explain(package):
    path = package.root / "tasks.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] += ",多出的一格"
    path.write_bytes(("\r\n".join(lines)).encode("utf-8"))
    before = path.read_bytes()
    said = normalise.normalise_package(package.descriptor)
    assert ("tasks.csv", ["有的行单元格数与表头不同，未改动"], False) in said
    assert path.read_bytes() == before
