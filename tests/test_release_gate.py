"""The release gate, asserted on the workflow files: the site is deployed only from main, and only after every check passed."""
from pathlib import Path

import pytest
import yaml

from scripts.paths import ROOT

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
