"""What a citizen reads, checked in the built HTML: one list item per service on every list of services, templates that
take the annex fields from the schema, and the government meta tags (filled from mkdocs.yml and the data, empty ones
left out)."""
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import DISCLOSURE, SITE_ADDRESS, Tab
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


def test_the_meta_tags_carry_the_site_code_column_type_and_domain_when_they_are_configured(addressed_site):
    """On the site built with an address and the disclosure codes filled in (conftest's addressed_site)."""
    config = yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # BaseLoader: mkdocs.yml has !ENV tags
    tags = metas(addressed_site / "services" / "index.html")
    assert tags["SiteIDCode"] == DISCLOSURE["site_code"]
    assert tags["ColumnType"] == DISCLOSURE["column_type"]
    assert tags["SiteDomain"] == urlsplit(SITE_ADDRESS).hostname
    assert tags["ColumnName"] == next(t for item in config["nav"] for t, p in item.items() if p == "services/index.md")
    assert f'<link rel="canonical" href="{SITE_ADDRESS}services/">' in (addressed_site / "services" / "index.html").read_text(encoding="utf-8")


# ---- issue 23: a next step on every service page, the plan's era, 朗读, the nav ----

def article_text(page) -> str:
    html = page.read_text(encoding="utf-8")
    html = html[html.find("<article"):html.find("</article>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def next_step(site_dir, s) -> str:
    """The HTML of a service page's last section (怎么咨询、到哪里办)."""
    html = (site_dir / "services" / s["id"] / "index.html").read_text(encoding="utf-8")
    return html[html.rfind("怎么咨询、到哪里办"):html.find("</article>")]


def tel_links(html) -> list[str]:
    return re.findall(r'href="tel:([0-9-]+)"', html)


def test_every_service_page_ends_with_a_number_to_call_and_where_the_number_comes_from(site_dir, data):
    general = [h for h in data["hotlines"] if not h["domains"]]
    assert general, "hotlines.csv has a hotline for every service (an empty 领域)"
    pages = data["tables"]["services"]
    with_number = [s["id"] for s in pages if tel_links(next_step(site_dir, s))]
    assert with_number == [s["id"] for s in pages]
    for s in pages:
        section = next_step(site_dir, s)
        for h in general:
            assert h["phone"] in tel_links(section), s["id"]
        for number in tel_links(section):
            h = next((h for h in data["hotlines"] if h["phone"] == number), None)
            c = next((c for c in s["contacts"] if c.get("phone") == number), None)
            assert h or c, (s["id"], number)
            if h:  # its quote and its document are on the page
                assert re.sub(r"\s+", "", h["quote"]) in re.sub(r"\s+|<[^>]+>|\\", "", section), (s["id"], number)


def test_a_departments_contact_row_comes_first_as_a_tel_link_with_where_the_number_comes_from(package, tmp_path):
    from scripts import validate
    from scripts.site import render
    from test_provenance_pages import add_fiction_service
    sid = add_fiction_service(package, lead="虚构市测试服务局")
    fiction = package.root / "sources" / "fiction.txt"
    fiction.write_text(fiction.read_text(encoding="utf-8") + "虚构市测试服务局咨询电话：0000-1234567。\n", encoding="utf-8")
    package.write_rows("contacts.csv", package.rows("contacts.csv") + [
        ["C001", "虚构市测试服务局", "0000-1234567", "", "虚构市测试服务局咨询电话：0000-1234567", "【测试用虚构文件】虚构市机构改革通知", "fiction-reorg"]])
    assert [p.text() for p in validate.problems(package.descriptor)] == []
    out, data = tmp_path / "docs", load(package.descriptor)
    render.render(data, out, [])
    page = (out / "services" / f"{sid}.md").read_text(encoding="utf-8").split("## 怎么咨询")[1]
    numbers = tel_links(page)
    assert numbers[0] == "0000-1234567" and numbers[1:] == [h["phone"] for h in data["by_id"]["services"][sid]["hotlines"]]
    assert "虚构市测试服务局咨询电话：0000-1234567" in page.replace("\\", "") and "虚构市机构改革通知" in page


def test_a_domain_hotline_is_offered_on_the_services_of_its_domains_and_nowhere_else(site_dir, data):
    scoped = [h for h in data["hotlines"] if h["domains"]]
    for h in scoped:
        domains = {d["id"] for d in h["domains"]}
        for s in data["tables"]["services"]:
            assert (h["phone"] in tel_links(next_step(site_dir, s))) == (s["domain_id"] in domains), (h["id"], s["id"])


def test_which_services_get_a_domain_hotline_follows_its_domains_in_the_data(package, tmp_path):
    from scripts.site import render
    rows = package.rows("hotlines.csv")
    header = rows[0]
    scoped = [r for r in rows[1:] if r[header.index("domain_ids")]]
    if not scoped:  # a package without a domain hotline: add a clearly fictional one quoted from the plan
        pytest.skip("no hotline with domains in this package")
    row = scoped[0]
    row[header.index("domain_ids")] = "health"
    package.write_rows("hotlines.csv", rows)
    out = tmp_path / "docs"
    data = load(package.descriptor)
    render.render(data, out, [])
    number = row[header.index("phone")]
    for s in data["tables"]["services"]:
        page = (out / "services" / f"{s['id']}.md").read_text(encoding="utf-8").split("## 怎么咨询")[1]
        assert (f'href="tel:{number}"' in page) == (s["domain_id"] == "health"), s["id"]


def test_a_hotline_whose_quote_is_not_in_its_registered_document_is_refused(package):
    from scripts import validate
    assert [p.text() for p in validate.problems(package.descriptor)] == []
    rows = package.rows("hotlines.csv")
    header = rows[0]
    general = next(i for i, r in enumerate(rows) if i and not r[header.index("domain_ids")])
    rows[general][header.index("quote")] = rows[general][header.index("quote")] + "（本站补写）"
    package.write_rows("hotlines.csv", rows)
    found = [p for p in validate.problems(package.descriptor) if p.file == "hotlines.csv"]
    assert found and "原文中找不到" in found[0].text()


def test_a_hotline_from_the_plan_cannot_borrow_a_document_that_is_only_a_title(package):
    from scripts import validate
    docs = package.rows("documents.csv")
    title_only = dict(zip(docs[0], docs[1]), id="zz-title-only", status="未随正文公开", text_path="")  # nothing to check a quote against
    package.write_rows("documents.csv", docs + [[title_only[c] for c in docs[0]]])
    rows = package.rows("hotlines.csv")
    header = rows[0]
    rows[1][header.index("source")] = title_only["id"]
    package.write_rows("hotlines.csv", rows)
    assert any(p.file == "hotlines.csv" and "无法核对" in p.text() for p in validate.problems(package.descriptor))


def test_the_home_page_offers_the_general_hotline_for_anything_and_a_domain_hotline_only_with_its_domains(site_dir, data):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    items = re.findall(r"<li>(.*?)</li>", html[html.find("查不到怎么办"):], flags=re.S)
    for h in data["hotlines"]:
        where = [i for i in items if f'href="tel:{h["phone"]}"' in i]
        assert len(where) == 1, h["id"]
        for d in h["domains"]:
            assert d["name"] in where[0], (h["id"], d["name"])
        for word in (h["service"] or {}).get("aliases") or []:  # e.g. 人社热线、社保热线: the words people know it by
            assert word in where[0], (h["id"], word)
    scoped = "".join(i for i in items if any(f'tel:{h["phone"]}"' in i for h in data["hotlines"] if h["domains"]))
    assert not scoped or ("社保" in scoped or "人社" in scoped)


def test_a_department_name_taken_from_a_document_says_it_is_that_years_name(site_dir, data):
    named = [s for s in data["tables"]["services"] if s["named_in"]]
    for s in named:
        text = article_text(site_dir / "services" / s["id"] / "index.html")
        for field, year in s["named_in"].items():
            assert year and f"{s[field]} （{year}年的名称，机构改革后可能已变化）" in text, s["id"]


def era_pages(data):
    yield "index.html"
    for folder in ("services", "domains", "audiences", "targets", "tasks", "measures", "plan"):
        yield f"{folder}/index.html"
    for s in data["tables"]["services"]:
        yield f"services/{s['id']}/index.html"
    for d in data["domains"]:
        yield f"domains/{d['id']}/index.html"
    for a in data["audiences"]:
        yield f"audiences/{a['id']}/index.html"


def test_every_page_stating_plan_content_says_near_the_top_when_the_plan_was_issued_and_which_years_it_covers(site_dir, data):
    issued = data["notice"]["written_date"]
    y, m, d = (int(x) for x in issued.split("-"))
    period = data["meta"]["planPeriod"]
    wrong = []
    for path in era_pages(data):
        html = (site_dir / path).read_text(encoding="utf-8")
        era = re.search(r'<p class="era"[^>]*>(.*?)</p>', html, flags=re.S)
        h2 = html.find("<h2", html.find("<article"))
        if not era or f"{y}年{m}月{d}日" not in era.group(1) or f"{period['start']}–{period['end']}年" not in era.group(1) \
                or (h2 >= 0 and era.start() > h2):
            wrong.append(path)
    assert wrong == []


def test_the_era_line_is_computed_from_the_documents_and_the_plan_period(package, tmp_path):
    from scripts.site import render
    package.edit_descriptor(lambda d: d["planPeriod"].update(start=2031, end=2035))
    rows = package.rows("documents.csv")
    notice = next(i for i, r in enumerate(rows) if r[0] == "notice")
    package.set("documents.csv", notice + 1, "written_date", "2030-02-03")
    out = tmp_path / "docs"
    render.render(load(package.descriptor), out, [])
    for page in ("index.md", "targets/index.md", "services/S001.md"):
        assert "2030年2月3日印发" in (out / page).read_text(encoding="utf-8") and "2031–2035年" in (out / page).read_text(encoding="utf-8"), page


def test_a_plan_period_that_disagrees_with_the_targets_plan_end_is_refused(package):
    from scripts import validate
    package.edit_descriptor(lambda d: d["planPeriod"].update(end=2021))
    assert any("planPeriod" in p.text() for p in validate.problems(package.descriptor))


OPEN_DATA = ["downloads/index.md", "dictionary/index.md", "changelog/index.md", "contribute.md"]


def test_the_open_data_pages_sit_under_one_nav_entry_apart_from_the_citizens_pages():
    nav = yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    top = [(title, value) for item in nav for title, value in item.items()]
    sections = [value for title, value in top if title == "开放数据"]
    assert len(sections) == 1
    inside = [p for item in sections[0] for p in item.values()]
    assert sorted(inside) == sorted(OPEN_DATA)
    assert not [value for _, value in top if value in OPEN_DATA]


# ---- 朗读 on every page with content (Debian chromium, speech synthesis stubbed) ----

SPEECH_STUB = """() => {
    window.__spoken = [];
    window.SpeechSynthesisUtterance = function (text) { this.text = text; };
    Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
        getVoices: () => [{lang: 'zh-CN', name: 'zh'}], speak: u => window.__spoken.push(u.text),
        cancel: () => {}, addEventListener: () => {}, speaking: false}});
}"""
READ_PAGES = ["", "services/", "domains/", "audiences/", "targets/", "tasks/", "measures/", "plan/", "about/"]


@pytest.fixture(scope="session")
def reader(browser, site_url):
    """A tab of its own (see Tab in tests/conftest.py) whose every document gets the speech stub before its scripts."""
    tab = Tab(browser, site_url)
    tab.page.add_init_script(f"({SPEECH_STUB})()")
    yield tab
    tab.context.close()


def spoken(reader, path):
    page = reader.open(path)
    page.get_by_role("button", name="朗读本页").click()
    page.wait_for_function("window.__spoken.length > 0")
    return page, "".join(page.evaluate("window.__spoken"))


def skipped_texts(page) -> list[str]:
    """The text of every element the page marks data-read-skip, and of the navigation."""
    return page.evaluate("""() => [...document.querySelectorAll('article [data-read-skip], article nav')]
        .map(e => e.textContent.replace(/\\s+/g, ' ').trim()).filter(t => t)""")


@pytest.mark.parametrize("path", READ_PAGES + [f"domains/{d['id']}/" for d in load(DESCRIPTOR)["domains"][:1]]
                         + [f"audiences/{a['id']}/" for a in load(DESCRIPTOR)["audiences"][:1]])
def test_every_page_with_content_can_be_read_aloud_and_the_reading_leaves_out_what_is_marked_to_skip(reader, path):
    page, said = spoken(reader, path)
    first = page.evaluate("""() => { const box = document.querySelector('[data-read-aloud]'), which = box.getAttribute('data-read-aloud');
        const root = which === 'article' ? box.closest('article') : document.querySelector(which);
        return root.querySelector('h1, p').textContent.replace(/\\s+/g, ' ').trim(); }""")
    assert first[:10] in " ".join(said.split())
    for text in skipped_texts(page):
        assert text not in said, text


def test_reading_a_service_page_aloud_leaves_out_its_id_and_its_download_link(reader, data):
    s = max(data["tables"]["services"], key=lambda s: bool(s.get("annex_item")))
    page, said = spoken(reader, f"services/{s['id']}/")
    assert s["id"] not in said and "编号" not in said
    assert page.locator(".download-record").inner_text().strip() not in said
    assert s["name"] in said
    assert any(h["phone"] in said for h in data["hotlines"])  # the number to call is read
