"""Fixtures: a throw-away copy of the real data package, and small helpers to break it one way at a time."""
import csv
import io
import json
import shutil

import pytest

from scripts.paths import DATAPACKAGE


class Package:
    """A copy of datapackage/ in a temporary folder."""

    def __init__(self, root):
        self.root = root
        self.descriptor = root / "datapackage.json"

    def rows(self, file):
        return list(csv.reader(io.StringIO((self.root / file).read_text(encoding="utf-8"))))

    def write_rows(self, file, rows):
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (self.root / file).write_text(out.getvalue(), encoding="utf-8")

    def set(self, file, row, column, value):
        """Set one cell; `row` as Excel numbers it (header = 1)."""
        rows = self.rows(file)
        rows[row - 1][rows[0].index(column)] = value
        self.write_rows(file, rows)

    def get(self, file, row, column):
        rows = self.rows(file)
        return rows[row - 1][rows[0].index(column)]

    def edit_descriptor(self, change):
        d = json.loads(self.descriptor.read_text(encoding="utf-8"))
        change(d)
        self.descriptor.write_text(json.dumps(d, ensure_ascii=False, indent=2), encoding="utf-8")

    def resource(self, d, name):
        return next(r for r in d["resources"] if r["name"] == name)


@pytest.fixture
def package(tmp_path):
    shutil.copytree(DATAPACKAGE, tmp_path / "datapackage")
    return Package(tmp_path / "datapackage")
