"""Any static host, including the office's own server: pre-compressed copies of every text file, a page view under
100 KB from a server that only reads those copies, the README's nginx block, and a reproducible archive (`make dist`)."""
import functools
import gzip
import hashlib
import io
import os
import re
import tarfile
import urllib.request

import pytest
import yaml

from benchmarks.pages import BUDGET, page_views, pages, serve
from scripts.paths import ROOT
from scripts.publish import dist
from scripts.site import compress

README = (ROOT / "README.md").read_text(encoding="utf-8")


def nginx_block() -> str:
    return re.search(r"```nginx\n(.*?)```", README, re.DOTALL).group(1)


def test_every_text_file_of_the_built_site_has_a_gzip_copy_with_the_same_content(site_dir):
    files = compress.text_files(site_dir)
    assert {p.suffix for p in files} >= {".html", ".css", ".js", ".json", ".xml"}
    missing = [str(p.relative_to(site_dir)) for p in files if not p.with_name(p.name + ".gz").is_file()]
    assert missing == []
    for path in files[::max(1, len(files) // 60)]:  # a sample across the site: decompressing all takes a while
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes(), path


def test_a_download_folder_keeps_exactly_the_files_its_checksums_list(tmp_path):
    release = tmp_path / "data" / "v1.0.0"
    release.mkdir(parents=True)
    (release / "services.csv").write_text("id\nS001\n" * 50, encoding="utf-8")
    (release / "SHA256SUMS").write_text("…  services.csv\n", encoding="utf-8")
    (tmp_path / "data" / "feed.xml").write_text("<feed/>" * 50, encoding="utf-8")
    compress.write(tmp_path)
    assert sorted(p.name for p in release.iterdir()) == ["SHA256SUMS", "services.csv"]
    assert (tmp_path / "data" / "feed.xml.gz").is_file()


def test_the_copies_carry_no_time_and_no_file_name_so_two_builds_agree(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>基本公共服务</p>" * 50, encoding="utf-8")
    (tmp_path / "a" / "picture.png").write_bytes(b"\x89PNG")
    assert compress.write(tmp_path)[0] == 1
    packed = (tmp_path / "a" / "index.html.gz").read_bytes()
    assert packed[3] & 0x08 == 0, "the gzip header names a file"
    assert packed[4:8] == b"\0\0\0\0", "the gzip header carries a time"
    assert not (tmp_path / "a" / "picture.png.gz").exists()
    os.utime(tmp_path / "a" / "index.html", (1, 1))
    compress.write(tmp_path)
    assert (tmp_path / "a" / "index.html.gz").read_bytes() == packed


def test_a_gzip_copy_the_build_already_wrote_with_the_same_content_is_kept(tmp_path):
    (tmp_path / "sitemap.xml").write_bytes(b"<urlset/>" * 20)
    dated = gzip.compress(b"<urlset/>" * 20, 9, mtime=1500000000)
    (tmp_path / "sitemap.xml.gz").write_bytes(dated)
    compress.write(tmp_path)
    assert (tmp_path / "sitemap.xml.gz").read_bytes() == dated
    (tmp_path / "sitemap.xml").write_bytes(b"<urlset>new</urlset>")
    compress.write(tmp_path)
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == b"<urlset>new</urlset>"


def fetch(url: str, gzip_ok: bool) -> tuple[dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(request) as response:
        return dict(response.headers), response.read()


def test_the_test_server_sends_the_gzip_copy_only_to_a_client_that_accepts_it_and_compresses_nothing_itself(tmp_path):
    (tmp_path / "index.html").write_text("<p>首页</p>" * 100, encoding="utf-8")
    (tmp_path / "plain.css").write_text("p{color:red}" * 100, encoding="utf-8")
    compress.write(tmp_path)
    (tmp_path / "plain.css.gz").unlink()
    base, server = serve(tmp_path, precompressed=True)
    try:
        headers, body = fetch(base, gzip_ok=True)
        assert headers["Content-Encoding"] == "gzip" and body == (tmp_path / "index.html.gz").read_bytes()
        assert headers["Content-Type"].startswith("text/html")
        headers, body = fetch(base, gzip_ok=False)
        assert "Content-Encoding" not in headers and body == (tmp_path / "index.html").read_bytes()
        headers, body = fetch(base + "plain.css", gzip_ok=True)
        assert "Content-Encoding" not in headers and body == (tmp_path / "plain.css").read_bytes()
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def static_url(site_dir):
    base, server = serve(site_dir, precompressed=True)
    yield base
    server.shutdown()


@functools.cache
def viewed(browser, site_dir, static_url) -> list[dict]:
    """page_view of each of pages(site_dir) from the static server, the three loading side by side."""
    return page_views(browser, [static_url + path for _, path in pages(site_dir)])


@pytest.mark.parametrize("which", [0, 1, 2], ids=["home", "service", "targets"])
def test_a_page_view_from_a_server_that_only_reads_the_gzip_copies_is_at_most_100_kb_on_the_wire(browser, site_dir, static_url, which):
    label, _ = pages(site_dir)[which]
    view = viewed(browser, site_dir, static_url)[which]
    assert view["responses"] and not view["index"], label
    wire = sum(r["body"] + r["headers"] for r in view["responses"])
    assert wire == view["bytes"]
    text = [r for r in view["responses"] if r["url"].split("?")[0].endswith((".html", "/", ".css", ".js"))]
    assert text and all(r["encoding"] == "gzip" for r in text), [r["url"] for r in text if r["encoding"] != "gzip"]
    assert wire <= BUDGET, f"{label}: {wire} bytes"


def test_the_readme_gives_an_nginx_block_with_gzip_static_types_cache_headers_and_folder_index():
    block = nginx_block()
    assert re.search(r"^\s*gzip_static on;", block, re.M)
    assert re.search(r"^\s*index index\.html;", block, re.M)
    for type_, ext in (("application/ld+json", "jsonld"), ("text/csv", "csv"), ("application/vnd.sqlite3", "sqlite"),
                       ("application/x-bibtex", "bib")):
        assert re.search(rf"^\s*{re.escape(type_)}\s+{ext};", block, re.M), ext
    assert "include mime.types;" in block, "a types block alone would replace nginx's whole list of types"
    assert re.search(r'add_header Cache-Control "public, max-age=\d{7,}, immutable";', block)


def test_the_nginx_cache_rule_matches_the_themes_hashed_assets_and_nothing_the_site_changes_in_place(site_dir):
    pattern = re.search(r'location ~\* "(.+?)"', nginx_block()).group(1)
    names = ["/" + p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file() and not p.name.endswith(".gz")]
    cached = {n for n in names if re.search(pattern, n, re.IGNORECASE)}
    assert any(n.endswith(".css") for n in cached) and any(n.endswith(".js") for n in cached)
    assert all(re.search(r"\.[0-9a-f]{8}\.min\.(css|js)$", n) for n in cached), cached
    assert not {n for n in cached if not n.startswith("/assets/")}


def tree(folder, stamp):
    (folder / "services" / "S001").mkdir(parents=True)
    (folder / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    (folder / "services" / "S001" / "index.html").write_text("<p>服务</p>", encoding="utf-8")
    (folder / "data.csv").write_bytes(b"id\n1\n")
    for p in folder.rglob("*"):
        os.utime(p, (stamp, stamp))
    return folder


def test_the_archive_is_the_same_bytes_whatever_the_files_times_and_order_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    one, digest_one = dist.write(tree(tmp_path / "a" / "site", 1000), tmp_path / "out1")
    two, digest_two = dist.write(tree(tmp_path / "b" / "site", 2000000), tmp_path / "out2")
    assert one.read_bytes() == two.read_bytes() and digest_one == digest_two
    assert (tmp_path / "out1" / "site.tar.gz.sha256").read_text() == f"{digest_one}  site.tar.gz\n"
    assert hashlib.sha256(one.read_bytes()).hexdigest() == digest_one
    raw = one.read_bytes()
    assert raw[4:8] == b"\0\0\0\0" and raw[3] & 0x08 == 0
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names) and names[0] == "site" and "site/services/S001/index.html" in names
    assert {(m.uid, m.gid, m.uname, m.gname, m.mtime) for m in members} == {(0, 0, "", "", 1700000000)}


def test_the_archive_of_a_folder_without_a_built_site_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="make build"):
        dist.write(tmp_path, tmp_path / "out")


def test_make_dist_writes_the_archive_and_the_publish_job_attaches_it_to_the_run():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^dist: build\b.*\n\t\$\(PY\) -m scripts\.publish\.dist$", makefile, re.M)
    publish_recipe = re.search(r"^publish:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "scripts.publish.dist" in publish_recipe
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["publish"]["steps"]
    assert any(str(s.get("uses", "")).startswith("actions/upload-artifact@") and s["with"]["path"] == "build/dist"
               for s in steps)
