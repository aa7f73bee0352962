"""The data diff: a simulated pull request gives the expected Chinese text; a data change without a version bump and a changes row is caught."""
import shutil
import subprocess

import pytest

from conftest import Package
from scripts.office import diff

BASE_VERSION, NEW_VERSION = "4.2.0", "4.3.0"  # fictional versions, set on both copies: the tests never read today's


def expected(pr) -> str:
    return f"""## 数据变化（与 main 比较）

版本：{BASE_VERSION}（未改变）

### 基本公共服务项目（services.csv）：新增 1 项，删除 1 项，修改 1 项

- 新增 {pr.added}（测试新增项目）
- 删除 {pr.removed}（{pr.removed_name}）
- 修改 {pr.changed}（{pr.old_name}测试）
  - 服务名称：“{pr.old_name}” → “{pr.old_name}测试”
  - 常用叫法：“{pr.old_aliases}” → （空）
"""


class PullRequest(tuple):
    pass


@pytest.fixture
def pull_request(package, tmp_path):
    """(base package, changed package): one service added, one removed, one changed; what was done is on the result."""
    package.edit_descriptor(lambda d: d.update(version=BASE_VERSION))
    shutil.copytree(package.root, tmp_path / "changed")
    new = Package(tmp_path / "changed")
    rows = new.rows("services.csv")
    header = rows[0]
    ids = [r[0] for r in rows[1:]]
    first, last = rows[1], rows[-1]
    assert first[header.index("aliases")], "the first service needs an alias for this test; pick another row"
    pr = PullRequest((package, new))
    pr.removed, pr.removed_name = last[0], last[header.index("name")]
    pr.added = "S" + str(max(int(i[1:]) for i in ids) + 1).zfill(len(last[0]) - 1)
    pr.changed, pr.old_name, pr.old_aliases = first[0], first[header.index("name")], first[header.index("aliases")]
    added = list(last)
    added[0], added[header.index("name")] = pr.added, "测试新增项目"
    new.write_rows("services.csv", rows[:-1] + [added])
    new.set("services.csv", 2, "name", pr.old_name + "测试")
    new.set("services.csv", 2, "aliases", "")
    return pr


def bump(new: Package):
    new.edit_descriptor(lambda d: d.update(version=NEW_VERSION))
    new.write_rows("changes.csv", new.rows("changes.csv") + [[NEW_VERSION, "2030-01-01", "测试文号", "测试说明"]])


def test_a_simulated_pull_request_gives_the_expected_diff_text(pull_request):
    base, new = pull_request
    assert diff.report(diff.compare(base.descriptor, new.descriptor), "main") == expected(pull_request)


def test_an_unchanged_package_says_nothing_changed(package):
    text = diff.report(diff.compare(package.descriptor, package.descriptor))
    assert "数据没有变化。" in text
    assert diff.version_problems(diff.compare(package.descriptor, package.descriptor)) == []


def test_a_data_change_without_a_version_bump_is_caught(pull_request, capsys):
    base, new = pull_request
    code = diff.main([str(base.root), "--descriptor", str(new.descriptor), "--check-version"])
    out = capsys.readouterr().out
    assert code == 1
    assert "数据有变化，但版本记录（changes.csv）没有新增一行。" in out
    assert f"版本号 {NEW_VERSION}（" in out and "不用手改" in out  # the version's one home is the changes row


def test_a_bump_without_a_changes_row_is_still_caught(pull_request, capsys):
    base, new = pull_request
    new.edit_descriptor(lambda d: d.update(version=NEW_VERSION))
    assert diff.main([str(base.root), "--descriptor", str(new.descriptor), "--check-version"]) == 1
    out = capsys.readouterr().out
    assert "版本号仍是" not in out and "版本记录（changes.csv）没有新增一行" in out


def test_a_changes_row_the_descriptor_does_not_carry_yet_is_caught_and_the_fix_is_automatic(pull_request, capsys):
    base, new = pull_request
    new.write_rows("changes.csv", new.rows("changes.csv") + [[NEW_VERSION, "2030-01-01", "测试文号", "测试说明"]])
    assert diff.main([str(base.root), "--descriptor", str(new.descriptor), "--check-version"]) == 1
    out = capsys.readouterr().out
    assert f"版本记录新增了 {NEW_VERSION}，但 datapackage.json 的版本号仍是 {BASE_VERSION}。" in out and "自动" in out
    from scripts.office.normalise import sync_version
    assert sync_version(new.descriptor) and diff.main([str(base.root), "--descriptor", str(new.descriptor), "--check-version"]) == 0


def test_a_changes_row_with_a_version_not_above_mains_is_caught(pull_request, capsys):
    base, new = pull_request
    new.write_rows("changes.csv", new.rows("changes.csv") + [["0.9.0", "2030-01-01", "测试文号", "测试说明"]])
    assert diff.main([str(base.root), "--descriptor", str(new.descriptor), "--check-version"]) == 1
    assert f"版本记录新增的版本号 0.9.0 不高于 main 上的 {BASE_VERSION}。" in capsys.readouterr().out


def test_with_a_bump_and_a_changes_row_the_check_passes_and_the_log_is_listed(pull_request, capsys, tmp_path):
    base, new = pull_request
    bump(new)
    summary = tmp_path / "summary.md"
    code = diff.main([str(base.root), "--descriptor", str(new.descriptor), "--check-version", "--summary", str(summary)])
    out = capsys.readouterr().out
    assert code == 0
    assert f"版本：{BASE_VERSION} → {NEW_VERSION}" in out
    assert f"### 版本记录（changes.csv）：新增 1 项\n\n- 新增 {NEW_VERSION}（测试说明）" in out
    assert "版本检查通过" in out
    assert summary.read_text(encoding="utf-8") == out


def test_a_new_empty_table_is_listed_but_needs_no_version_bump(package, tmp_path):
    shutil.copytree(package.root, tmp_path / "old")
    old = Package(tmp_path / "old")
    old.edit_descriptor(lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "observations"]))
    (old.root / "observations.csv").unlink()
    result = diff.compare(old.descriptor, package.descriptor)
    assert "### 进展监测（observations.csv）\n\n- 新增的数据表" in diff.report(result)
    assert diff.version_problems(result) == []


def test_a_changed_source_text_counts_as_a_data_change(pull_request):
    base, new = pull_request
    shutil.copy(base.root / "services.csv", new.root / "services.csv")
    added = next(f"test-{n}.txt" for n in range(100) if not (new.root / "sources" / f"test-{n}.txt").exists())
    (new.root / "sources" / added).write_text("测试", encoding="utf-8")
    result = diff.compare(base.descriptor, new.descriptor)
    assert f"- 新增 sources/{added}" in diff.report(result)
    assert len(diff.version_problems(result)) == 1


def test_the_base_can_be_a_git_revision(pull_request, tmp_path, capsys):
    base, new = pull_request
    repo = tmp_path / "repo"
    shutil.copytree(base.root, repo / "datapackage")
    git = lambda *a: subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *a], cwd=repo, check=True, capture_output=True)
    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    shutil.copy(new.root / "services.csv", repo / "datapackage" / "services.csv")
    assert diff.main(["main", "--descriptor", str(repo / "datapackage" / "datapackage.json")]) == 0
    assert capsys.readouterr().out.strip() == expected(pull_request).strip()


def test_an_unknown_base_is_said_in_chinese_without_a_traceback(package, capsys):
    code = diff.main(["no-such-branch", "--descriptor", str(package.descriptor)])
    out = capsys.readouterr().out
    assert code == 2 and "无法读取基准版本 no-such-branch" in out
