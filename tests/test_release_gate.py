"""The release gate, asserted on the workflow files: the site is deployed only from main, and only after every check passed;
and main holds the frozen release of the data version it carries."""
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from scripts.paths import DESCRIPTOR, RELEASES, ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
CHECKS = {"validate": "scripts.validate", "test": "pytest", "build": "mkdocs", "linkcheck": "scripts.site.linkcheck"}


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def deploys(job: dict) -> bool:
    return any("deploy-pages" in str(step.get("uses", "")) or "gh-pages" in str(step.get("run", "")) for step in job.get("steps", []))


def text_of(job: dict) -> str:
    return "\n".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in job.get("steps", []))


def needs(job: dict) -> list[str]:
    value = job.get("needs", [])
    return [value] if isinstance(value, str) else list(value)


def runs_make(jobs: dict, target: str) -> bool:
    return any(f"make {target}" in text_of(j) for j in jobs.values())


@pytest.fixture(scope="module")
def workflows():
    if not WORKFLOWS:
        pytest.skip("no workflow file in .github/workflows/ yet: the deploy gate cannot be checked")
    return {p.name: load(p) for p in WORKFLOWS}


@pytest.fixture(scope="module")
def deploy_jobs(workflows):
    found = [(name, job_name, job, wf["jobs"]) for name, wf in workflows.items() for job_name, job in wf.get("jobs", {}).items() if deploys(job)]
    assert found, "no workflow job deploys the site (actions/deploy-pages)"
    return found


def test_every_check_runs_in_some_job(workflows):
    jobs = {k: j for wf in workflows.values() for k, j in wf.get("jobs", {}).items()}
    for check, command in CHECKS.items():
        assert any(command in text_of(j) for j in jobs.values()) or runs_make(jobs, check), f"no job runs the {check} check"


def test_the_deploy_job_needs_every_validate_test_and_build_job(deploy_jobs):
    for _, name, job, jobs in deploy_jobs:
        checks = {k for k, j in jobs.items() if k != name and not deploys(j)}
        assert checks, "the deploy job's workflow has no check jobs"
        assert set(needs(job)) >= checks, f"{name} needs {needs(job)} but the workflow's checks are {sorted(checks)}"
        for check in CHECKS:
            if check != "linkcheck":
                assert any(check in k or CHECKS[check] in text_of(jobs[k]) or f"make {check}" in text_of(jobs[k]) for k in needs(job)), \
                    f"{name} does not wait for a job that runs {check}"


def test_the_deploy_job_runs_only_for_a_push_to_main(deploy_jobs):
    for _, name, job, _ in deploy_jobs:
        condition = str(job.get("if", "")).replace(" ", "")
        assert "github.ref=='refs/heads/main'" in condition, f"{name} may run on any branch: if: {job.get('if')}"
        assert "github.event_name=='push'" in condition, f"{name} may run for pull requests or manual runs: if: {job.get('if')}"
        assert "||" not in condition, f"{name}'s condition has an alternative that may bypass the gate: {job.get('if')}"


def test_nothing_lets_the_deploy_job_run_after_a_failed_check(deploy_jobs):
    for _, name, job, jobs in deploy_jobs:
        condition = str(job.get("if", ""))
        assert not any(f in condition for f in ("always()", "failure()", "cancelled()")), f"{name} runs even when a check failed"
        for k in needs(job):
            assert not jobs[k].get("continue-on-error"), f"job {k} may fail without stopping the deploy"
            assert not any(step.get("continue-on-error") for step in jobs[k].get("steps", [])), f"a step of {k} may fail silently"


def test_the_deploy_job_publishes_the_site_the_checked_build_made(deploy_jobs):
    for _, name, job, jobs in deploy_jobs:
        downloaded = [s.get("with", {}).get("name") for s in job.get("steps", []) if "download-artifact" in str(s.get("uses", ""))]
        uploaded = {s.get("with", {}).get("name") for k in needs(job) for s in jobs[k].get("steps", []) if "upload-artifact" in str(s.get("uses", ""))}
        assert downloaded and set(downloaded) <= uploaded, f"{name} does not deploy the artifact built by the jobs it waits for"
        assert "mkdocs" not in text_of(job) and "make build" not in text_of(job), f"{name} rebuilds the site instead of deploying the checked one"


SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name==github.repository"


