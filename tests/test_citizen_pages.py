"""What a citizen reads, checked in the built HTML: one list item per service on every list of services, templates that
take the annex fields from the schema, and the government meta tags (filled from mkdocs.yml and the data, empty ones
left out)."""
import re
from html.parser import HTMLParser

import pytest
import yaml

from scripts.build import build
from scripts.package import load
from scripts.paths import DESCRIPTOR, MKDOCS_YML, TEMPLATES


@pytest.fixture(scope="module")
def data():
    return load(DESCRIPTOR)


class ServiceLists(HTMLParser):
    """Every list item inside a <div class="service-list">, with the service pages it links to."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.items = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        inside = any(self.stack)
        self.stack.append(tag == "div" and "service-list" in (a.get("class") or "").split())
        if inside and tag == "li":
            self.items.append([])
        if inside and tag == "a" and self.items:
            match = re.search(r"(S\d+)/?$", a.get("href", "").rstrip("/").split("/")[-1] + "/")
            if match:
                self.items[-1].append(match.group(1))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()


def service_items(page):
    p = ServiceLists()
    p.feed(page.read_text(encoding="utf-8"))
    return p.items


def expected_lists(data):
    yield "services/index.html", [s["id"] for d in data["domains"] for s in data["related"][d["id"]]["services"]] + [s["id"] for s in data["policies"]]
    for d in data["domains"]:
        yield f"domains/{d['id']}/index.html", [s["id"] for s in data["related"][d["id"]]["services"] + data["related"][d["id"]]["policies"]]
    for a in data["audiences"]:
        yield f"audiences/{a['id']}/index.html", [s["id"] for s in a["services"]]


def test_every_list_of_services_on_every_page_has_one_list_item_per_service(site_dir, data):
    wrong = []
    for path, ids in expected_lists(data):
        items = service_items(site_dir / path)
        if len(items) != len(ids) or [i[:1] for i in items] != [[x] for x in ids]:
            wrong.append(f"{path}: {len(items)} list items {[i[:1] for i in items][:5]}… for {len(ids)} services {ids[:5]}…")
    assert wrong == []


SCHEMA_TEMPLATES = ["service.md.j2", "services.md.j2", "home.md.j2", "_macros.md.j2"]


@pytest.mark.parametrize("name", SCHEMA_TEMPLATES)
def test_the_service_templates_take_the_annex_fields_from_the_schema_instead_of_naming_them(name, data):
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    typed = [word for f in data["annex_fields"] for word in (f["name"], f["title"], f["question"], f["status"]) if word in text]
    typed += [data["UNPUBLISHED"]] if data["UNPUBLISHED"] in text else []
    assert typed == []


def test_a_service_page_says_once_in_plain_words_which_fields_are_unpublished(site_dir, data):
    for s in data["tables"]["services"]:
        missing = [f for f in data["annex_fields"] if s[f["status"]] == data["UNPUBLISHED"]]
        html = (site_dir / "services" / s["id"] / "index.html").read_text(encoding="utf-8")
        assert html.count('class="missing-says"') == (1 if missing else 0), s["id"]
        assert html.count('class="field stated"') == len(data["annex_fields"]) - len(missing), s["id"]


# ---- government meta tags ----

def metas(page):
    return dict(re.findall(r'<meta name="([A-Z][A-Za-z]+)" content="([^"]*)"', page.read_text(encoding="utf-8")))


def current_release_date(data):
    return next(str(c["date"]) for c in data["tables"]["changes"] if c["version"] == data["version"])


def test_the_meta_tags_say_only_what_mkdocs_yml_and_the_data_give(site_dir, data):
    from mkdocs.config import load_config
    config = load_config(str(MKDOCS_YML))  # as the build reads it: site_url comes from $SITE_URL
    disclosure = (config.get("extra") or {}).get("disclosure") or {}
    s = data["tables"]["services"][0]
    tags = metas(site_dir / "services" / s["id"] / "index.html")
    assert tags["SiteName"] == config["site_name"]
    assert tags["ArticleTitle"] == s["name"]
    assert tags["PubDate"] == current_release_date(data)
    assert "ContentSource" not in tags  # an editorial page of this site, not the office's text
    assert metas(site_dir / "plan" / "index.html")["ContentSource"] == data["notice"]["issuer"]
    assert "ContentSource" not in metas(site_dir / "index.html")
    assert ("SiteIDCode" in tags) == bool(disclosure.get("site_code"))
    assert ("ColumnType" in tags) == bool(disclosure.get("column_type"))
    assert ("SiteDomain" in tags) == bool(config.get("site_url"))
    assert metas(site_dir / "plan" / "index.html")["PubDate"] == str(data["notice"]["published_date"])
    assert "ArticleTitle" not in metas(site_dir / "index.html")


def test_the_meta_tags_carry_the_site_code_column_type_and_domain_when_they_are_configured(tmp_path, data):
    config = yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # BaseLoader: mkdocs.yml has !ENV tags
    extra = config["extra"]
    extra["disclosure"] = dict(extra.get("disclosure") or {}, site_code="0000000000", column_type="示例栏目类型")
    site = build(workdir=tmp_path, site_url="https://example.invalid/siping/", extra=extra)
    tags = metas(site / "services" / "index.html")
    assert tags["SiteIDCode"] == "0000000000"
    assert tags["ColumnType"] == "示例栏目类型"
    assert tags["SiteDomain"] == "example.invalid"
    assert tags["ColumnName"] == next(t for item in config["nav"] for t, p in item.items() if p == "services/index.md")
    assert '<link rel="canonical" href="https://example.invalid/siping/services/">' in (site / "services" / "index.html").read_text(encoding="utf-8")
