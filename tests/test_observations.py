"""Progress on targets: the observations table ships empty; when rows exist they appear beside baseline and target and in the chart."""
import csv
import io

from scripts import validate
from scripts.build import write_docs
from scripts.package import field_defs, load, read_tables
from scripts.paths import DATAPACKAGE, DESCRIPTOR

META, TABLES = read_tables(DESCRIPTOR)
# The target the fixture observes: a percentage in a domain (it is drawn in that domain's chart), and one it leaves alone.
TARGET = next(g for g in TABLES["targets"] if g.get("unit") == "%" and g.get("domain_id") and g.get("kind") != "baseline")
OTHER = next(g["id"] for g in TABLES["targets"] if g["id"] != TARGET["id"])

# A fixture only: these figures exist in no published document and never leave the test's temporary folder.
ROWS = [
    ["OB001", TARGET["id"], "2018", "87.5", "测试出处文件甲", "https://example.org/a", ""],
    ["OB002", TARGET["id"], "2019", "88.25", "测试出处文件乙", "", "测试备注"],
]


def with_observations(package):
    rows = package.rows("observations.csv")
    package.write_rows("observations.csv", rows[:1] + ROWS)
    return package


def test_the_observations_table_s_header_is_its_schema_s_fields():
    rows = list(csv.reader(io.StringIO((DATAPACKAGE / "observations.csv").read_text(encoding="utf-8"))))
    assert rows[0] == [f["name"] for f in field_defs(META, "observations")]


def test_a_package_with_two_observations_is_valid(package):
    assert [p.text() for p in validate.problems(with_observations(package).descriptor)] == []


def test_an_observation_of_an_unknown_target_is_reported(package):
    with_observations(package).set("observations.csv", 2, "target_id", "TG999")
    found = validate.problems(package.descriptor)
    assert any(p.file == "observations.csv" and p.row == 2 and "targets.csv 中没有这个编号" in p.message for p in found)


def test_an_observation_without_a_source_document_is_reported(package):
    with_observations(package).set("observations.csv", 2, "source_document", "")
    found = validate.problems(package.descriptor)
    assert any(p.file == "observations.csv" and p.row == 2 and "不能为空" in p.message for p in found)


def test_observations_hang_on_their_target_and_domain(package):
    data = load(with_observations(package).descriptor)
    target = data["by_id"]["targets"][TARGET["id"]]
    assert [o["id"] for o in target["observations"]] == ["OB001", "OB002"]
    assert [o["id"] for o in data["related"][TARGET["domain_id"]]["observations"]] == ["OB001", "OB002"]
    assert data["by_id"]["targets"][OTHER]["observations"] == []


def test_observations_appear_in_the_targets_table_and_the_chart(package, tmp_path):
    write_docs(load(with_observations(package).descriptor), tmp_path / "docs")
    page = (tmp_path / "docs" / "targets" / "index.md").read_text(encoding="utf-8")
    assert '<th scope="col">进展</th>' in page
    row = next(line for line in page.split("<tr") if f'id="{TARGET["id"].lower()}"' in line)
    assert '87.5 %（2018年，<a href="https://example.org/a">测试出处文件甲</a>）' in row
    assert "88.25 %（2019年，测试出处文件乙）" in row
    chart = page[page.index('class="chart"'):]
    assert "实测 88.25%（2019年）" in chart  # the latest year is drawn
    domain = (tmp_path / "docs" / "domains" / f"{TARGET['domain_id']}.md").read_text(encoding="utf-8")
    assert f"{TARGET['indicator']}：87.5%（2018年" in domain and "实测 88.25%（2019年）" in domain


def test_without_observations_the_progress_column_says_none_yet(package, tmp_path):
    package.write_rows("observations.csv", package.rows("observations.csv")[:1])
    write_docs(load(package.descriptor), tmp_path / "docs")
    page = (tmp_path / "docs" / "targets" / "index.md").read_text(encoding="utf-8")
    assert '<td class="progress empty" data-label="进展">—</td>' in page
    assert "实测" not in page[page.index('class="chart"'):]
