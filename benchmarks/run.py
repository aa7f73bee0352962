"""What a build costs and how it grows: the real package and synthetic packages of 100, 1,000 and 10,000 services in,
one Markdown table out (printed, and written to BENCHMARKS.md with the machine, the versions, the date and the load).

Synthetic packages are written only under a temporary work folder (never into datapackage/ or site/) and deleted after
the run. They are marked as test data: the package title, description, a changes row and every free text (service
aliases, target indicators) start with 【合成测试数据】. Fields the validator checks against the source text (names,
quotes, sections) cannot carry the mark, so they are real passages of datapackage/sources/siping-plan-2017-110.txt:
service i takes real row i mod 82 for its fields, statuses and quotes, and a name cut from a sentence of the source.
Targets and milestones grow in proportion (79 and 19 per 82 services); domains, tasks, measures, documents, audiences
and changes are the real ones, so the validator's rules on counts still hold. Only the first copy of each target and
milestone keeps its task, so a task (there are 36) carries as many as it does today and a service page stays the size
it would have in a province's list, where the tasks grow with the list.

Each step runs in its own process, so its peak memory (ru_maxrss from wait4) is its own:
  validate  scripts.validate.problems (must find no problem);
  render    scripts.build.write_docs on the loaded package: download files, pages, Excel templates, search words;
  mkdocs    mkdocs build of the rendered pages, as scripts.build runs it;
  pipeline  scripts.build.build (validate, read once, download files, pages, mkdocs build, search check, .gz copies) in
            one process, into a fresh folder: nothing cached (as on CI or a fresh clone);
  again     the same build again into the same folder: the Excel files come from its cache (scripts/cache.py), as when
            a change leaves the tables as they were;
  floor     mkdocs build with the same mkdocs.yml of as many trivial pages at the same paths (so not_in_nav and the
            navigation apply the same way): the cost of the theme and the search alone.
Times are wall seconds, the median of --reps runs. Run: python -m benchmarks.run [--sizes 100,1000] [--quick]
The last section (benchmarks/pages.py) opens the real package's site in chromium and runs Lighthouse on three pages,
served with gzip and without compression; --no-pages skips it, `python -m benchmarks.pages` runs it alone.
"""
import argparse
import csv
import datetime
import gzip
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata as dist
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.paths import DATAPACKAGE, DOCS, MKDOCS_YML  # noqa: E402
from benchmarks import pages  # noqa: E402  the last section: a page view's bytes and Lighthouse, real package only

MARK = "【合成测试数据】"
SIZES = [100, 1000, 10000]
OUT = ROOT / "BENCHMARKS.md"
SOURCE = DATAPACKAGE / "sources" / "siping-plan-2017-110.txt"
VERSION = "99.0.0"  # not a frozen release, so the export builds the synthetic files instead of publishing releases/v1.0.0
PATTERNS = {"services": "S[0-9]{3,5}", "targets": "TG[0-9]{3,5}", "milestones": "MS[0-9]{2,5}"}
PACKAGES = ["mkdocs", "mkdocs-material", "Jinja2", "frictionless", "jieba", "Markdown"]


# ---------- synthetic packages ----------

def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def sentences(source: Path = SOURCE) -> list[str]:
    """Sentences of the source text (as the validator normalizes it) with a run of at least 6 Chinese characters."""
    from scripts.validate.corpus import normalize
    text = normalize(source.read_text(encoding="utf-8"))
    found = []
    for part in re.split(r"(?<=[。；])", text):
        part = part.strip()
        if 8 <= len(part) <= 300 and " " not in part and re.search(r"[\u4e00-\u9fff]{6,}", part):
            found.append(part)
    return found


