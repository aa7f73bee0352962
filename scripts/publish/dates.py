"""When each release was first published: the `changes` table + git in → version → date (YYYY-MM-DD).

`changes.date` is the date of the approving document (or of the revision); `changes.published` is the day the release's
files first went out. A row without `published` (a new version, before anyone can know the day) takes the day git first
committed releases/v<version>/ (the publish run's commit), and a version not frozen yet takes the checked-out commit's
day: the day `make publish` freezes it. Nothing here reads the clock.
"""
import datetime
import os
import subprocess
from pathlib import Path

from ..paths import RELEASES, ROOT


def _git(*args: str, repo: Path = ROOT) -> str:
    try:
        run = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return ""
    return run.stdout.strip() if run.returncode == 0 else ""


def frozen_on(version: str, releases: Path = RELEASES) -> str:
    """The day git first committed releases/v<version>/ ("" outside git or when it is not committed)."""
    try:
        rel = (Path(releases) / f"v{version}").resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return ""
    days = _git("log", "--diff-filter=A", "--format=%cs", "--", rel).split()
    return days[-1] if days else ""


def today_of_commit() -> str:
    """The checked-out commit's day (SOURCE_DATE_EPOCH when the build set it)."""
    stamp = os.environ.get("SOURCE_DATE_EPOCH") or _git("log", "-1", "--format=%ct") or "0"
    return datetime.datetime.fromtimestamp(int(stamp), datetime.timezone.utc).date().isoformat()


def published(changes: list[dict], releases: Path = RELEASES) -> dict[str, str]:
    """version → the day its files were first published, for every `changes` row."""
    out = {}
    for r in changes:
        v = r["version"]
        out[v] = str(r.get("published") or "") or frozen_on(v, releases) or today_of_commit()
    return out


def first_commit() -> str:
    """The project's first commit's day ("" outside git): no release can be older."""
    days = _git("log", "--reverse", "--format=%cs", "--max-parents=0").split()
    return days[0] if days else ""
