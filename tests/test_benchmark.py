"""The build benchmark (python -m benchmarks.run) still runs: its smallest size, once, with a tiny floor build. No timing
is asserted; only that the table comes out with its rows and that nothing lands outside the work folder."""
import json
import subprocess
import sys

import pytest

from benchmarks import run
from scripts.paths import DATAPACKAGE, ROOT
from scripts.validate import problems


def test_a_synthetic_package_is_marked_as_test_data_and_validates(tmp_path):
    descriptor = run.synthesize(20, tmp_path / "datapackage")
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    assert meta["title"].startswith(run.MARK) and meta["description"].startswith(run.MARK)
    services = run.read_csv(tmp_path / "datapackage" / "services.csv")
    aliases = services[0].index("aliases")
    assert len(services) == 21 and all(row[aliases].startswith(run.MARK) for row in services[1:])
    indicators = [row[2] for row in run.read_csv(tmp_path / "datapackage" / "targets.csv")[1:]]
    assert indicators and all(i.startswith(run.MARK) for i in indicators)
    assert problems(descriptor) == []


@pytest.mark.slow  # three builds in a subprocess
def test_the_benchmark_runs_at_its_smallest_size_and_writes_its_table(tmp_path):
    before = sorted(p.name for p in DATAPACKAGE.iterdir())
    out = tmp_path / "BENCHMARKS.md"
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--sizes", "20", "--reps", "1", "--no-real",
                           "--workdir", str(tmp_path / "work"), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for row in ["合成 20 项", "校验 validate（秒）", "mkdocs build（秒）", "整条流程 scripts.build（秒）", "整条流程 ÷ 下限",
                "峰值内存", "搜索索引（KB，原始 / gzip）", "服务页（KB，原始 / gzip）", "CPU 核心",
                "mkdocs build 的时间花在哪里", *run.PARTS.values()]:
        assert row in text, row
    rows = lambda file: len(run.read_csv(DATAPACKAGE / file)) - 1
    # the synthetic package keeps the real ratios, and never fewer targets and milestones than the text has
    scaled = lambda file: max(rows(file), round(20 * rows(file) / rows("services.csv")))
    assert f"| 服务 / 指标 / 时间节点 | 20 / {scaled('targets.csv')} / {scaled('milestones.csv')} |" in done.stdout
    assert not (tmp_path / "work").exists()  # the synthetic package and its site are deleted after the run
    assert sorted(p.name for p in DATAPACKAGE.iterdir()) == before
