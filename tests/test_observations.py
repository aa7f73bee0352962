"""Progress on targets: the observations table ships empty; when rows exist they appear beside baseline and target and in the chart."""
import csv
import io

from scripts import validate
from scripts.build import write_docs
from scripts.package import load
from scripts.paths import DATAPACKAGE, DESCRIPTOR

# A fixture only: these figures exist in no published document and never leave the test's temporary folder.
ROWS = [
    ["OB001", "TG012", "2018", "87.5", "测试出处文件甲", "https://example.org/a", ""],
    ["OB002", "TG012", "2019", "88.25", "测试出处文件乙", "", "测试备注"],
]


def with_observations(package):
    rows = package.rows("observations.csv")
    package.write_rows("observations.csv", rows[:1] + ROWS)
    return package


def test_the_published_observations_table_has_only_its_header():
    rows = list(csv.reader(io.StringIO((DATAPACKAGE / "observations.csv").read_text(encoding="utf-8"))))
    assert rows == [["id", "target_id", "year", "value", "source_document", "source_url", "note"]]


def test_a_package_with_two_observations_is_valid(package):
    assert [p.text() for p in validate.problems(with_observations(package).descriptor)] == []


def test_an_observation_of_an_unknown_target_is_reported(package):
    with_observations(package).set("observations.csv", 2, "target_id", "TG999")
    found = validate.problems(package.descriptor)
    assert any(p.file == "observations.csv" and p.row == 2 and "在 targets.csv 中不存在" in p.message for p in found)


def test_an_observation_without_a_source_document_is_reported(package):
    with_observations(package).set("observations.csv", 2, "source_document", "")
    found = validate.problems(package.descriptor)
    assert any(p.file == "observations.csv" and p.row == 2 and "不能为空" in p.message for p in found)


def test_observations_hang_on_their_target_and_domain(package):
    data = load(with_observations(package).descriptor)
    target = data["by_id"]["targets"]["TG012"]
    assert [o["id"] for o in target["observations"]] == ["OB001", "OB002"]
    assert [o["id"] for o in data["related"]["edu"]["observations"]] == ["OB001", "OB002"]
    assert data["by_id"]["targets"]["TG001"]["observations"] == []


def test_observations_appear_in_the_targets_table_and_the_chart(package, tmp_path):
    write_docs(load(with_observations(package).descriptor), tmp_path / "docs")
    page = (tmp_path / "docs" / "targets" / "index.md").read_text(encoding="utf-8")
    assert '<th scope="col">进展</th>' in page
    row = next(line for line in page.split("<tr") if 'id="tg012"' in line)
    assert '87.5 %（2018年，<a href="https://example.org/a">测试出处文件甲</a>）' in row
    assert "88.25 %（2019年，测试出处文件乙）" in row
    svg = page[page.index("<svg"):]
    assert "实测 88.25%（2019）" in svg  # the latest year is drawn
    domain = (tmp_path / "docs" / "domains" / "edu.md").read_text(encoding="utf-8")
    assert "学前三年毛入园率：87.5%（2018年" in domain and "实测 88.25%（2019）" in domain


def test_without_observations_the_progress_column_says_none_yet(tmp_path):
    write_docs(load(DESCRIPTOR), tmp_path / "docs")
    page = (tmp_path / "docs" / "targets" / "index.md").read_text(encoding="utf-8")
    assert '<td class="progress empty" data-label="进展">—</td>' in page
    assert "实测" not in page[page.index("<svg"):]
