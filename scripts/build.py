"""The pipeline, in one process, for any package: `make build`, the tests and the benchmark all run this.

    datapackage/ → validate → read once → publish (download files) → render (pages, Excel templates, search words)
                 → mkdocs build --strict → search index check → pre-compressed copies (.gz) → site/

Each step is one package of scripts/: validate, publish, site, office (the Excel templates). The package is checked
once and parsed once (scripts.package.load); every later step gets the loaded tables. The build stops at the first
step that fails, with that step's message in Chinese; nothing is written to the site folder before mkdocs runs.
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from . import cache, validate
from .office import xlsx_templates
from .package import load
from .paths import BUILD, BUILD_DOCS, DESCRIPTOR, MKDOCS_YML, RELEASES, ROOT, SITE
from .publish import export, metadata
from .site import compress, downloads, landing, render, search_cut, search_index, search_vocabulary, search_words


class BuildError(SystemExit):
    """A step failed; its message (Chinese) says which and why. Exits 1 from the command line."""

    def __init__(self, message: str):
        print(message, file=sys.stderr)
        super().__init__(1)
        self.message = message


def commit_time(repo: Path = ROOT) -> str:
    """Seconds since the epoch of the checked-out commit ("0" outside git): the only date the build itself may use."""
    try:
        run = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=repo, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "0"
    return run.stdout.strip() if run.returncode == 0 and run.stdout.strip().isdigit() else "0"


def check(descriptor: Path) -> None:
    """Step 1: validate. A package with any problem is not built."""
    found = validate.problems(descriptor)
    if found:
        said = "\n\n".join(p.text() for p in found[:20]) + (f"\n\n……另有 {len(found) - 20} 个问题" if len(found) > 20 else "")
        raise BuildError(f"数据检查发现 {len(found)} 个问题，网站没有生成。运行 make validate 查看全部。\n\n{said}")


def write_docs(data: dict, docs: Path, releases: Path = RELEASES) -> int:
    """Steps 2–3: download files, pages, Excel templates and the search's word list into `docs`; return the page count."""
    published = export.releases(data, releases)
    count = render.render(data, docs, published)  # starts `docs` afresh from docs/
    export.export(data, published, docs)
    downloads.write(data, published, docs)
    landing.write(data, published, docs)  # data/v<version>/index.md and data/latest/index.md beside the files
    xlsx_templates.write_templates(data, docs)
    search_words.write(data, docs)
    return count


def build(descriptor: Path = DESCRIPTOR, workdir: Path | None = None, strict: bool = True, releases: Path = RELEASES,
          config_file: Path = MKDOCS_YML, validate_first: bool = True, require_site_url: bool = False, **config) -> Path:
    """Build the site for `descriptor`: into build/docs and site/, or under `workdir` (docs/, site/); the Excel files of
    tables that did not change since the last build into the same place come from build/cache/ (or `workdir`/cache/).
    Returns the site folder.
    validate_first=False is for tests that feed the later steps data the validator would stop (hostile text).
    require_site_url=True (the deploy build) stops before anything is written when the site's address is not set."""
    descriptor = Path(descriptor)
    docs, site, kept = ((BUILD_DOCS, SITE, BUILD / "cache") if workdir is None else
                        (Path(workdir).resolve() / "docs", Path(workdir).resolve() / "site", Path(workdir).resolve() / "cache"))
    os.environ.setdefault("SOURCE_DATE_EPOCH", commit_time())  # mkdocs dates pages and sitemap.xml.gz by it, not by the clock
    if validate_first:
        check(descriptor)
    if require_site_url and not metadata.site_url(Path(config_file)):
        raise BuildError(metadata.NO_SITE_URL)
    if not metadata.site_url(Path(config_file)):
        print("提示：没有设置网站地址（mkdocs.yml 的 site_url，取自环境变量 SITE_URL）。下载页、DCAT 目录、schema.org 和引用中的地址"
              "都是相对地址，引用没有访问路径；发布时请设置 SITE_URL。", file=sys.stderr)
    data = load(descriptor)
    with cache.using(kept):  # the Excel files of unchanged tables come from the last build (scripts/cache.py)
        write_docs(data, docs, releases)
    settings = load_config(config_file=str(config_file), docs_dir=str(docs), site_dir=str(site), strict=strict, **config)
    search = settings.plugins.get("material/search")
    if search and search.config.jieba_dict_user:  # mkdocs.yml names build/docs/'s word list; use this build's
        search.config.jieba_dict_user = str(docs / search_words.FILE)
    with search_cut.cutting_once():  # the theme's index, each run of Chinese cut once, not once per page
        mkdocs_build(settings)
    found = search_index.finish(site, search_vocabulary.page_words(data), search_vocabulary.query_words(data))
    if found:
        raise BuildError("搜索检查未通过：" + "\n".join(found))
    compress.write(site)  # last: the copies must match the final files (gzip_static on any static server)
    return site


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("descriptor", nargs="?", default=str(DESCRIPTOR), help="datapackage.json（默认：本项目的数据包）")
    parser.add_argument("--workdir", help="生成到这个文件夹下的 docs/ 和 site/（默认：build/docs 和 site/）")
    parser.add_argument("--file-urls", action="store_true", help="链接写成 …/index.html，从磁盘直接打开也能用（预览用）")
    parser.add_argument("--require-site-url", action="store_true", help="没有网站地址（SITE_URL）时失败（发布用）")
    args = parser.parse_args(argv)
    extra = {"use_directory_urls": False} if args.file_urls else {}
    site = build(Path(args.descriptor), Path(args.workdir) if args.workdir else None, require_site_url=args.require_site_url, **extra)
    print(f"网站已生成：{site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
