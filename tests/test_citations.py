"""Every citation resolves, every date is true, every change is itemised (issue 24): one site built with SITE_URL set
(conftest's addressed_site) for what depends on the address, the session's site for the rest, and small fixture
packages for the rules themselves."""
import csv
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import urldefrag

import pytest
import rdflib
import yaml
from pyshacl import validate as shacl

from conftest import SITE_ADDRESS
from scripts.package import load
from scripts.paths import DESCRIPTOR, ROOT
from scripts.publish import dates, export, itemise, metadata

BASE = SITE_ADDRESS  # the address conftest's addressed_site is built for
SHAPES = sorted((Path(__file__).parent / "shapes").glob("*.ttl"))
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
ATOM = {"a": "http://www.w3.org/2005/Atom"}
JSONLD = re.compile(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', re.S)
DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def releases_in(site: Path) -> list[Path]:
    return sorted((site / "data").glob("v*")) + [site / "data" / "latest"]


def behind(site: Path, url: str) -> bool:
    """True when the site address `url` names a file, or a folder with an index.html, of the built site."""
    path = urldefrag(url)[0][len(BASE):]
    target = site / path
    return target.is_file() or (target / "index.html").is_file()


def strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, str):
        yield value


def site_addresses(text: str) -> set[str]:
    return {u.rstrip(".,;）)") for u in re.findall(re.escape(BASE) + r"[^\s<>\"'“”，。{}]*", text)}


def test_with_site_url_every_address_a_citation_dcat_or_schema_org_gives_has_a_file_behind_it(addressed_site):
    found = set()
    catalogue = json.loads((addressed_site / "data" / "catalog.jsonld").read_text(encoding="utf-8"))
    found |= {s for s in strings(catalogue) if s.startswith(BASE)}
    pages = [addressed_site / "downloads" / "index.html"] + [f / "index.html" for f in releases_in(addressed_site)]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for script in JSONLD.findall(html):
            found |= {s for s in strings(json.loads(script)) if s.startswith(BASE)}
        found |= site_addresses(html)  # the citations shown on the page
    found |= site_addresses((addressed_site / "data" / "feed.xml").read_text(encoding="utf-8"))
    for kind in ("services", "targets"):
        for record in sorted((addressed_site / kind).glob("*.json"))[:20]:
            found |= site_addresses(record.read_text(encoding="utf-8"))
    for page in (addressed_site / "services").glob("S*/index.html"):
        found |= site_addresses(page.read_text(encoding="utf-8"))
        break
    assert {f"{BASE}data/v{p.name[1:]}/" for p in (addressed_site / "data").glob("v*")} <= found
    assert any("/targets/#" in u for u in found) and any("/services/S" in u for u in found)
    assert sorted(u for u in found if not behind(addressed_site, u)) == []


def test_the_citations_of_every_release_name_its_folder_which_has_a_page(addressed_site):
    for folder in sorted((addressed_site / "data").glob("v*")):
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert f"url          = {{{BASE}data/{folder.name}/}}" in html and f"{BASE}data/{folder.name}/." in html


def test_no_release_is_dated_before_the_projects_first_commit(addressed_site):
    first = dates.first_commit()
    if not first:
        pytest.skip("not a git checkout: the first commit is unknown")
    days = []
    catalogue = json.loads((addressed_site / "data" / "catalog.jsonld").read_text(encoding="utf-8"))
    for node in catalogue["dcat:dataset"] + [catalogue]:
        days += [node[k]["@value"] for k in ("dct:issued", "dct:modified") if k in node]
    for page in [addressed_site / "downloads" / "index.html"] + [f / "index.html" for f in releases_in(addressed_site)]:
        for script in JSONLD.findall(page.read_text(encoding="utf-8")):
            so = json.loads(script)
            days += [so[k] for k in ("datePublished", "dateModified") if so.get(k)]
            days += DAY.findall(so["citation"])
    feed = ET.parse(addressed_site / "data" / "feed.xml").getroot()
    days += [e.text[:10] for e in feed.iter() if e.tag.endswith(("}published", "}updated"))]
    days += list(dates.published(load()["rows"]["changes"]).values())
    assert len(days) > len(catalogue["dcat:dataset"]) * 2
    assert sorted(d for d in days if d < first) == []


