"""The whole pipeline for one package into one folder, for tests and benchmarks: render → export → mkdocs build.

`make build` runs the same steps as separate commands; this module runs them in-process on any package.
"""
import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from . import check_search, render, search_dict
from .paths import DESCRIPTOR, MKDOCS_YML, ROOT


def commit_time(repo: Path = ROOT) -> str:
    """Seconds since the epoch of the checked-out commit ("0" outside git): the only date the build itself may use."""
    try:
        run = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=repo, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "0"
    return run.stdout.strip() if run.returncode == 0 and run.stdout.strip().isdigit() else "0"


def build(descriptor: Path = DESCRIPTOR, workdir: Path = Path("build-tmp"), strict: bool = True) -> Path:
    """Build the site for `descriptor` under `workdir`; return the site folder."""
    workdir = Path(workdir).resolve()
    os.environ.setdefault("SOURCE_DATE_EPOCH", commit_time())  # mkdocs dates pages and sitemap.xml.gz by it, not by the clock
    docs, site = workdir / "docs", workdir / "site"
    render.render(Path(descriptor), docs)
    if importlib.util.find_spec("scripts.export"):
        from . import export
        export.export(Path(descriptor), docs)
    config = load_config(config_file=str(MKDOCS_YML), docs_dir=str(docs), site_dir=str(site), strict=strict)
    search = config.plugins.get("material/search")
    if search and search.config.jieba_dict_user:  # mkdocs.yml names build/docs/'s word list; use this build's
        search.config.jieba_dict_user = str(docs / search_dict.FILE)
    mkdocs_build(config)
    if check_search.main([str(site)]):  # compact index; stop when Chinese search would find nothing
        raise SystemExit("搜索检查未通过，见上文。")
    return site


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("descriptor", nargs="?", default=str(DESCRIPTOR))
    parser.add_argument("--workdir", default="build-tmp")
    args = parser.parse_args(argv)
    print(build(Path(args.descriptor), Path(args.workdir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
