"""Every path the project uses, derived from this file's location."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATAPACKAGE = ROOT / "datapackage"
DESCRIPTOR = DATAPACKAGE / "datapackage.json"
SOURCES = DATAPACKAGE / "sources"
TEMPLATES = ROOT / "scripts" / "templates"
DOCS = ROOT / "docs"
SITE = ROOT / "site"
MKDOCS_YML = ROOT / "mkdocs.yml"
BUILD = ROOT / "build"
BUILD_DOCS = BUILD / "docs"  # hand-written docs/ + generated pages; mkdocs.yml's docs_dir
OVERRIDES = ROOT / "overrides"
RELEASES = ROOT / "releases"  # frozen download files of every published version, releases/v<version>/
INBOX = ROOT / "inbox"  # workbooks the office uploads on GitHub; the inbox workflow imports them (scripts/office/inbox.py)
