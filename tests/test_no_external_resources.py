"""Every file of the built site is scanned: nothing in it may make a browser load anything from another host.

- HTML: src/srcset/poster/data/action, <link href>, inline style and <style> (url(), @import), inline scripts.
  <a href> to another host is a link, not a load: allowed only to the hosts the data package cites as sources
  (the city's 政府信息公开 page, observation sources) and to creativecommons.org (the licence).
- CSS: url() and @import.
- JS: every string literal that is an absolute URL. Material's bundle holds five such URLs that it only fetches in
  situations this site never creates; each is listed in DORMANT with the condition, and that condition is tested.
- JSON, JSON-LD, XML and other text files: every absolute URL must be one of the link hosts above or a vocabulary
  namespace (w3.org, purl.org…), which names terms and is never fetched by a browser.
Source maps: only their source paths. Binary downloads (xlsx, zip, sqlite, gz, png) are not scanned: no page loads them.
"""
import csv
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import yaml

from scripts.paths import DATAPACKAGE, MKDOCS_YML

LICENCE_HOSTS = {"creativecommons.org"}
NAMESPACE_HOSTS = {"www.w3.org", "purl.org", "spdx.org", "xmlns.com", "schema.org", "www.sitemaps.org",
                   "www.opengis.net", "json-schema.org",
                   "datapackage.org",  # the Data Package v2 profile's identifier ($schema)
                   "www.iana.org",  # media types as IRIs (DCAT's dcat:mediaType)
                   "publications.europa.eu"}  # the EU vocabularies DCAT-AP uses (language, access rights)
# Material's bundle: URL → when it would be fetched, and why that never happens here (checked below)
DORMANT = {
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "only when a page has a Mermaid diagram (.mermaid)",
    "https://unpkg.com/resize-observer-polyfill": "only in browsers without ResizeObserver (none since 2020)",
    "https://api.github.com/repos/${e}/${t}": "repository facts: only when mkdocs.yml sets repo_url",
    "https://api.github.com/users/${e}": "repository facts: only when mkdocs.yml sets repo_url",
    "https://${e}/api/v4/projects/${encodeURIComponent(t)}": "GitLab facts: only when mkdocs.yml sets repo_url",
}
BINARY = {".xlsx", ".zip", ".sqlite", ".gz", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".woff", ".woff2", ".pdf"}

