"""The rules of reading the text: each is written in the data dictionary or a validator docstring, and each fires on a
copy of the package broken one way. Rows are fixed only through the rule that would have caught them."""
import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scripts import validate
from scripts.package import load, read_tables, same_sentence
from scripts.paths import DESCRIPTOR
from scripts.site.charts import domain_chart
from scripts.site.render import page_environment
from scripts.templating import environment, figure, year
from scripts.validate.corpus import document_texts
from scripts.validate.dated import dated_commitments
from scripts.validate.numbers import whole_number_in
from scripts.validate.rules import cell_problems


def problems_with(package, text, file=None):
    found = validate.problems(package.descriptor)
    hits = [p for p in found if text in p.text() and (file is None or p.file == file)]
    assert hits, f"expected «{text}», got:\n" + "\n".join(p.text() for p in found)
    return hits


def row_of(package, file, id_):
    """The Excel row (header = 1) of the record `id_`."""
    rows = package.rows(file)
    return next(i + 1 for i, r in enumerate(rows) if i and r[0] == id_)


def set_by_id(package, file, id_, **values):
    for column, value in values.items():
        package.set(file, row_of(package, file, id_), column, value)


def append_row(package, file, record):
    rows = package.rows(file)
    rows.append([record.get(c, "") for c in rows[0]])
    package.write_rows(file, rows)


def first_id(package, file, **where):
    rows = package.rows(file)
    header = rows[0]
    return next(r[0] for r in rows[1:] if all(r[header.index(k)] == v for k, v in where.items()))


# ---- whole numbers (issue 22, point 5) ----

def test_a_value_matches_only_a_whole_number_of_its_quote():
    assert not whole_number_in("9", "全市九年义务教育巩固率达到99%")
    assert not whole_number_in("5.1", "累计建设保障性安居住房5.16万套")
    assert not whole_number_in("100", "每年新增住房保障家庭1000户")
    assert not whole_number_in("二", "十二")
    assert whole_number_in("99", "达到99%") and whole_number_in("5.16", "5.16万套")
    assert whole_number_in("两", "两个区通过") and whole_number_in("二", "建设国家二级以上等级殡仪馆")


def _targets():
    meta, tables = read_tables(DESCRIPTOR)
    resource = next(r for r in meta["resources"] if r["name"] == "targets")
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    raw = list(csv.DictReader(io.StringIO((DESCRIPTOR.parent / "targets.csv").read_text(encoding="utf-8"))))
    texts = document_texts(DESCRIPTOR.parent, [{k: str(v or "") for k, v in d.items()} for d in tables["documents"]])
    return raw, fields, texts


TARGETS, TARGET_FIELDS, TEXTS = _targets()


def value_refused(record: dict) -> bool:
    found = cell_problems("targets.csv", 2, 2, record, TARGET_FIELDS, None)
    return any(p.column and p.column.endswith("（value）") for p in found)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_adding_or_dropping_a_digit_in_any_target_is_refused(data):
    """Every target, one digit added or dropped anywhere in its value: the value check refuses it (never a substring)."""
    record = data.draw(st.sampled_from(TARGETS))
    value = record["value"]
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    if data.draw(st.booleans()) and len(digits) > 1:
        i = data.draw(st.sampled_from(digits))
        changed = value[:i] + value[i + 1:]
    else:
        i = data.draw(st.integers(0, len(value)))
        changed = value[:i] + data.draw(st.sampled_from("0123456789")) + value[i:]
    if changed.startswith(".") or changed.endswith(".") or (changed[0] == "0" and len(changed) > 1 and changed[1] != ".") \
            or float(changed) == float(value):
        return  # not another number as written (a leading zero, a trailing decimal zero)
    assert not value_refused(record), record["id"]
    assert value_refused({**record, "value": changed}), (record["id"], value, changed)


# ---- code lists, comparators and units ----

def test_a_code_value_a_spreadsheet_reads_as_a_formula_is_refused(package):
    def change(d):
        field = next(f for f in package.resource(d, "targets")["schema"]["fields"] if f["name"] == "comparator")
        field["constraints"]["enum"].append("=")
    package.edit_descriptor(change)
    problems_with(package, "会把它当作公式", "datapackage.json")


def test_no_code_value_in_the_real_package_starts_like_a_formula():
    meta, _ = read_tables(DESCRIPTOR)
    values = [v for r in meta["resources"] for f in r["schema"]["fields"] for v in (f.get("constraints") or {}).get("enum", [])]
    assert values and not any(str(v).startswith(("=", "+", "-", "@")) for v in values)


def test_a_grade_read_by_its_digits_is_refused(package):
    tid = first_id(package, "targets.csv", unit="级")
    set_by_id(package, "targets.csv", tid, comparator="≥")
    problems_with(package, "会被读反", "targets.csv")


