"""Where a build's time goes: scripts.build.build under cProfile, for the real package or a synthetic one.

    python -m benchmarks.profile [datapackage.json] [--top 15]

Prints two Markdown tables: the time of each pipeline step (cumulative, the step's own function) and the functions
with the most own time, each labelled with the library it belongs to (this project, mkdocs, the theme, jieba,
Markdown, frictionless…). cProfile slows Python code down by roughly 1.5–3×, unevenly; read the shares, not the seconds.
"""
import argparse
import cProfile
import io
import logging
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.paths import DESCRIPTOR  # noqa: E402

STEPS = {  # (file suffix, function name) → label: the pipeline's steps as scripts/build.py calls them
    ("scripts/build.py", "check"): "校验 validate",
    ("scripts/package.py", "load"): "读取一次 package.load",
    ("scripts/publish/export.py", "releases"): "下载文件（生成本版本）export.releases",
    ("scripts/publish/export.py", "export"): "下载文件（写出）export.export",
    ("scripts/site/render.py", "render"): "页面 site.render",
    ("scripts/site/downloads.py", "write"): "下载页 site.downloads",
    ("scripts/office/xlsx_templates.py", "write_templates"): "Excel 模板",
    ("scripts/site/search_words.py", "write"): "搜索词表 search_words",
    ("mkdocs/commands/build.py", "build"): "mkdocs build（主题、Markdown、搜索索引）",
    ("scripts/site/search_index.py", "finish"): "搜索索引检查",
    ("scripts/site/compress.py", "write"): "压缩副本 .gz compress",
}
OWNERS = [("/scripts/", "本项目"), ("/material/", "主题 mkdocs-material"), ("/mkdocs/", "mkdocs"), ("/jieba/", "jieba"),
          ("/markdown/", "Markdown"), ("/pymdownx/", "pymdown-extensions"), ("/frictionless/", "frictionless"),
          ("/jinja2/", "Jinja2"), ("/openpyxl/", "openpyxl"), ("/csvkit/", "csvkit"), ("/agate", "agate"),
          ("/backrefs/", "backrefs（主题搜索的分词）"), ("/yaml/", "PyYAML"), ("/lxml", "lxml"), ("/babel/", "Babel")]


def owner(filename: str) -> str:
    if filename.startswith("<") or filename == "~":
        return "Python 内置"
    return next((name for part, name in OWNERS if part in filename), "Python 标准库及其他")


def profile(descriptor: Path) -> pstats.Stats:
    from scripts.build import build
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1")
    logging.disable(logging.WARNING)
    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory() as work:
        quiet, sys.stdout = sys.stdout, io.StringIO()
        try:
            profiler.runcall(build, descriptor, Path(work))
        finally:
            sys.stdout = quiet
    return pstats.Stats(profiler)


def tables(stats: pstats.Stats, top: int) -> str:
    total = max(ct for (_, _, _), (_, _, _, ct, _) in stats.stats.items())
    lines = ["| 步骤 | 秒（含调用） | 占整次构建 |", "|---|---:|---:|"]
    for (file, _, func), (_, _, _, ct, _) in sorted(stats.stats.items(), key=lambda kv: -kv[1][3]):
        label = next((v for (suffix, name), v in STEPS.items() if file.endswith(suffix) and func == name), None)
        if label:
            lines.append(f"| {label} | {ct:.2f} | {ct / total:.0%} |")
    by_owner = {}
    for (file, _, _), (_, _, tt, _, _) in stats.stats.items():
        by_owner[owner(file)] = by_owner.get(owner(file), 0) + tt
    lines += ["", "| 代码属于 | 自身耗时（秒） | 占比 |", "|---|---:|---:|"]
    lines += [f"| {k} | {v:.2f} | {v / total:.0%} |" for k, v in sorted(by_owner.items(), key=lambda kv: -kv[1]) if v / total >= 0.005]
    lines += ["", f"| 自身耗时最多的 {top} 个函数 | 属于 | 秒 |", "|---|---|---:|"]
    for (file, line, func), (_, _, tt, _, _) in sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]:
        where = Path(file).name if not file.startswith("<") else file
        lines.append(f"| `{func}` ({where}:{line}) | {owner(file)} | {tt:.2f} |")
    return "\n".join(lines) + f"\n\n整次构建在 cProfile 下共 {total:.2f} 秒。\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("descriptor", nargs="?", default=str(DESCRIPTOR))
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    print(tables(profile(Path(args.descriptor)), args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
