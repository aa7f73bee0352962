"""What the pages claim about the data: every count computed from the package, each field's own document and section,
years the sentence does not state, the hotline only where the text gives it, contacts only from the contacts table.

Render-only (no mkdocs): a copy of the package, changed one way with clearly fictional rows, rendered to Markdown."""
import re

from scripts import validate
from scripts.package import load
from scripts.site import render

from broken_packages import register_fiction


def pages(package, tmp_path):
    out = tmp_path / "docs"
    render.render(load(package.descriptor), out, [])
    return out


def add_fiction_service(package, kind="服务", lead=""):
    """A clearly fictional service quoted from the fictional registered document (never from the plan)."""
    register_fiction(package)
    rows = package.rows("services.csv")
    header, last = rows[0], rows[-1]
    row = dict(zip(header, last))
    number = int(last[0][1:]) + 1
    row.update({k: "" for k in header if not k.endswith("_status")})
    row.update(id=f"S{number:03d}", domain_id="social", name="测试服务", kind=kind, name_quote="虚构市测试服务局负责测试服务",
               section="【测试用虚构文件】虚构市机构改革通知", source="fiction-reorg")
    row.update({k: "未随正文公开" for k in header if k.endswith("_status")})
    if lead:
        row.update(lead_department=lead, lead_department_status="其他文件载明", lead_department_quote="虚构市测试服务局负责测试服务")
    rows.append([row[h] for h in header])
    package.write_rows("services.csv", rows)
    words = package.rows("vocabulary.csv")  # every service needs its everyday words (the search vocabulary's rule)
    word = dict.fromkeys(words[0], "")
    word.update(word="测试叫法", kind="叫法", service_id=row["id"])
    package.write_rows("vocabulary.csv", words + [[word[h] for h in words[0]]])
    return row["id"]


def counted(text: str, label: str) -> int:
    return int(re.search(label + r"\D*?(\d+)", text)[1])


COUNTED = "本站收录(?:文件正文|文件正文和清单)点名的服务"  # the home page's count, before and after the list is published


def test_adding_a_fixture_service_changes_every_count_the_site_shows(package, tmp_path):
    before = pages(package, tmp_path / "a")
    add_fiction_service(package)
    assert [p.text() for p in validate.problems(package.descriptor)] == []
    after = pages(package, tmp_path / "b")
    home = lambda d: (d / "index.md").read_text(encoding="utf-8")
    index = lambda d: (d / "services" / "index.md").read_text(encoding="utf-8")
    assert counted(home(after), COUNTED) == counted(home(before), COUNTED) + 1
    assert counted(index(after), "文件正文点名的") == counted(index(before), "文件正文点名的") + 1
    row = lambda d: next(line for line in home(d).splitlines() if line.startswith("| [社会服务]"))
    assert int(row(after).split("|")[2]) == int(row(before).split("|")[2]) + 1


def test_a_policy_is_listed_apart_and_not_counted_as_a_service(package, tmp_path):
    before = pages(package, tmp_path / "a")
    sid = add_fiction_service(package, kind="制度政策")
    after = pages(package, tmp_path / "b")
    home = lambda d: (d / "index.md").read_text(encoding="utf-8")
    assert counted(home(after), COUNTED) == counted(home(before), COUNTED)
    index = (after / "services" / "index.md").read_text(encoding="utf-8")
    assert f"({sid}.md)" in index.split("## 正文点名的制度和政策")[1]
    assert "不计入服务项目数" in (after / "services" / f"{sid}.md").read_text(encoding="utf-8")


def test_a_year_the_sentence_does_not_state_is_shown_as_within_the_plan_period(package, tmp_path):
    out, data = pages(package, tmp_path), load(package.descriptor)
    table = (out / "targets" / "index.md").read_text(encoding="utf-8")
    rows = {m[1]: m[2] for m in re.finditer(r'<tr data-domain="[^"]*" id="([a-z0-9]+)">(.*?)</tr>', table, re.S)}
    assert rows
    for g in data["tables"]["targets"]:
        row = rows[g["id"].lower()]
        if g["year_basis"] == "规划期末":
            assert "规划期内，未写明年份" in row and f"（{g['year']}年）" not in row, g["id"]
        else:
            assert f"（{g['year']}年）" in row, g["id"]


