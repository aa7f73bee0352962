"""The whole pipeline for one package into one folder, for tests and benchmarks: render → export → mkdocs build.

`make build` runs the same steps as separate commands; this module runs them in-process on any package.
"""
import argparse
import importlib.util
import sys
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from . import render
from .paths import DESCRIPTOR, MKDOCS_YML


def build(descriptor: Path = DESCRIPTOR, workdir: Path = Path("build-tmp"), strict: bool = True) -> Path:
    """Build the site for `descriptor` under `workdir`; return the site folder."""
    workdir = Path(workdir).resolve()
    docs, site = workdir / "docs", workdir / "site"
    render.render(Path(descriptor), docs)
    if importlib.util.find_spec("scripts.export"):
        from . import export
        export.export(Path(descriptor), docs)
    config = load_config(config_file=str(MKDOCS_YML), docs_dir=str(docs), site_dir=str(site), strict=strict)
    mkdocs_build(config)
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
