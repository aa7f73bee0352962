"""Files the build makes again only when what they are made from changed: the Excel files (openpyxl is the slowest
writer of the build), stored under a SHA-256 of their inputs and of the code that writes them.

    with cache.using(folder):                                   # scripts/build.py: build/cache/ (or <workdir>/cache/)
        data = cache.made("xlsx", (resource, rows, date), make)  # make() only when this digest was never made

Outside `using` (unit tests, the importer, python -m scripts.office.xlsx_templates) `made` simply calls make(). The key
holds every input the caller passes, the source of the modules that write the file (KEYED_CODE) and the versions of
Python and openpyxl, so a change to the data, the schema, the writer or the library makes a new file; an old entry is
never read again (`make clean` removes build/). The bytes are the writer's own, so a cached file and a fresh one are
identical (the writers are reproducible; tests/test_reproducible.py builds twice in separate work folders, so it
compares fresh files, not cached ones).
"""
import contextlib
import functools
import hashlib
import json
import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Callable

from .paths import ROOT

KEYED_CODE = ["scripts/cache.py", "scripts/publish/formats.py", "scripts/office/xlsx_templates.py"]
_folder: Path | None = None


def _tagged(value):
    """A value JSON cannot write (a date, a decimal), with its type, so 2017 and "2017" never share a key."""
    return [type(value).__name__, str(value)]


@functools.cache
def _code() -> bytes:
    parts = [platform.python_version(), metadata.version("openpyxl")]
    parts += [hashlib.sha256((ROOT / p).read_bytes()).hexdigest() for p in KEYED_CODE]
    return "\n".join(parts).encode()


def key(kind: str, inputs) -> str:
    """The SHA-256 of `kind`, the inputs (JSON, keys sorted) and the writing code."""
    digest = hashlib.sha256(kind.encode() + b"\0" + _code() + b"\0")
    digest.update(json.dumps(inputs, ensure_ascii=False, sort_keys=True, default=_tagged).encode("utf-8"))
    return digest.hexdigest()


def made(kind: str, inputs, make: Callable[[], bytes]) -> bytes:
    """The bytes make() gives for these inputs: from the cache when it holds them, else made now (and stored)."""
    if _folder is None:
        return make()
    path = _folder / kind / f"{key(kind, inputs)}.bin"
    if path.is_file():
        return path.read_bytes()
    data = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)  # whole or not at all: a build that stops half-way leaves no broken entry
    return data


@contextlib.contextmanager
def using(folder: Path):
    """Inside, `made` keeps and reuses files under `folder`."""
    global _folder
    before, _folder = _folder, Path(folder)
    try:
        yield
    finally:
        _folder = before
