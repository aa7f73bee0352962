"""Publish after a merge to main: check the package, freeze every data version not frozen yet into releases/, and
commit the new folders (and push them with --push REMOTE). `make publish` runs this, then builds the site.

Exit 1, with the reason in Chinese, when the package has problems or a frozen version's data were changed; nothing is
committed then, and the workflow deploys nothing.
"""
import argparse
import sys
from pathlib import Path

from .. import validate
from ..paths import DESCRIPTOR, RELEASES, ROOT
from .freeze import freeze, git
from .metadata import NO_SITE_URL, site_url

BOT = ["-c", "user.name=github-actions[bot]", "-c", "user.email=41898282+github-actions[bot]@users.noreply.github.com"]


def commit(repo: Path, releases: Path, versions: list[str]) -> bool:
    """Commit the new release folders; True when a commit was made."""
    git(repo, "add", "--", str(releases))
    if not git(repo, "status", "--porcelain", "--", str(releases)).strip():
        return False
    who = [] if git_config(repo, "user.email") else BOT
    message = f"发布数据版本 {'、'.join(versions)}：冻结下载文件到 releases/（合并后自动完成）"
    git(repo, *who, "commit", "--quiet", "-m", message, "--", str(releases))
    return True


def git_config(repo: Path, key: str) -> str:
    try:
        return git(repo, "config", key).strip()
    except RuntimeError:
        return ""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("descriptor", nargs="?", default=str(DESCRIPTOR))
    parser.add_argument("--releases", default=str(RELEASES))
    parser.add_argument("--repo", default=str(ROOT))
    parser.add_argument("--push", metavar="REMOTE", help="提交后推送到这个远程仓库的当前分支（CI 用 origin）")
    parser.add_argument("--require-site-url", action="store_true", help="没有网站地址（SITE_URL）时不冻结（新版本的引用要写明地址）")
    args = parser.parse_args(argv)
    repo, releases = Path(args.repo), Path(args.releases)
    if args.require_site_url and not site_url():
        print(NO_SITE_URL, file=sys.stderr)
        return 1
    found = validate.problems(Path(args.descriptor))
    if found:
        print(f"数据检查发现 {len(found)} 个问题，不发布：\n", file=sys.stderr)
        print("\n\n".join(p.text() for p in found), file=sys.stderr)
        return 1
    done, problems, warnings = freeze(Path(args.descriptor), releases, repo)
    for w in warnings:
        print(w, file=sys.stderr)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        return 1
    if not done:
        print("没有新的数据版本：releases/ 中已有所有版本。")
        return 0
    print(f"已冻结版本 {'、'.join(done)}。")
    if commit(repo, releases, done):
        print("已提交 releases/ 中新冻结的版本。")
        if args.push:
            branch = git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()
            git(repo, "push", args.push, f"HEAD:{branch}")
            print(f"已推送到 {args.push} {branch}。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
