"""Freeze every version of the data that main has carried: git history + data package in → releases/v<version>/.

A frozen folder is committed to git and never changes; the build serves its bytes at data/v<version>/ forever. Nobody
runs this by hand: `make publish`, which CI runs after each merge to main, calls it and commits what it wrote.

Which versions: the package's own (current) version, and every other version that datapackage.json carried in a
first-parent commit of the checked-out branch but that releases/ does not hold yet (a merge whose publish run failed
or never ran). Such a version is frozen from the last commit that carried it, with today's export code. A frozen
version is never rewritten: if the package's data differ from it, the run refuses and says to raise the version.
"""
import json
import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from ..package import load, version_key
from ..paths import DESCRIPTOR, RELEASES, ROOT
from .export import FROZEN_CHANGED, before, build_release, changed, frozen, write


def git(repo: Path, *args: str, binary: bool = False):
    run = subprocess.run(["git", *args], cwd=repo, capture_output=True, timeout=120)
    if run.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}：{run.stderr.decode('utf-8', 'replace').strip()}")
    return run.stdout if binary else run.stdout.decode("utf-8")


def history(repo: Path, descriptor: Path) -> dict[str, str]:
    """version → the newest first-parent commit that changed the package while its datapackage.json carried that
    version ({} outside git)."""
    try:
        rel = descriptor.resolve().relative_to(Path(repo).resolve()).as_posix()
        folder = descriptor.resolve().parent.relative_to(Path(repo).resolve()).as_posix()
        commits = git(repo, "log", "--first-parent", "--format=%H", "--", folder).split()  # any change to the package
    except (RuntimeError, ValueError, OSError, subprocess.SubprocessError):
        return {}
    found = {}
    for commit in commits:  # newest first
        try:
            version = json.loads(git(repo, "show", f"{commit}:{rel}")).get("version")
        except (RuntimeError, ValueError, AttributeError):
            continue
        if isinstance(version, str) and version not in found:
            found[version] = commit
    return found


def package_at(repo: Path, commit: str, descriptor: Path, into: Path) -> Path:
    """The data package folder as it was at `commit`, unpacked under `into`; returns its datapackage.json."""
    folder = descriptor.resolve().parent.relative_to(Path(repo).resolve()).as_posix()
    archive = git(repo, "archive", "--format=tar", commit, folder, binary=True)
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / folder / descriptor.name


def freeze(descriptor: Path = DESCRIPTOR, releases: Path = RELEASES, repo: Path = ROOT) -> tuple[list[str], list[str], list[str]]:
    """Freeze what is not frozen yet. Returns (versions written, problems that must stop the publication, warnings),
    the last two in Chinese."""
    descriptor, releases = Path(descriptor), Path(releases)
    done, problems, warnings = [], [], []
    data = load(descriptor)
    version = data["meta"]["version"]
    files = build_release(data, before(version, frozen(releases)))
    old = frozen(releases).get(version)
    if old is None:
        write(releases / f"v{version}", files)
        done.append(version)
    elif diff := changed(old, files):
        problems.append(f"版本 {version} 已经发布，数据包的内容与它不同（{'、'.join(diff)}）。{FROZEN_CHANGED}。")
    have = set(frozen(releases))
    for v, commit in sorted(history(repo, descriptor).items(), key=lambda kv: version_key(kv[0])):
        if v in have:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            try:
                files = build_release(load(package_at(repo, commit, descriptor, Path(tmp))), before(v, frozen(releases)))
            except Exception as e:  # an old package this code cannot read: say so, keep going
                warnings.append(f"警告：版本 {v}（提交 {commit[:8]}）没有发布过，现在也无法补发：{type(e).__name__}：{e}")
                continue
        write(releases / f"v{v}", files)
        done.append(v)
    return sorted(done, key=version_key), problems, warnings