def test_the_catalogue_conforms_to_the_dcat_ap_3_subset_with_no_violation_and_no_warning(addressed_site):
    g = rdflib.Graph().parse(addressed_site / "data" / "catalog.jsonld", format="json-ld", publicID=f"{BASE}data/catalog.jsonld")
    shapes = rdflib.Graph()
    for f in SHAPES:
        shapes.parse(f)
    assert any(shapes.triples((None, SH.severity, SH.Warning)))  # the recommended properties are part of the check
    conforms, results, text = shacl(g, shacl_graph=shapes, inference="none")
    assert conforms and list(results.subjects(rdflib.RDF.type, SH.ValidationResult)) == [], text


def test_every_published_release_is_its_own_dataset_with_its_files_in_one_series(addressed_site):
    g = rdflib.Graph().parse(addressed_site / "data" / "catalog.jsonld", format="json-ld", publicID=f"{BASE}data/catalog.jsonld")
    DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    series = list(g.subjects(rdflib.RDF.type, DCAT.DatasetSeries))
    assert len(series) == 1
    for folder in sorted((addressed_site / "data").glob("v*")):
        dataset = rdflib.URIRef(f"{BASE}data/{folder.name}/")
        assert (dataset, rdflib.RDF.type, DCAT.Dataset) in g and (dataset, DCAT.inSeries, series[0]) in g
        files = {f.name for f in folder.iterdir() if f.is_file() and f.name != "index.html"}
        assert {str(g.value(d, DCAT.downloadURL)).rsplit("/", 1)[1] for d in g.objects(dataset, DCAT.distribution)} == files
        assert g.value(dataset, DCAT.contactPoint) is not None


def test_the_release_built_with_an_address_names_its_homepage_and_keeps_its_identity(addressed_site):
    shipped = json.loads((addressed_site / "data" / "latest" / "datapackage.json").read_text(encoding="utf-8"))
    source = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    assert re.match(r"^[a-z][a-z0-9+.-]*:", source["id"]) and source["created"] >= (dates.first_commit() or "")
    assert all(isinstance(c.get("roles"), list) and "role" not in c for c in source["contributors"])
    assert metadata.publisher(source) in {c["title"] for c in source["contributors"]}
    release = export.build_release(load())  # a fresh release: the frozen one may predate the keys
    if metadata.site_url():
        assert json.loads(release["datapackage.json"])["homepage"] == metadata.site_url()
    assert shipped["name"] == source["name"]


@pytest.fixture
def addressed_env(monkeypatch):
    monkeypatch.setenv("SITE_URL", BASE)


def test_a_fresh_release_built_with_an_address_names_its_homepage(package, addressed_env):
    release = export.build_release(load(package.descriptor))
    assert json.loads(release["datapackage.json"])["homepage"] == BASE
    assert export.changed(release, export.build_release(load(package.descriptor))) == []


# ---- the session's site: pages, files and links every build has ----

def test_every_release_folder_and_latest_have_a_page_with_files_hashes_citations_licence_and_the_check(site_dir):
    for folder in releases_in(site_dir):
        html = (folder / "index.html").read_text(encoding="utf-8")
        meta = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        for f in folder.iterdir():
            if f.is_file() and f.name != "index.html":
                assert hashlib.sha256(f.read_bytes()).hexdigest() in html, (folder.name, f.name)
        for must in ("sha256sum -c SHA256SUMS", "GB/T 7714", "BibTeX", "CSL-JSON", "@misc{", '"type": "dataset"',
                     meta["licenses"][0]["path"]):
            assert must in html, (folder.name, must)