def test_the_grade_comparator_on_a_quantity_is_refused(package):
    set_by_id(package, "targets.csv", first_id(package, "targets.csv", unit="%"), comparator="等级或更高")
    problems_with(package, "只用于等级", "targets.csv")


def test_a_unit_in_brackets_is_refused_as_a_second_spelling(package):
    set_by_id(package, "targets.csv", first_id(package, "targets.csv", unit="人次"), unit="人(次)")
    problems_with(package, "带了括号", "targets.csv")


def test_a_count_of_the_items_of_a_list_is_not_a_target(package):
    tid = first_id(package, "targets.csv", unit="%")
    set_by_id(package, "targets.csv", tid, value="12", unit="项", quote="传染病和突发公共卫生事件报告和处理、卫生计生监督协管等12项工作")
    problems_with(package, "数的是前面列出的几项", "targets.csv")


def test_a_numeral_in_a_quoted_name_is_not_a_target(package):
    tid = first_id(package, "targets.csv", kind="baseline")
    set_by_id(package, "targets.csv", tid, value="6", unit="路", year="2011",
              quote="全市保障性安居工程从“十二五”初期(2011年)的“六路安居”扩展到“八路安居”")
    problems_with(package, "是名称的一部分", "targets.csv")


def test_the_figure_follows_the_comparator_codes():
    assert figure({"comparator": "等于", "value": 99.0, "unit": "%"}) == "99%"
    assert figure({"comparator": "≥", "value": 95, "unit": "%"}) == "≥95%"
    assert figure({"comparator": "等级或更高", "value": 2, "unit": "级"}) == "2级或更高等级"


# ---- years ----

def test_十三五末_is_not_a_written_year(package):
    tid = next(r["id"] for r in TARGETS if "十三五”末" in r["quote"] or "十三五”期间" in r["quote"])
    set_by_id(package, "targets.csv", tid, year_basis="原文载明")
    problems_with(package, "“十三五”末、“十三五”期间不是写明的年份", "targets.csv")


def test_a_year_earlier_in_the_paragraph_governs_and_must_be_recorded(package):
    governed = next(r for r in TARGETS if r["year_quote"])
    set_by_id(package, "targets.csv", governed["id"], year_basis="规划期末", year_quote="")
    problems_with(package, "同一段前面写了", "targets.csv")


def test_a_year_quote_that_is_not_before_the_quote_in_its_paragraph_is_refused(package):
    governed = next(r for r in TARGETS if r["year_quote"])
    set_by_id(package, "targets.csv", governed["id"], year_quote="到2020年,全市基本公共服务体系更加完善")
    problems_with(package, "不是同一段中、摘录之前写明", "targets.csv")


def test_a_milestone_without_a_written_year_is_refused(package):
    append_row(package, "milestones.csv", {
        "id": "MS99", "domain_id": "edu", "milestone": "全市职业教育综合发展水平进入全省前列", "year": "2020",
        "year_text": "“十三五”期间", "kind": "target", "task_id": "T04", "quote": "“十三五”期间,全市职业教育综合发展水平进入全省前列",
        "section": "三、主要任务 / (一)基本公共教育 / 4. 强化服务能力,加快发展现代职业教育", "source": "plan"})
    problems_with(package, "没有用数字写出 2020 年", "milestones.csv")


def test_a_dated_commitment_of_the_text_without_a_milestone_is_reported(package):
    rows = package.rows("milestones.csv")
    dropped = next(r for r in rows[1:] if "所有" in r[rows[0].index("milestone")] or "全部" in r[rows[0].index("milestone")])
    package.write_rows("milestones.csv", [r for r in rows if r is not dropped])
    problems_with(package, "是写明年份的承诺，但没有对应的时间节点", "milestones.csv")


def test_the_scan_reads_clause_years_and_skips_dates_names_and_baselines():
    text = "截至2015年,巩固率达到99%。实施计划(2016-2020年)。2017年12月19日 到2020年,所有卫生院具备能力;2018年完成改造任务。"
    found = [(span, must) for _, span, must in dated_commitments(text)]
    assert found == [("到2020年,所有卫生院具备能力", True), ("2018年完成改造任务", True)]


def test_every_year_on_a_page_goes_through_one_function():
    assert year({"year": 2020, "year_basis": "规划期末"}) == "规划期内，未写明年份"
    assert year({"year": 2018, "year_basis": "原文载明"}) == "2018年"
    assert year({"year": 2017}) == "2017年"
    undated = {"id": "X", "indicator": "覆盖率", "unit": "%", "value": 100.0, "kind": "target", "comparator": "等于",
               "year": 2020, "year_basis": "规划期末", "observations": []}
    svg = domain_chart([undated])
    assert "规划期内，未写明年份" in svg and "（2020）" not in svg and "2020年" not in svg