def test_each_field_shows_the_document_and_section_of_its_own_quote(package, tmp_path):
    out, data = pages(package, tmp_path), load(package.descriptor)
    holders = [(x["text"], x["id"]) for x in data["tables"]["tasks"] + data["tables"]["measures"]]
    checked = 0
    for s in data["tables"]["services"]:
        page = (out / "services" / f"{s['id']}.md").read_text(encoding="utf-8")
        for f in data["annex_fields"]:
            quote = s.get(f["quote"])
            if not quote:
                continue
            where = s["provenance"][f["quote"]]
            holder = next((i for text, i in holders if quote in text), None)
            if holder:
                record = data["by_id"]["tasks"].get(holder) or data["by_id"]["measures"][holder]
                assert record["title"] in where["section"], (s["id"], f["name"])
                assert where["document"]["id"] == s["source"]
                assert where["document"]["title"] in page
                checked += 1
    assert checked


def test_every_number_to_call_on_a_service_page_is_a_hotline_or_contact_row_with_its_quote(package, tmp_path):
    out, data = pages(package, tmp_path), load(package.descriptor)
    for s in data["tables"]["services"]:
        page = (out / "services" / f"{s['id']}.md").read_text(encoding="utf-8")
        numbers = re.findall(r'href="tel:([0-9-]+)"', page)
        assert numbers == [c["phone"] for c in s["contacts"] if c.get("phone")] + [h["phone"] for h in s["hotlines"]], s["id"]
        for h in s["hotlines"]:
            assert h["quote"].replace("(", "\\(").replace(")", "\\)") in page or h["quote"] in page, (s["id"], h["id"])


def test_a_contact_row_with_a_source_appears_on_the_page_of_its_department(package, tmp_path):
    sid = add_fiction_service(package, lead="虚构市测试服务局")
    package.write_rows("contacts.csv", package.rows("contacts.csv") + [
        ["C001", "虚构市测试服务局", "", "", "虚构市测试服务局负责测试服务", "【测试用虚构文件】虚构市机构改革通知", "fiction-reorg"]])
    assert [p.text() for p in validate.problems(package.descriptor)] == []
    out = pages(package, tmp_path)
    assert "虚构市机构改革通知" in (out / "services" / f"{sid}.md").read_text(encoding="utf-8").split("## 怎么咨询")[1]
    assert "虚构市测试服务局" not in (out / "services" / "S001.md").read_text(encoding="utf-8")


def test_a_contact_without_a_registered_published_source_is_refused(package):
    package.write_rows("contacts.csv", package.rows("contacts.csv") + [
        ["C001", "虚构市测试服务局", "", "", "虚构市测试服务局负责测试服务", "【测试用虚构文件】虚构市机构改革通知", "annex-2"]])
    assert any(p.file == "contacts.csv" and p.row == 2 for p in validate.problems(package.descriptor))


def test_the_about_page_lists_as_unpublished_exactly_the_documents_the_data_marks_so(package, tmp_path):
    """关于本站 says which annexes have only their titles from documents.csv, so the office's update that publishes
    the list changes it too; the list's declared size comes from the descriptor."""
    from broken_packages import list_unpublished
    list_unpublished(lambda pkg: None)(package)
    data = load(package.descriptor)
    about = (pages(package, tmp_path / "a") / "about.md").read_text(encoding="utf-8").split("{: #missing }")[1]
    listed = data["meta"]["serviceList"]
    for d in data["tables"]["documents"]:
        assert (f"《{d['title']}》" in about) == (d["status"] == "未随正文公开"), d["id"]
    assert f"{listed['declaredItems']} 个项目" in about
    rows = package.rows("documents.csv")
    for i, row in enumerate(rows[1:], start=2):
        if row[rows[0].index("status")] == "未随正文公开":
            package.set("documents.csv", i, "status", "全文公开")
    about = (pages(package, tmp_path / "b") / "about.md").read_text(encoding="utf-8").split("{: #missing }")[1]
    assert "都已公开" in about and "只登载了以下内容的" not in about