def test_the_download_page_lists_every_release_with_sizes_and_hashes(site_dir):
    html = (site_dir / "downloads" / "index.html").read_text(encoding="utf-8")
    for folder in sorted((site_dir / "data").glob("v*")):
        assert f"../data/{folder.name}/" in html
        for f in folder.iterdir():
            if f.is_file() and f.name != "index.html":
                assert hashlib.sha256(f.read_bytes()).hexdigest() in html, (folder.name, f.name)


def test_the_source_texts_are_served_where_text_path_points_in_every_release(site_dir):
    for folder in releases_in(site_dir):
        documents = list(csv.DictReader(io.StringIO((folder / "documents.csv").read_text(encoding="utf-8"))))
        paths = {d["text_path"] for d in documents if d.get("text_path")}
        assert paths, folder.name
        zipped = next(folder.glob("*.zip"))
        with zipfile.ZipFile(zipped) as z:
            inside = {n.split("sources/", 1)[1]: z.read(n) for n in z.namelist() if "sources/" in n}
        for path in paths:
            assert (folder / path).is_file(), (folder.name, path)
            assert (folder / path).read_bytes() == inside[path.split("sources/", 1)[1]]


def test_each_target_has_its_json_its_id_on_the_targets_page_and_a_one_record_citation(site_dir):
    targets = json.loads((site_dir / "data" / "latest" / "targets.json").read_text(encoding="utf-8"))
    page = (site_dir / "targets" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="record-cite"') == len(targets)
    for t in targets:
        record = json.loads((site_dir / "targets" / f"{t['id']}.json").read_text(encoding="utf-8"))
        assert record["record"] == t and "citation" in record
        assert f'id="{t["id"].lower()}"' in page and f"编号 {t['id']}" in page and f'href="{t["id"]}.json"' in page


def test_each_service_page_cites_that_one_record(site_dir):
    services = json.loads((site_dir / "data" / "latest" / "services.json").read_text(encoding="utf-8"))
    for s in services[:5]:
        html = (site_dir / "services" / s["id"] / "index.html").read_text(encoding="utf-8")
        cite = re.search(r'class="record-cite"[^>]*>引用本条：(.*?)</p>', html)
        assert cite and s["id"] in cite.group(1) and "[DS/OL]" in cite.group(1)


def test_the_changelog_and_the_feed_show_each_releases_itemised_changes(site_dir):
    changelog = (site_dir / "changelog" / "index.html").read_text(encoding="utf-8")
    feed = ET.parse(site_dir / "data" / "feed.xml").getroot()
    for folder in sorted((site_dir / "data").glob("v*")):
        if not (folder / itemise.FILE).is_file():
            continue
        changes = json.loads((folder / itemise.FILE).read_text(encoding="utf-8"))
        entry = next(e for e in feed.findall("a:entry", ATOM) if e.find("a:link", ATOM).get("href").rstrip("/").endswith(folder.name))
        content = entry.find("a:content", ATOM).text
        for t in changes["tables"]:
            for r in t["added"] + t["removed"] + t["changed"]:
                assert r["key"] in content, (folder.name, r["key"])
            for r in t["removed"][:20] + t["added"][:20]:
                assert r["key"] in changelog, (folder.name, r["key"])


# ---- the rules, on small fixture packages ----

def test_itemised_changes_list_each_added_removed_and_changed_row_with_each_fields_before_and_after(package):
    before = export.build_release(load(package.descriptor))
    rows = package.rows("milestones.csv")
    gone = rows[-1][0]
    package.write_rows("milestones.csv", rows[:-1])
    old_title = package.get("tasks.csv", 2, "title")
    package.set("tasks.csv", 2, "title", "改过的标题")
    version = json.loads(package.descriptor.read_text(encoding="utf-8"))["version"]
    package.edit_descriptor(lambda d: d.update(version="9.0.0"))
    package.write_rows("changes.csv", package.rows("changes.csv") + [["9.0.0", "2030-01-01", "测试文件", "测试用的新版本。", "2030-01-02"]])
    after = export.build_release(load(package.descriptor), (version, before))
    changes = json.loads(after[itemise.FILE])
    tables = {t["table"]: t for t in changes["tables"]}
    assert changes["from"] == version and changes["to"] == "9.0.0"
    assert [r["key"] for r in tables["milestones"]["removed"]] == [gone] and tables["milestones"]["added"] == []
    task = tables["tasks"]["changed"][0]
    assert task["key"] == package.get("tasks.csv", 2, "id")
    assert task["fields"] == [{"field": "title", "title": task["fields"][0]["title"], "before": old_title, "after": "改过的标题"}]
    assert [r["key"] for r in tables["changes"]["added"]] == ["9.0.0"]
    assert itemise.FILE in after["SHA256SUMS"].decode("utf-8")
    assert "2030-01-02" in after["CITATION.bib"].decode("utf-8")  # cited by its day of publication, not the approval's


def test_a_frozen_release_without_itemised_changes_or_source_texts_gets_them_beside_its_untouched_files(package):
    old = export.build_release(load(package.descriptor))
    frozen = {n: b for n, b in old.items() if n != itemise.FILE and not n.startswith("sources/")}
    served = export.served("9.0.0", frozen, ("1.0.0", old))
    assert {n: served[n] for n in frozen} == frozen
    assert set(served) - set(frozen) == {itemise.FILE} | {n for n in old if n.startswith("sources/")}


def test_a_release_without_a_published_day_takes_the_day_git_froze_it_else_the_commits(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01
    got = dates.published([{"version": "1.0.0", "date": "2017-12-19", "published": "2026-11-28"},
                           {"version": "99.0.0", "date": "2017-12-19", "published": None}])
    assert got == {"1.0.0": "2026-11-28", "99.0.0": "2030-01-01"}


def test_the_feed_dates_each_entry_by_its_release_and_names_the_approval_separately():
    meta = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    rows = [{"version": "1.0.0", "date": "2017-12-19", "document": "文件", "summary": "首次"}]
    feed = ET.fromstring(metadata.atom(meta, rows, {"1.0.0"}, "data", "", {"1.0.0": "2026-11-28"}, {}))
    entry = feed.find("a:entry", ATOM)
    assert entry.find("a:published", ATOM).text.startswith("2026-11-28") and "2017-12-19" in entry.find("a:summary", ATOM).text


def test_a_publish_build_without_an_address_fails_before_writing_anything(tmp_path, monkeypatch, capsys):
    from scripts.build import BuildError, build
    from scripts.publish.__main__ import main as publish
    monkeypatch.setenv("SITE_URL", "")
    with pytest.raises(BuildError) as stop:
        build(workdir=tmp_path, require_site_url=True, validate_first=False)
    assert "SITE_URL" in stop.value.message and not (tmp_path / "site").exists() and not (tmp_path / "docs").exists()
    assert publish(["--require-site-url", "--releases", str(tmp_path / "releases")]) == 1
    assert "SITE_URL" in capsys.readouterr().err and not (tmp_path / "releases").exists()


def test_the_deploy_build_takes_its_address_from_configure_pages_and_requires_it():
    jobs = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))["jobs"]
    job = next(j for j in jobs.values() if any("make publish" in str(s.get("run", "")) for s in j["steps"]))
    pages = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/configure-pages@"))
    publish = next(s for s in job["steps"] if "make publish" in str(s.get("run", "")))
    assert publish["env"]["SITE_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    recipe = re.search(r"^publish:.*?(?=^\S)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M | re.S).group(0)
    assert recipe.count("--require-site-url") == 2


def test_the_site_serves_every_frozen_file_byte_for_byte_beside_the_pages_it_adds(site_dir):
    from scripts.paths import RELEASES
    for folder in sorted(RELEASES.glob("v*")):
        served = site_dir / "data" / folder.name
        if not served.is_dir():
            continue
        for f in folder.rglob("*"):
            if f.is_file():
                assert (served / f.relative_to(folder)).read_bytes() == f.read_bytes(), f