def names(count: int, source: Path = SOURCE) -> list[tuple[str, str]]:
    """`count` (name, quote) pairs: a run of 4 to 8 Chinese characters cut from a real sentence, and that sentence."""
    pool = []
    for sentence in sentences(source):
        for run in re.findall(r"[\u4e00-\u9fff]{4,}", sentence):
            for start in range(0, len(run) - 3, 3):
                pool.append((run[start:start + 4 + start % 5], sentence))
    return [pool[i % len(pool)] for i in range(count)]


def synthesize(services: int, folder: Path, real: Path = DATAPACKAGE) -> Path:
    """A synthetic package of `services` services in `folder` (created); return its datapackage.json."""
    folder = Path(folder)
    shutil.copytree(real, folder)
    descriptor = json.loads((real / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["name"] = "synthetic-benchmark"
    descriptor["title"] = MARK + descriptor["title"]
    descriptor["description"] = MARK + "性能测试用的合成数据包，不发布。" + descriptor["description"]
    descriptor["version"] = VERSION
    for resource in descriptor["resources"]:
        if resource["name"] in PATTERNS:
            fields = {f["name"]: f for f in resource["schema"]["fields"]}
            fields["id"]["constraints"]["pattern"] = PATTERNS[resource["name"]]
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def grow(file: str, count: int, prefix: str, width: int, edit) -> None:
        rows = read_csv(real / file)
        header, body = rows[0], rows[1:]
        out = [header]
        for i in range(count):
            row = dict(zip(header, body[i % len(body)]))
            row["id"] = f"{prefix}{i + 1:0{width}d}"
            edit(i, row, i < len(body))
            out.append([row[h] for h in header])
        write_csv(folder / file, out)

    real_services = len(read_csv(real / "services.csv")) - 1
    ratio = lambda file: (len(read_csv(real / file)) - 1) / real_services
    pairs = names(services)

    def service(i, row, first):
        row["name"], row["name_quote"] = pairs[i]
        row["aliases"] = f"{MARK}第{i + 1}项"
        if not first:
            row["annex_item"] = ""

    def linked(field):
        def edit(i, row, first):
            if field:
                row[field] = MARK + row[field]
            if not first:  # a task keeps the targets and milestones it has today
                row["task_id"] = row["measure_id"] = ""
        return edit

    grow("services.csv", services, "S", 5, service)
    vocabulary_for(folder, real, services)
    grow("targets.csv", max(len(read_csv(real / "targets.csv")) - 1, round(services * ratio("targets.csv"))), "TG", 5, linked("indicator"))
    # every number and dated commitment of the text stays a target or milestone (the validator's coverage rules),
    # however few the services
    grow("milestones.csv", max(len(read_csv(real / "milestones.csv")) - 1, round(services * ratio("milestones.csv"))), "MS", 5, linked(None))
    if (real / "hotlines.csv").is_file():  # a hotline that names a service names one that exists here, or none
        rows = read_csv(real / "hotlines.csv")
        at = rows[0].index("service_id")
        ids = {f"S{i + 1:05d}" for i in range(services)}
        write_csv(folder / "hotlines.csv", [rows[0]] + [r[:at] + [r[at] if r[at] in ids else ""] + r[at + 1:] for r in rows[1:]])
    changes = read_csv(real / "changes.csv")
    date = max(r[changes[0].index("date")] for r in changes[1:])
    row = {"version": VERSION, "date": date, "document": MARK, "summary": MARK + "性能测试用的合成数据，不发布。"}
    write_csv(folder / "changes.csv", changes + [[row.get(name, "") for name in changes[0]]])
    return folder / "datapackage.json"


def floor_docs(docs: Path, out: Path) -> int:
    """Trivial pages at the same paths as `docs`' Markdown pages, with the hand-written static files; return the count."""
    shutil.copytree(DOCS, out, ignore=shutil.ignore_patterns("*.md"))
    (out / ".jieba_userdict.txt").write_text("", encoding="utf-8")
    pages = sorted(docs.rglob("*.md"))
    for i, page in enumerate(pages, 1):
        target = out / page.relative_to(docs)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# 第{i}页\n\n这是第{i}个页面。\n", encoding="utf-8")
    return len(pages)


# ---------- one step, in a child process ----------

PARTS = {  # where mkdocs build's time goes, timed around these calls (wall seconds, summed over the pages)
    "markdown": "Markdown 转换（Python-Markdown 和扩展）",
    "search": "搜索：拆分 HTML、jieba 分词（主题的搜索插件）",
    "template": "主题模板（导航、页眉页脚，写入 HTML）",
    "rest": "其余（读取文件、复制静态文件、站点地图、写出索引）",
}


def mkdocs(docs: Path, site: Path) -> dict:
    """mkdocs build as scripts.build runs it: mkdocs.yml with this docs folder, site folder and word list. Returns the
    seconds spent in each of PARTS: each page's Markdown conversion, the search plugin's work on it, the rest of building
    the page (the theme's template), and everything else."""
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.commands import build as commands
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page
    config = load_config(config_file=str(MKDOCS_YML), docs_dir=str(docs), site_dir=str(site), strict=True)
    search = config.plugins.get("material/search")
    if search and search.config.jieba_dict_user:
        search.config.jieba_dict_user = str(docs / ".jieba_userdict.txt")
    spent = dict.fromkeys(["markdown", "search", "page"], 0.0)

    def timed(owner, name, key):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - start
        setattr(owner, name, wrapper)
    timed(Page, "render", "markdown")
    timed(SearchIndex, "add_entry_from_context", "search")
    timed(commands, "_build_page", "page")
    from scripts.site.search_cut import cutting_once
    start = time.perf_counter()
    with cutting_once():
        commands.build(config)
    total = time.perf_counter() - start
    return {"markdown": spent["markdown"], "search": spent["search"], "template": spent["page"] - spent["search"],
            "rest": total - spent["markdown"] - spent["page"]}


def step(name: str, descriptor: Path, work: Path) -> dict:
    """Run one step; return what it reports (seconds, counts). Imports are part of the step's time."""
    import logging
    logging.disable(logging.WARNING)
    start = time.perf_counter()
    out = {}
    if name == "validate":
        from scripts.validate import problems
        found = problems(descriptor)
        if found:
            raise SystemExit(f"synthetic package has {len(found)} problems, first: {found[0].text()}")
    elif name == "render":
        from scripts.build import write_docs
        from scripts.package import load
        out["pages"] = write_docs(load(descriptor), work / "docs")
    elif name == "mkdocs":
        out["parts"] = mkdocs(work / "docs", work / "site")
    elif name == "floor":
        out["parts"] = mkdocs(work / "floor-docs", work / "floor-site")
    elif name in ("pipeline", "again"):
        from scripts.build import build
        with open(os.devnull, "w") as quiet:
            stdout, sys.stdout = sys.stdout, quiet
            try:
                build(descriptor, work / "pipeline")
            finally:
                sys.stdout = stdout
    else:
        raise SystemExit(f"unknown step {name}")
    out["seconds"] = time.perf_counter() - start
    return out


def run_step(name: str, descriptor: Path, work: Path) -> dict:
    """Run `step` in a child process; add its peak resident memory in MB."""
    result, log = work / f"{name}.json", work / f"{name}.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if "SOURCE_DATE_EPOCH" not in env:
        from scripts.build import commit_time
        env["SOURCE_DATE_EPOCH"] = commit_time()
    with open(log, "wb") as out:
        child = subprocess.Popen([sys.executable, "-m", "benchmarks.run", "--step", name, str(descriptor), str(result)],
                                 cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"step {name} failed ({child.returncode}); see {log}:\n{log.read_text(errors='replace')[-3000:]}")
    data = json.loads(result.read_text())
    data["mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    data["cpu"] = usage.ru_utime + usage.ru_stime  # the child's own CPU seconds: what other work on the machine changes least
    return data


# ---------- one size ----------

def sizes_of(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    return len(raw), len(gzip.compress(raw, 9, mtime=0))


def measure(label: str, descriptor: Path, work: Path, reps: int, floor: bool, again: bool = True) -> dict:
    """Every figure for one package: medians over `reps` runs."""
    steps = ["validate", "render", "mkdocs", "pipeline"] + (["again"] if again else [])
    runs = {s: [] for s in steps + (["floor"] if floor else [])}
    load = [os.getloadavg()[0]]
    pages = None
    for rep in range(reps):
        for s in steps:
            if s == "render":
                shutil.rmtree(work / "site", ignore_errors=True)
            if s == "pipeline":
                shutil.rmtree(work / "pipeline", ignore_errors=True)
            runs[s].append(run_step(s, descriptor, work))
        if floor:
            if rep == 0:
                pages = floor_docs(work / "docs", work / "floor-docs")
            shutil.rmtree(work / "floor-site", ignore_errors=True)
            runs["floor"].append(run_step("floor", descriptor, work))
        load.append(os.getloadavg()[0])
    from scripts.package import read_tables
    _, tables = read_tables(descriptor)
    site = work / "pipeline" / "site"
    first = tables["services"][0]["id"]
    index_file = site / "search" / ("pages.json" if (site / "search" / "pages.json").is_file() else "search_index.json")
    index = json.loads(index_file.read_bytes())
    result = {
        "label": label, "services": len(tables["services"]), "targets": len(tables["targets"]),
        "milestones": len(tables["milestones"]), "pages": pages or sum(1 for _ in (work / "docs").rglob("*.md")),
        "html": sum(1 for _ in site.rglob("*.html")), "records": len(index["docs"]),
        "index": sizes_of(index_file), "home": sizes_of(site / "index.html"),
        "domain": sizes_of(site / "domains" / "edu" / "index.html"), "service": sizes_of(site / "services" / first / "index.html"),
        "load": (min(load), max(load)), "reps": reps,
    }
    for s, values in runs.items():
        result[s] = statistics.median(v["seconds"] for v in values)
        result[s + "_mb"] = max(v["mb"] for v in values)
        result[s + "_cpu"] = statistics.median(v["cpu"] for v in values)
        if values and "parts" in values[0]:
            result[s + "_parts"] = {k: statistics.median(v["parts"][k] for v in values) for k in PARTS}
    return result


# ---------- the table ----------

def vocabulary_for(folder: Path, real: Path, services: int) -> None:
    """vocabulary.csv for the synthetic services: service i gets the everyday words of real service i mod n (so every
    service is covered and every reference resolves); the general rows and query words stay as they are."""
    rows = read_csv(real / "vocabulary.csv")
    header, body = rows[0], rows[1:]
    sid = header.index("service_id")
    real_ids = [r[0] for r in read_csv(real / "services.csv")[1:]]
    by_service = {}
    for r in body:
        by_service.setdefault(r[sid], []).append(r)
    out = [header]
    for i in range(services):
        for r in by_service.get(real_ids[i % len(real_ids)], []):
            out.append([*r[:sid], f"S{i + 1:05d}", *r[sid + 1:]])
    out += [r for r in body if not r[sid]]
    write_csv(folder / "vocabulary.csv", out)


def kb(n: int) -> str:
    return f"{n / 1024:,.1f}"


def table(results: list[dict]) -> str:
    cols = [r["label"] for r in results]
    rows = [
        ("服务 / 指标 / 时间节点", lambda r: f"{r['services']:,} / {r['targets']:,} / {r['milestones']:,}"),
        ("生成的 Markdown 页面 / HTML 页面", lambda r: f"{r['pages']:,} / {r['html']:,}"),
        ("校验 validate（秒）", lambda r: f"{r['validate']:.2f}"),
        ("读取一次 + 下载文件、页面、模板、搜索词表 render（秒）", lambda r: f"{r['render']:.2f}"),
        ("mkdocs build（秒）", lambda r: f"{r['mkdocs']:.2f}"),
        ("整条流程 scripts.build（秒）", lambda r: f"{r['pipeline']:.2f}"),
        ("再次生成，数据未变（Excel 取自缓存，秒）", lambda r: f"{r['again']:.2f}" if "again" in r else "—"),
    ]
    if all("floor" in r for r in results):
        rows += [("下限：同样页数的空白页面 mkdocs build（秒）", lambda r: f"{r['floor']:.2f}"),
                 ("整条流程 ÷ 下限", lambda r: f"{r['pipeline'] / r['floor']:.2f}×"),
                 ("CPU 时间（秒）：整条流程 / 再次生成 / 下限",
                  lambda r: f"{r['pipeline_cpu']:.1f} / {r['again_cpu']:.1f} / {r['floor_cpu']:.1f}" if "again_cpu" in r
                  else f"{r['pipeline_cpu']:.1f} / — / {r['floor_cpu']:.1f}"),
                 ("整条流程 ÷ 下限（CPU 时间，负载高时更可比）", lambda r: f"{r['pipeline_cpu'] / r['floor_cpu']:.2f}×")]
    rows += [
        ("峰值内存 validate / render / mkdocs / 整条流程（MB）",
         lambda r: f"{r['validate_mb']:.0f} / {r['render_mb']:.0f} / {r['mkdocs_mb']:.0f} / {r['pipeline_mb']:.0f}"),
        ("搜索索引（KB，原始 / gzip）", lambda r: f"{kb(r['index'][0])} / {kb(r['index'][1])}"),
        ("搜索索引 gzip 每项服务（KB） / 每条索引记录（字节）",
         lambda r: f"{kb(r['index'][1] / r['services'])} / {r['index'][1] / r['records']:.0f}"),
        ("首页（KB，原始 / gzip）", lambda r: f"{kb(r['home'][0])} / {kb(r['home'][1])}"),
        ("领域页 edu（KB，原始 / gzip）", lambda r: f"{kb(r['domain'][0])} / {kb(r['domain'][1])}"),
        ("服务页（KB，原始 / gzip）", lambda r: f"{kb(r['service'][0])} / {kb(r['service'][1])}"),
        ("运行时 1 分钟平均负载（最低–最高）", lambda r: f"{r['load'][0]:.2f}–{r['load'][1]:.2f}"),
    ]
    lines = ["| | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    lines += ["| " + name + " | " + " | ".join(f(r) for r in results) + " |" for name, f in rows]
    by = {r["services"]: r for r in results}
    if 1000 in by and 10000 in by:
        a, b = by[1000], by[10000]
        lines.append(f"\n10,000 项 ÷ 1,000 项：整条流程 {b['pipeline'] / a['pipeline']:.1f}×，render {b['render'] / a['render']:.1f}×，"
                     f"mkdocs build {b['mkdocs'] / a['mkdocs']:.1f}×，validate {b['validate'] / a['validate']:.1f}×"
                     + (f"，下限 {b['floor'] / a['floor']:.1f}×" if "floor" in a and "floor" in b else "") + "。")
    return "\n".join(lines)


def targets(results: list[dict]) -> list[str]:
    """The targets of the build's cost (see the module docstring), each with its figure and whether it holds."""
    by = {r["services"]: r for r in results}
    real = next((r for r in results if r["label"] == "真实数据包"), None)
    out = []
    mark = lambda ok: "达到" if ok else "未达到"
    if real:
        out.append(f"真实数据包 validate + build ≤ 10 秒：{real['pipeline']:.1f} 秒，{mark(real['pipeline'] <= 10)}"
                   + (f"（运行时负载 {real['load'][0]:.2f}–{real['load'][1]:.2f}；构建本身的 CPU 时间 {real['pipeline_cpu']:.1f} 秒）"
                      if "pipeline_cpu" in real else ""))
    if 10000 in by and "floor" in by[10000]:
        r = by[10000]
        out.append(f"10,000 项整条流程 ≤ 2 × 下限：{r['pipeline']:.1f} 秒 ÷ {r['floor']:.1f} 秒 = {r['pipeline'] / r['floor']:.2f}×，"
                   f"{mark(r['pipeline'] <= 2 * r['floor'])}（其中 mkdocs build 一步就是下限的 {r['mkdocs'] / r['floor']:.2f}×"
                   + (f"；数据未变、再次生成时 {r['again'] / r['floor']:.2f}×" if "again" in r else "")
                   + (f"；按 CPU 时间 {r['pipeline_cpu'] / r['floor_cpu']:.2f}×" if "pipeline_cpu" in r else "") + "）")
    if 1000 in by and 10000 in by:
        g = by[10000]["pipeline"] / by[1000]["pipeline"]
        if "pipeline_cpu" in by[1000]:  # wall seconds of runs at different loads do not divide well
            c = by[10000]["pipeline_cpu"] / by[1000]["pipeline_cpu"]
            out.append(f"线性增长 10,000 项 ÷ 1,000 项 ≤ 12×：按 CPU 时间 {c:.1f}×（墙钟 {g:.1f}×），{mark(max(c, g) <= 12)}")
        else:
            out.append(f"线性增长 10,000 项 ÷ 1,000 项 ≤ 12×：{g:.1f}×，{mark(g <= 12)}")
    if results:
        worst = max(r["service"][1] for r in results)
        out.append(f"服务页 gzip ≤ 60 KB（不含搜索索引）：最大 {kb(worst)} KB，{mark(worst <= 60 * 1024)}")
        synthetic = sorted((r for r in results if r is not real), key=lambda r: r["services"])
        if len(synthetic) >= 2:  # the cost of one more record, without the fixed part (plan text, hand-written pages)
            a, b = synthetic[-2], synthetic[-1]
            per = (b["index"][1] - a["index"][1]) / (b["services"] - a["services"])
            avg = b["index"][1] / b["services"]
            out.append(f"搜索索引 gzip 每项服务 ≤ 1 KB：{a['services']:,} → {b['services']:,} 项时每多一项服务增加 {kb(per)} KB，"
                       f"{b['services']:,} 项时平均 {kb(avg)} KB，{mark(max(per, avg) <= 1024)}"
                       + (f"（真实数据包 {real['services']} 项时平均 {kb(real['index'][1] / real['services'])} KB，多是方案原文等固定页面）" if real else ""))
    return out


def parts(results: list[dict]) -> str:
    """mkdocs build per page, split into PARTS, for the rendered pages and for the floor's blank pages; then what the
    largest package's figures say about the ≤ 2× target."""
    measured = [r for r in results if "mkdocs_parts" in r and "floor_parts" in r]
    if not measured:
        return ""
    ms = lambda r, step, key: 1000 * r[step + "_parts"][key] / r["pages"]
    lines = ["| 每个页面（毫秒） | " + " | ".join(f"{r['label']}：内容页 / 空白页" for r in measured) + " |",
             "|---|" + "---:|" * len(measured)]
    for key, title in PARTS.items():
        lines.append(f"| {title} | " + " | ".join(f"{ms(r, 'mkdocs', key):.1f} / {ms(r, 'floor', key):.1f}" for r in measured) + " |")
    lines.append("| 合计 | " + " | ".join(f"{1000 * r['mkdocs'] / r['pages']:.1f} / {1000 * r['floor'] / r['pages']:.1f}"
                                          for r in measured) + " |")
    r = max(measured, key=lambda r: r["services"])
    extra = {k: ms(r, "mkdocs", k) - ms(r, "floor", k) for k in PARTS}
    cpu = all(k in r for k in ("pipeline_cpu", "mkdocs_cpu", "floor_cpu"))  # steps run at other loads: compare CPU time
    own = (r["pipeline_cpu"] - r["mkdocs_cpu"]) if cpu else r["pipeline"] - r["mkdocs"]
    alone = (r["mkdocs_cpu"] / r["floor_cpu"]) if cpu else r["mkdocs"] / r["floor"]
    verdict = (f"即使这些步骤耗时为零，整条流程也是下限的 {alone:.2f}×（只剩 mkdocs build{'，按 CPU 时间' if cpu else ''}），达不到 2×。" if alone > 2 else
               f"这些步骤省下 {max(0.0, r['pipeline'] - 2 * r['floor']):.1f} 秒，整条流程就在下限的 2× 以内。")
    text = "\n".join(lines) + f"""

{r['label']}：同样的主题、同样的页数，内容页比空白页每页多用 {1000 * (r['mkdocs'] - r['floor']) / r['pages']:.1f} 毫秒，
其中 Markdown 转换多 {extra['markdown']:.1f} 毫秒，搜索插件（用 Python 的 HTMLParser 拆分每页 HTML，再用 jieba 分词；
同一段中文每次构建只切一次，见 scripts/site/search_cut.py）多 {extra['search']:.1f} 毫秒，主题模板和其余合计相差
{extra['template'] + extra['rest']:.1f} 毫秒。空白页没有文字可转换、可拆分。本项目自己的步骤（校验、读取、下载文件、页面、Excel 模板、
搜索词表、.gz 副本）在 mkdocs build 之外，{r['label']}时共 {own:.1f} {"CPU " if cpu else ""}秒。{verdict}
"""
    return ("\n## mkdocs build 的时间花在哪里（每个页面）\n\n墙钟毫秒（在 mkdocs 的各个函数外计时）：负载高时整体偏大，看各项的占比。\n\n"
            + text)


def versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {dist.version(name)}")
        except dist.PackageNotFoundError:
            pass
    return "，".join(found)


def once(results: list[dict]) -> str:
    """A warning for a table made of single runs: on a shared machine one run of a step can differ noticeably from the next."""
    if results and results[0]["reps"] == 1:
        return "\n  只运行了一次（`--reps 1`），没有中位数：同一台机器上其他任务的负载会使单次的秒数和倍数有明显出入，比较时请用 `--reps 3`。"
    return ""


def report(results: list[dict], started: str, load: tuple) -> str:
    return f"""# 生成网站的耗时和规模（性能测试）

由 `make bench`（`python -m benchmarks.run`）生成，请勿手工修改。合成数据包只在临时目录中生成，用后删除，不发布；
其标题、说明和可自由填写的文字都以“{MARK}”开头，名称和原文摘录是方案原文中的真实片段（校验要求如此）。

- 机器：{os.cpu_count()} 个 CPU 核心，{platform.machine()}，{platform.system()} {platform.release()}
- Python {platform.python_version()}；{versions()}
- 日期：{started}；开始和结束时的 1 分钟平均负载：{load[0]:.2f} / {load[1]:.2f}（同一台机器上可能有其他任务在运行）
- 每个步骤在单独的进程中运行（峰值内存是该进程自己的）；时间是 {results[0]['reps']} 次运行的中位数（秒，含导入模块）。{once(results)}
- “整条流程”= scripts.build（校验、读取一次、下载文件、页面、mkdocs build、搜索检查，一个进程）；“下限”= 同一份 mkdocs.yml、
  同样路径、同样页数的空白页面的 mkdocs build，即主题和搜索本身的耗时。
- 页面大小不含搜索索引；gzip 为 9 级压缩。

{table(results)}

## 目标

""" + "".join(f"- {line}\n" for line in targets(results)) + parts(results)


KEPT = re.compile(r"<!-- ([a-z-]+): begin -->.*?<!-- \1: end -->\n?", re.DOTALL)


def kept_sections(old: str, written: tuple = ("pages",)) -> str:
    """The sections of the old file written by hand or by another command, between `<!-- name: begin -->` and
    `<!-- name: end -->`, except those this run writes again: a new run keeps them as they are."""
    return "".join(m.group(0).rstrip("\n") + "\n\n" for m in KEPT.finditer(old) if m.group(1) not in written)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", help="服务项数，逗号分隔（默认 100,1000,10000；--quick 时 100,1000）")
    parser.add_argument("--quick", action="store_true", help="每项只运行一次，默认只测 100 和 1,000 项")
    parser.add_argument("--reps", type=int, help="每项运行几次取中位数（默认 3，--quick 时 1）")
    parser.add_argument("--no-real", action="store_true", help="不测真实数据包")
    parser.add_argument("--no-floor", action="store_true", help="不测空白页面的下限")
    parser.add_argument("--no-again", action="store_true", help="不测数据未变时的再次生成（Excel 取自缓存）")
    parser.add_argument("--no-pages", action="store_true", help="不测一次浏览的字节和 Lighthouse（benchmarks/pages.py）")
    parser.add_argument("--workdir", help="临时目录（默认在系统临时目录中新建，结束后删除）")
    parser.add_argument("--keep", action="store_true", help="结束后保留临时目录")
    parser.add_argument("--out", default=str(OUT), help="写入表格的文件（默认 BENCHMARKS.md）")
    parser.add_argument("--json", help="另把全部数字写入这个 JSON 文件")
    parser.add_argument("--step", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        name, descriptor, result = args.step[0], Path(args.step[1]), Path(args.step[2])
        Path(result).write_text(json.dumps(step(name, descriptor, Path(result).parent)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else ([100, 1000] if args.quick else SIZES)
    reps = args.reps or (1 if args.quick else 3)
    base = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="bench-"))
    base.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    start_load = os.getloadavg()[0]
    results, page_rows = [], None
    try:
        packages = ([("真实数据包", DATAPACKAGE / "datapackage.json", base / "real")] if not args.no_real else [])
        for n in sizes:
            packages.append((f"合成 {n:,} 项", None, base / f"s{n}"))
        for label, descriptor, work in packages:
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
            if descriptor is None:
                descriptor = synthesize(int(work.name[1:]), work / "datapackage")
            print(f"{label}：测量中（负载 {os.getloadavg()[0]:.2f}）…", file=sys.stderr, flush=True)
            results.append(measure(label, descriptor, work, reps, not args.no_floor, not args.no_again))
        if not args.no_real and not args.no_pages:  # the real package's site, served and opened in chromium
            print("一次浏览的字节和 Lighthouse：测量中…", file=sys.stderr, flush=True)
            page_rows = pages.measure(base / "real" / "pipeline" / "site")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    text = report(results, started, (start_load, os.getloadavg()[0]))
    if not args.no_real:  # where the real package's build time goes, by step and by library
        from benchmarks import profile
        text += ("\n## 时间花在哪里（真实数据包，`python -m benchmarks.profile`）\n\n"
                 "cProfile 下运行一次 scripts.build；它使 Python 代码变慢约 1.5–3 倍，看占比，不看秒数。"
                 "“Python 内置”多是 jieba 载入词典（marshal.load）和各库里的字符串、正则操作。\n\n"
                 + profile.tables(profile.profile(DATAPACKAGE / "datapackage.json"), 10))
    old = Path(args.out).read_text(encoding="utf-8") if Path(args.out).is_file() else ""
    kept = kept_sections(old, ("pages",) if page_rows else ())
    if kept:
        text += "\n" + kept.rstrip("\n") + "\n"
    if page_rows:
        text += "\n" + pages.section(page_rows)
    print(table(results) + "\n\n" + "\n".join(targets(results)))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"\n已写入 {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
