"""The annex published, the way the office would do it: the fictional test annex (tests/fixtures/annex/, 测试附件 — TEST
DATA, never put into the real datapackage/) uploaded to inbox/ as it arrived, with three workbooks made from the package's
own tables: documents (the list registered as 全文公开, its 原文文本 naming the upload), services (three list items
added, their values 清单载明 and quoted from the annex's cells) and changes (a new row with the next version).

    .venv/bin/python -m tests.annex_fixture DIR   # DIR/datapackage and DIR/inbox: a copy of the package, annex published

Everything is derived from the package it is given (the list's document id, the next free service ids and 清单序号, the
next version), so it works on any valid package.
"""
import csv
import io
import json
import shutil
import sys
from pathlib import Path

from openpyxl import Workbook

FIXTURES = Path(__file__).parent / "fixtures" / "annex"
DOCX, PDF = FIXTURES / "测试附件.docx", FIXTURES / "测试附件.pdf"
HEADING = "测试附件：虚构的基本公共服务清单（测试数据，不是真实文件）"
# (服务项目, 服务对象, 服务内容和标准, 支出责任, 牵头负责单位): cells of the test annex's table, as a clerk copies them
ITEMS = [
    ("测试项目甲", "虚构镇的测试居民", "每年为每位测试居民提供一次虚构的示例服务，内容写得较长，以便在表格中折成几行", "虚构市财政承担", "虚构市测试局"),
    ("测试项目乙", "虚构县的测试学生", "为测试学生提供虚构的示例补助，标准为每人每年三百元", "虚构县财政承担", "虚构县测试局"),
    ("测试项目丙", "全体测试人员", "提供虚构的示例咨询服务", "虚构市和虚构县共同承担", "虚构市示例中心"),
]
ANNEX_FIELDS = ("target_population", "content_standard", "funding", "lead_department")


def rows(folder: Path, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((Path(folder) / f"{name}.csv").read_text(encoding="utf-8"))))


def fields(folder: Path, name: str) -> list[dict]:
    meta = json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in meta["resources"] if r["name"] == name)["schema"]["fields"]


def workbook(folder: Path, name: str, records: list[dict], out: Path) -> Path:
    """A workbook as the site's template gives it: one header row of Chinese titles, every cell typed as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = name
    titles = [(f["name"], f.get("title", f["name"])) for f in fields(folder, name)]
    ws.append([t for _, t in titles])
    for r in records:
        ws.append([r.get(n, "") for n, _ in titles])
    wb.save(out)
    return out


def next_version(version: str) -> str:
    major, minor, _ = (int(x) for x in version.split("."))
    return f"{major}.{minor + 1}.0"


def annex_services(folder: Path) -> list[dict]:
    """Three new services, one per item of the test annex: the next free ids and 清单序号, their values quoted from cells."""
    meta = json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))
    listed = meta["serviceList"]["document"]
    services = rows(folder, "services")
    first = max(int(s["id"][1:]) for s in services) + 1
    free = [n for n in range(1, meta["serviceList"]["declaredItems"] + 1) if str(n) not in {s["annex_item"] for s in services}]
    domain = rows(folder, "domains")[0]["id"]
    out = []
    for i, (name, *values) in enumerate(ITEMS):
        record = {f["name"]: "" for f in fields(folder, "services")}
        record.update(id=f"S{first + i:03d}", domain_id=domain, name=name, kind="服务", name_quote=name, source=listed,
                      section=HEADING if i == 0 else "", annex_item=str(free[i]))  # 所在章节: the annex's heading, or empty
        for field, value in zip(ANNEX_FIELDS, values):
            record.update({field: value, f"{field}_status": "清单载明", f"{field}_quote": value})
        out.append(record)
    return out


def upload_annex(folder: Path, inbox: Path, original: Path = DOCX, upload_as: str = "附件1") -> dict:
    """Put the annex and the three workbooks into `inbox` for the package in `folder`; returns what the test checks."""
    folder, inbox = Path(folder), Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    meta = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    listed = meta["serviceList"]["document"]
    upload = f"{upload_as}{original.suffix}"
    shutil.copyfile(original, inbox / upload)
    documents = rows(folder, "documents")
    for d in documents:
        if d["id"] == listed:
            d.update(status="全文公开", text_path=upload)
    services = annex_services(folder)
    changes = rows(folder, "changes")
    version = next_version(max((c["version"] for c in changes), key=lambda v: [int(x) for x in v.split(".")]))
    changes.append({"version": version, "date": max(c["date"] for c in changes), "document": "测试用虚构文件（测试附件）",
                    "summary": "测试：登记虚构的测试附件并增加三项清单项目（测试数据）"})
    workbook(folder, "documents", documents, inbox / "公开文件.xlsx")
    workbook(folder, "services", rows(folder, "services") + services, inbox / "基本公共服务项目.xlsx")
    workbook(folder, "changes", changes, inbox / "changes.xlsx")
    return {"document": listed, "upload": upload, "services": services, "version": version}


def publish_annex(folder: Path, original: Path = DOCX) -> dict:
    """The whole office update on a package folder: upload, inbox, version. Returns upload_annex's dict and the inbox's run."""
    from scripts.office import inbox
    inbox_dir = Path(folder).parent / "inbox"
    done = upload_annex(folder, inbox_dir, original)
    done["run"] = inbox.run(Path(folder) / "datapackage.json", inbox_dir)  # writes the version from the changes row
    return done


if __name__ == "__main__":
    from scripts.paths import DATAPACKAGE
    target = Path(sys.argv[1])
    shutil.copytree(DATAPACKAGE, target / "datapackage")
    result = publish_annex(target / "datapackage")
    print(json.dumps({k: len(v) if isinstance(v, list) else v for k, v in result["run"].items()}, ensure_ascii=False, default=str))
