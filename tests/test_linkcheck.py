"""The link check: the built site has no broken internal link or anchor; a deliberately broken copy is caught, in Chinese."""
import os
import shutil
import subprocess
import sys

import pytest

from scripts.site import linkcheck
from scripts.paths import ROOT


def _copy_or_link(src, dst):
    """Pages are copied (the tests edit them); every other file is a link to the shared site, which stays untouched."""
    if src.endswith(".html"):
        return shutil.copy2(src, dst)
    os.symlink(os.path.abspath(src), dst)
    return dst


@pytest.fixture
def broken_site(site_dir, tmp_path):
    """A copy of the built site to break one way at a time (pages copied, other files linked: the site is 15 MB)."""
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy, copy_function=_copy_or_link)
    return copy


def add_link(site, page, html):
    path = site / page
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("</body>", html + "</body>", 1), encoding="utf-8")


def test_the_built_site_has_no_broken_internal_link_or_anchor(site_dir):
    assert [b.text() for b in linkcheck.problems(site_dir)] == []


def test_the_command_line_passes_on_the_built_site(site_dir):
    run = subprocess.run([sys.executable, "-m", "scripts.site.linkcheck", str(site_dir)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    assert "链接检查通过" in run.stdout


def test_a_link_to_a_missing_page_is_reported(broken_site):
    add_link(broken_site, "index.html", '<a href="services/S999/">x</a>')
    found = linkcheck.problems(broken_site)
    assert [b.page for b in found] == ["index.html"]
    assert "services/S999/index.html 不存在" in found[0].text()


def test_a_deleted_page_breaks_the_links_to_it(broken_site):
    shutil.rmtree(broken_site / "tasks")
    found = linkcheck.problems(broken_site)
    assert found and all("tasks/index.html 不存在" in b.text() for b in found)


def test_a_missing_anchor_is_reported(broken_site):
    add_link(broken_site, "index.html", '<a href="plan/#no-such-heading">x</a><a href="#nowhere">y</a>')
    texts = [b.text() for b in linkcheck.problems(broken_site)]
    assert any("#no-such-heading" in t and "plan/index.html 中不存在" in t for t in texts)
    assert any("#nowhere" in t and "index.html 中不存在" in t for t in texts)


def test_a_missing_stylesheet_or_script_is_reported(broken_site):
    add_link(broken_site, "about/index.html", '<img src="../assets/missing.png" alt=""><script src="/javascripts/none.js"></script>')
    texts = [b.text() for b in linkcheck.problems(broken_site)]
    assert any("assets/missing.png 不存在" in t for t in texts)
    assert any("javascripts/none.js 不存在" in t for t in texts)


def test_javascript_links_and_links_out_of_the_site_are_reported(broken_site):
    add_link(broken_site, "index.html", '<a href="javascript:alert(1)">x</a><a href="../../../etc/passwd">y</a>')
    texts = [b.text() for b in linkcheck.problems(broken_site)]
    assert any("javascript:" in t for t in texts)
    assert any("网站目录以外" in t for t in texts)


def test_external_links_are_not_followed(broken_site):
    add_link(broken_site, "index.html", '<a href="https://example.invalid/x#y">x</a><a href="mailto:a@b.c">m</a>')
    assert linkcheck.problems(broken_site) == []


def test_the_command_line_exits_1_in_chinese_on_a_broken_site(broken_site):
    add_link(broken_site, "index.html", '<a href="services/S999/">x</a>')
    run = subprocess.run([sys.executable, "-m", "scripts.site.linkcheck", str(broken_site)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1
    assert "链接检查发现 1 个问题" in run.stdout and "index.html" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


@pytest.mark.slow  # a full build of its own (use_directory_urls=False)
def test_the_preview_built_for_opening_from_disk_has_no_broken_link(tmp_path):
    """make preview: the pull request's preview artifact, opened from file://, where folders do not serve index.html."""
    from scripts.build import build
    site = build(workdir=tmp_path / "preview", use_directory_urls=False)
    assert (site / "services" / "index.html").is_file() and not (site / "about" / "index.html").exists()
    assert [b.text() for b in linkcheck.problems(site)] == []


def test_links_from_the_root_start_at_the_path_of_the_sites_address(tmp_path):
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "index.html").write_text("<p id=x>x</p>", encoding="utf-8")
    (tmp_path / "404.html").write_text('<a href="/siping/about/#x">a</a>', encoding="utf-8")
    assert linkcheck.problems(tmp_path, root="/siping/") == []
    assert [b.link for b in linkcheck.problems(tmp_path, root="/")] == ["/siping/about/#x"]
    (tmp_path / "404.html").write_text('<a href="/other/about/">a</a>', encoding="utf-8")
    assert [b.message for b in linkcheck.problems(tmp_path, root="/siping/")] == ["指向的文件 other/about/ 不存在：本站的地址在 /siping/ 之下。"]