def test_only_the_deploy_job_may_write_pages_and_only_a_gated_publish_job_the_repository(workflows):
    for wf in workflows.values():
        assert wf.get("permissions") in ({}, None, "read-all") or "write" not in str(wf.get("permissions")), "workflow-wide write permission"
        for name, job in wf.get("jobs", {}).items():
            perms = job.get("permissions", {})
            if deploys(job) or "write" not in str(perms):
                continue
            if set(wf["on"]) == {"pull_request"}:
                # A pull request's own branch, never main: one kind of write per job, and only for a branch of this
                # repository (a fork's pull request gets messages, not a token that writes), directly or through the job it needs.
                assert len(perms) == 1 and list(perms.values()) == ["write"], f"job {name} can write {perms}"
                assert "pages" not in perms and "id-token" not in perms, f"job {name} can write {perms}"
                gates = [str(job.get("if", ""))] + [str(wf["jobs"][k].get("if", "")) for k in needs(job)]
                assert any(SAME_REPOSITORY in g.replace(" ", "") for g in gates), f"{name} writes for a fork's pull request"
                assert "||" not in str(job.get("if", "")), f"{name}'s condition has an alternative that may bypass the gate"
                continue
            assert {k: v for k, v in perms.items() if v != "read"} == {"contents": "write"}, f"job {name} can write {perms}"
            condition = str(job.get("if", "")).replace(" ", "")
            assert "github.ref=='refs/heads/main'" in condition and "github.event_name=='push'" in condition, f"{name} writes outside main"
            checks = {k for k, j in wf["jobs"].items() if k != name and not deploys(j)}
            assert set(needs(job)) >= checks, f"{name} writes before every check passed"


# --- main holds what it publishes --------------------------------------------------------------------------------------

def git(*args: str) -> str | None:
    run = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return run.stdout.strip() if run.returncode == 0 else None


def at_mains_tip() -> bool:
    """HEAD is main's newest commit (local main, else origin/main): a fresh clone of main, `.ci/run`, a developer on main."""
    head = git("rev-parse", "HEAD")
    tips = [git("rev-parse", "--verify", "--quiet", ref) for ref in ("refs/heads/main", "refs/remotes/origin/main")]
    return bool(head) and head == next((t for t in tips if t), None)


def test_main_holds_the_frozen_release_of_the_data_version_it_carries():
    """Once main carries a data version, its frozen release is on main too (the publish job commits it right after the
    merge). Checked on main as committed: a fresh clone of main (`.ci/run`) or a developer's main. Not in GitHub Actions,
    where every run happens before that freeze: a pull request's merge commit, the inbox's re-check of its branch and the
    push to main whose publish job freezes the version after this test; not on a data branch either, whose new version
    is frozen only after the merge. So a data pull request stays green, and a main that skipped its freeze fails."""
    if os.environ.get("GITHUB_EVENT_NAME") or os.environ.get("GITHUB_BASE_REF"):
        pytest.skip("GitHub Actions: the publish job freezes the version after the checks")
    if not at_mains_tip():
        pytest.skip("not main's newest commit: a branch's new version is frozen after its merge")
    version = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))["version"]
    frozen = RELEASES / f"v{version}"
    assert frozen.is_dir(), (f"main carries data version {version}, but releases/v{version}/ is missing: run "
                             "`make publish` (it freezes the version and commits it) and push, as the publish job does after a merge")
    said = json.loads((frozen / "datapackage.json").read_text(encoding="utf-8"))
    assert said.get("version") == version
    from scripts.office.guard import rows_of
    meta = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    for resource in meta["resources"]:
        path = frozen / Path(resource["path"]).name
        assert path.is_file(), f"releases/v{version}/ has no {path.name}"
        assert rows_of(path.read_bytes(), resource) == rows_of((DESCRIPTOR.parent / resource["path"]).read_bytes(), resource), \
            f"{resource['path']} differs from its frozen release v{version}: the data changed without a new version"


def test_the_frozen_release_test_applies_to_a_fresh_clone_of_main_and_not_to_a_pull_request(monkeypatch):
    """The conditions above, as the three places name them: .ci/run (no GITHUB_* variables), a pull request, a push."""
    import inspect
    source = inspect.getsource(test_main_holds_the_frozen_release_of_the_data_version_it_carries)
    assert 'os.environ.get("GITHUB_EVENT_NAME")' in source and "at_mains_tip()" in source
    for name in ("GITHUB_EVENT_NAME", "GITHUB_BASE_REF"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    with pytest.raises(pytest.skip.Exception):
        test_main_holds_the_frozen_release_of_the_data_version_it_carries()