EXTERNAL = re.compile(r"^\s*(?:https?:)?//[^/\s]", re.I)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+(?:url\()?\s*['"]?([^'");\s]+)""", re.I)
JS_URL = re.compile(r"""(["'`])((?:https?:)?//(?:[a-z0-9-]+\.)+[a-z]{2,}[^"'`\s]*|https?://\$\{[^"'`\s]*)""", re.I)
ANY_URL = re.compile(r"https?://[^\s\"'<>\\)]+", re.I)


def source_hosts():
    hosts = set()
    for file, column in [("documents.csv", "url"), ("observations.csv", "source_url")]:
        path = DATAPACKAGE / file
        if path.is_file():
            for row in csv.DictReader(path.read_text(encoding="utf-8").splitlines()):
                if row.get(column):
                    hosts.add(urlsplit(row[column]).hostname)
    return hosts - {None}


LINK_HOSTS = source_hosts() | LICENCE_HOSTS


def host(url):
    return urlsplit(url.strip() if not url.strip().startswith("//") else "http:" + url.strip()).hostname or url


def css_problems(text, where):
    return [f"{where}: CSS loads {m.group(1) or m.group(2)}" for m in CSS_URL.finditer(text)
            if EXTERNAL.match(m.group(1) or m.group(2))]


def js_problems(text, where):
    return [f"{where}: script refers to {m.group(2)}" for m in JS_URL.finditer(text) if m.group(2) not in DORMANT]


def text_problems(text, where):
    return [f"{where}: {u}" for u in ANY_URL.findall(text) if host(u) not in LINK_HOSTS | NAMESPACE_HOSTS]


class Scan(HTMLParser):
    LOADS = {"src", "srcset", "poster", "data", "action", "formaction", "background", "imagesrcset"}

    def __init__(self, where):
        super().__init__(convert_charrefs=True)
        self.where, self.problems, self.script, self.style, self.buffer = where, [], None, False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            value = value or ""
            if name in self.LOADS and any(EXTERNAL.match(part) for part in value.split(",")):
                self.problems.append(f"{self.where}: <{tag} {name}> loads {value}")
            if name == "style":
                self.problems += css_problems(value, self.where)
        href = attrs.get("href") or ""
        if EXTERNAL.match(href):
            if tag in ("a", "area"):
                if host(href) not in LINK_HOSTS:
                    self.problems.append(f"{self.where}: link to a host that is not a cited source: {href}")
            else:
                self.problems.append(f"{self.where}: <{tag} href> loads {href}")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh" and "//" in (attrs.get("content") or ""):
            self.problems.append(f"{self.where}: meta refresh to {attrs['content']}")
        if tag == "script":
            self.script, self.buffer = (attrs.get("type") or "text/javascript"), []
        if tag == "style":
            self.style, self.buffer = True, []

    def handle_data(self, data):
        if self.script or self.style:
            self.buffer.append(data)

    def handle_endtag(self, tag):
        text = "".join(self.buffer)
        if tag == "script" and self.script:
            self.problems += (text_problems(text, self.where) if "json" in self.script else js_problems(text, self.where))
            self.script = None
        if tag == "style" and self.style:
            self.problems += css_problems(text, self.where)
            self.style = False


def scan(path, where):
    suffix = path.suffix.lower()
    if suffix in BINARY:
        return []
    text = path.read_text(encoding="utf-8", errors="replace")
    if suffix in (".html", ".htm", ".svg"):
        s = Scan(where)
        s.feed(text)
        s.close()
        return s.problems
    if suffix == ".css":
        return css_problems(text, where)
    if suffix in (".js", ".mjs"):
        return js_problems(text, where)
    if suffix == ".map":
        # source maps are fetched only by developer tools; their sourcesContent is the readable text of the bundle
        # scanned above (error messages there cite MDN), so only the source paths are checked: they must be local
        return [f"{where}: source {s}" for s in json.loads(text).get("sources", []) if EXTERNAL.match(s)]
    return text_problems(text, where)


def test_no_file_in_the_site_loads_anything_from_another_host(site_dir):
    problems, scanned = [], 0
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        problems += scan(path, str(path.relative_to(site_dir)))
        scanned += 1
    assert scanned > 100
    assert problems == [], "\n".join(problems[:50])


def test_the_conditions_that_keep_materials_bundled_urls_dormant_hold(site_dir):
    config = yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert not config.get("repo_url"), "repo_url makes every page ask api.github.com for stars and forks"
    pages = [p.read_text(encoding="utf-8") for p in site_dir.rglob("*.html")]
    assert not [p for p in pages if re.search(r'class="[^"]*\bmermaid\b', p)], "a Mermaid diagram loads mermaid from unpkg"
    assert not [p for p in pages if 'class="md-source"' in p]
    theme = config.get("theme", {})
    assert theme.get("font") in ("false", False), "theme.font must be false: otherwise Google Fonts are loaded"


def test_the_bundle_still_has_only_the_known_dormant_urls(site_dir):
    """When Material is upgraded and its bundle refers to a new URL, this fails so the new URL gets looked at."""
    found = {m.group(2) for js in site_dir.glob("assets/javascripts/*.js")
             for m in JS_URL.finditer(js.read_text(encoding="utf-8"))}
    assert found <= set(DORMANT), found - set(DORMANT)


@pytest.mark.parametrize("snippet,kind", [
    ('<script src="https://cdn.example.com/x.js"></script>', "html"),
    ('<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Noto">', "html"),
    ('<img srcset="a.png 1x, https://img.example.com/b.png 2x">', "html"),
    ('<a href="https://evil.example.com/">x</a>', "html"),
    ('<p style="background:url(https://x.example.com/a.png)">x</p>', "html"),
    ('<style>@import "https://x.example.com/a.css";</style>', "html"),
    ("@font-face { src: url('https://fonts.gstatic.com/a.woff2') }", "css"),
    ('@import url(//x.example.com/a.css);', "css"),
    ('fetch("https://api.example.com/data")', "js"),
    ("importScripts('//cdn.example.com/lunr.zh.js')", "js"),
    ('{"endpoint": "https://tracker.example.com/hit"}', "json"),
])
def test_the_scanner_catches_every_kind_of_external_load(tmp_path, snippet, kind):
    path = tmp_path / f"page.{kind}"
    path.write_text(snippet, encoding="utf-8")
    assert scan(path, path.name)


@pytest.mark.parametrize("snippet,kind", [
    ('<a href="http://xxgk.siping.gov.cn/szf_4966/zfxxgkml/202009/t20200907_463844.html">原文</a>', "html"),
    ('<a href="https://creativecommons.org/licenses/by/4.0/deed.zh-hans">CC BY 4.0</a>', "html"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>', "html"),
    ("""a { background: url("data:image/svg+xml;charset=utf-8,<svg xmlns='http://www.w3.org/2000/svg'/>") }""", "css"),
    ('{"@context": "http://www.w3.org/ns/csvw", "license": "https://creativecommons.org/licenses/by/4.0/"}', "json"),
])
def test_the_scanner_allows_links_to_sources_and_namespaces(tmp_path, snippet, kind):
    path = tmp_path / f"page.{kind}"
    path.write_text(snippet, encoding="utf-8")
    assert scan(path, path.name) == []