# ---- services ----

@pytest.mark.parametrize("field,value,quote,text", [
    ("target_population", "农村贫困家庭", "从切实保障农村贫困家庭的基本居住安全和改善农村居住环境出发", "说明目的的分句"),
    ("target_population", "老年人、未成年人", "以老年人、未成年人作为城乡公共文化服务的重点对象,积极开展针对性强的公益性文化艺术培训服务、展演和科普活动", "的重点对象，不是"),
    ("content_standard", "城乡全覆盖", "实施孕前优生健康检查,推进孕前优生健康检查城乡全覆盖,加强质量控制。", "是要达到的目标"),
    ("content_standard", "全市培训残疾人4000人(次)", "全市培训残疾人4000人(次),城镇新增残疾人就业3500人,参加生产劳动的农村残疾人稳定在3000人。", "是任务的总量"),
])
def test_a_field_quote_that_does_not_state_the_field_for_the_service_is_refused(package, field, value, quote, text):
    sid = first_id(package, "services.csv", kind="服务", **{f"{field}_status": "未随正文公开"})
    set_by_id(package, "services.csv", sid, **{field: value, f"{field}_status": "正文载明", f"{field}_quote": quote})
    problems_with(package, text, "services.csv")


def test_a_word_of_the_service_name_is_not_who_pays(package):
    sid = first_id(package, "services.csv", kind="服务", funding_status="未随正文公开")
    rows = package.rows("services.csv")
    name = rows[row_of(package, "services.csv", sid) - 1][rows[0].index("name")]
    quote = rows[row_of(package, "services.csv", sid) - 1][rows[0].index("name_quote")]
    set_by_id(package, "services.csv", sid, funding=name[:2], funding_status="正文载明", funding_quote=quote)
    problems_with(package, "是服务名称", "services.csv")


def test_a_target_is_related_to_a_service_only_when_one_sentence_says_both():
    text = "实施甲服务,提高标准。灾后12小时内受灾人员得到救助。"
    near = {"quote": "灾后12小时内受灾人员得到救助"}
    assert same_sentence(["实施甲服务,提高标准。"], [near], text) == []
    assert same_sentence(["灾后12小时内受灾人员得到救助"], [near], text) == [near]


@pytest.fixture(scope="module")
def data():
    return load()


def render_service(data, s):
    env = page_environment(data)
    return env.get_template("service.md.j2").render(**data, s=s)


def test_a_policy_page_never_says_it_cannot_be_applied_for(data):
    for s in data["policies"]:
        page = render_service(data, s)
        assert "不是个人可以申请" not in page and "以下面的原文为准" in page, s["id"]


def test_unpublished_fields_say_only_that_they_were_not_published_with_the_text(data):
    shown = 0
    missing = [s for s in data["tables"]["services"] if any(s[f["status"]] == data["UNPUBLISHED"] for f in data["annex_fields"])]
    for s in (missing[:4] + data["policies"][:2]) or data["tables"]["services"][:2]:  # one template: a few pages show it
        page = render_service(data, s)
        assert "清单公开后" not in page and "写在清单里" not in page, s["id"]
        if any(s[f["status"]] == data["UNPUBLISHED"] for f in data["annex_fields"]):
            assert data["UNPUBLISHED"] in page or data["list_published"]
            shown += 1
    assert shown or data["list_published"]


# ---- search words ----

def test_a_search_word_calling_a_service_free_needs_the_text_to_say_so(package):
    sid = first_id(package, "services.csv", kind="服务")
    append_row(package, "vocabulary.csv", {"word": "免费办理", "kind": "叫法", "service_id": sid})
    problems_with(package, "说这项服务免费", "vocabulary.csv")


# ---- claims on pages ----

def test_only_pages_that_reproduce_the_offices_text_carry_its_content_source(data):
    env = page_environment(data)
    marked = {name for name in ("plan.md.j2", "tasks.md.j2", "measures.md.j2", "home.md.j2", "targets.md.j2", "services.md.j2")
              if "reproduces_office_text: true" in env.get_template(name).render(**data, text=[]).split("---")[1]}
    assert marked == {"plan.md.j2", "tasks.md.j2", "measures.md.j2"}
    assert "page.meta.reproduces_office_text" in (DESCRIPTOR.parent.parent / "overrides" / "main.html").read_text(encoding="utf-8")


def test_the_number_of_domains_is_computed_not_typed(data):
    env = environment(chart=lambda targets: "")
    fewer = {**data, "domains": data["domains"][:3]}
    for name in ("home.md.j2", "domains.md.j2"):
        page = env.get_template(name).render(**fewer)
        assert "服务领域（3 个）" in page and "八个" not in page, name
