"""Random cells, rows and bytes never crash the validator (it returns a list of problems), and valid random texts never
crash the renderer. Example counts are kept small so the suite stays fast; the strategies lean on the inputs that broke
things before: control characters, direction marks, quotes, commas and line breaks, full-width digits, very long strings."""
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import Package
from scripts import validate
from scripts.build import write_docs
from scripts.package import load
from scripts.paths import DATAPACKAGE
from scripts.validate.problem import Problem

SPECIAL = ["\x00", "\x07", "\r", "\n", "\r\n", '"', '""', ",", "，", "；", ";", "\t", "\u200b", "\u200e", "\u200f", "\u202e",
           "\u2028", "\ufeff", "\u3000", "\xa0", "０１２", "１，０００", "%", "=1+1", "@A1", "<script>", "{{ x }}", "{%", "\\", "../"]
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(SPECIAL) | st.text(max_size=5), max_size=8).map("".join),
    st.integers(1, 3000).map(lambda n: "長" * n),
    st.integers(1, 3000).map(lambda n: "W" * n),
)
TABLES = {"targets.csv": 13, "tasks.csv": 6, "services.csv": 21, "changes.csv": 4, "audiences.csv": 7, "measures.csv": 9}
FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

_BASE = Path(tempfile.mkdtemp(prefix="fuzz-")) / "datapackage"
shutil.copytree(DATAPACKAGE, _BASE)
PKG = Package(_BASE)

pytestmark = pytest.mark.slow  # about 20 s of validator and renderer runs: make test-fast skips them, make test runs them
ORIGINAL = {p.name: p.read_bytes() for p in _BASE.glob("*") if p.is_file()}


def restore():
    for name, data in ORIGINAL.items():
        (_BASE / name).write_bytes(data)


def check() -> list:
    found = validate.problems(PKG.descriptor)
    assert isinstance(found, list) and all(isinstance(p, Problem) for p in found)
    assert all(p.file and p.message and p.fix for p in found)
    return found


@FAST
@given(file=st.sampled_from(sorted(TABLES)), row=st.integers(2, 4), column=st.integers(0, 20), value=TEXT)
def test_a_random_cell_never_crashes_the_validator(file, row, column, value):
    try:
        rows = PKG.rows(file)
        rows[1 + (row - 2) % (len(rows) - 1)][column % len(rows[0])] = value
        PKG.write_rows(file, rows)
        check()
    finally:
        restore()


@FAST
@given(file=st.sampled_from(sorted(TABLES)), cells=st.lists(TEXT, min_size=0, max_size=25))
def test_a_random_row_never_crashes_the_validator(file, cells):
    try:
        PKG.write_rows(file, PKG.rows(file) + [cells])
        check()
    finally:
        restore()


@settings(max_examples=15, deadline=None)
@given(file=st.sampled_from(sorted(TABLES)), line=st.integers(1, 5), raw=TEXT)
def test_a_random_line_written_raw_into_the_file_never_crashes_the_validator(file, line, raw):
    """Written without CSV quoting, so stray quotes, commas and line breaks break the file's structure."""
    try:
        lines = (_BASE / file).read_text(encoding="utf-8").split("\n")
        lines.insert(line, raw)
        (_BASE / file).write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
        assert validate.problems(PKG.descriptor)
    finally:
        restore()


@settings(max_examples=15, deadline=None)
@given(file=st.sampled_from(sorted(TABLES) + ["datapackage.json"]), data=st.binary(max_size=300))
def test_random_bytes_never_crash_the_validator(file, data):
    try:
        (_BASE / file).write_bytes(data)
        assert validate.problems(PKG.descriptor)
    finally:
        restore()


# Fields not checked against the source text: any text an editor types there is valid, and must render.
FREE = [("audiences.csv", "description"), ("audiences.csv", "name"), ("targets.csv", "indicator"), ("changes.csv", "summary")]
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff"),
                    min_size=1, max_size=60).map(str.strip).filter(lambda s: s and "  " not in s)
RENDERED = st.one_of(PRINTABLE, st.lists(st.sampled_from(["<b>", "[x](y)", "{{ 1 }}", "{% if %}", "*", "#", "|", "---", ": ", "\\", "`",
                                                          "１２", "=1", "\"", "，", "W" * 300]), min_size=1, max_size=6).map("".join))


@settings(max_examples=6, deadline=None)
@given(values=st.fixed_dictionaries({where: RENDERED for where in FREE}), row=st.integers(2, 3))
def test_valid_random_texts_never_crash_the_renderer(values, row):
    """Each example writes a random text into every free field at once and renders once: 6 renders try 24 texts,
    6 in each field (one text in one field per render tried 15 in 15 renders)."""
    try:
        for (file, column), value in values.items():
            PKG.set(file, 2 if file == "changes.csv" else row, column, value)
        assume(validate.problems(PKG.descriptor) == [])
        out = Path(tempfile.mkdtemp(prefix="fuzz-docs-"))
        try:
            assert write_docs(load(PKG.descriptor), out / "docs") > 0
        finally:
            shutil.rmtree(out)
    finally:
        restore()
