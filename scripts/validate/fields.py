"""A service's list fields say that field for that service, not something nearby (services.csv, rows whose field is
stated: 正文载明, 清单载明, 其他文件载明). A value and its quote can both be verbatim and still not say the field; the
validator tells them apart by how the sentence is built:

- 服务对象 (who receives, target_population): not the key groups of another, wider thing — a value followed by
  “作为……的（重点）对象” where that thing is not the service names who that thing serves, not who this service serves.
- 服务内容和标准 (what, content_standard): not an aim — a value the clause introduces with 推进、力争、逐步、争取、努力、
  加快 says where the plan wants to get, not what a person receives; and not a total the plan sets for the whole task —
  a value holding a target's number whose unit counts recipients or sums (人、万人、人次、户、套、名、万元) says how many
  the task reaches, not what each person gets.
- Any field: not a purpose clause — a value inside “从……出发” or “为了……” says why, not the field.
- 支出责任 and 主责单位 (who pays, which department, funding / lead_department): not a word of the service's own name
  (“政府补贴性” in “政府补贴性职业培训” describes the training; it does not say who pays).
"""
import re

from ..package import UNPUBLISHED
from .corpus import normalize
from .numbers import whole_number_in
from .problem import Problem, column_label

AIM = re.compile(r"推进|力争|逐步|争取|努力|加快")
TOTAL_UNITS = ("人", "万人", "人次", "户", "套", "名", "万元")
CLAUSE = ",;。"
FIX = f"这一格的原文没有为这项服务写明这一栏：状态改为“{UNPUBLISHED}”，清空内容、摘录和出处文件。"

col = column_label


def clause_at(quote: str, start: int) -> tuple[int, int]:
    a = max(quote.rfind(c, 0, start) for c in CLAUSE) + 1
    ends = [j for c in CLAUSE if (j := quote.find(c, start)) >= 0]
    return a, min(ends) if ends else len(quote)


def totals(targets: list[dict]) -> list[tuple[str, str, str, str]]:
    """(id, unit, number, normalised quote) of each target counting recipients or sums: read once per package, not once
    per service (a large package has thousands of both)."""
    out = []
    for t in targets:
        unit, number = (t.get("unit") or "").strip(), (t.get("value") or "").strip()
        if unit in TOTAL_UNITS:
            out.append((t.get("id"), unit, number, normalize(t.get("quote", ""))))
    return out


def why_not(role: str, value: str, quote: str, name: str, totals: list[tuple[str, str, str, str]]) -> str | None:
    """Why `value` (quoted in `quote`) does not state `role` for the service called `name`; None if it does. `totals`:
    the package's targets as `totals` gives them."""
    q, v = normalize(quote), normalize(value)
    i = q.find(v)
    if i < 0:
        return None
    a, _ = clause_at(q, i)
    if re.match(r"(从.*出发|为了)", q[a:]) and (q.startswith("为了", a) or "出发" in q[a:]):
        return "出自说明目的的分句（“从……出发”“为了……”），说的是为什么做，不是这一栏"
    if role == "target_population" and (m := re.match(r"作为(.+?)的(重点)?对象", q[i + len(v):])) and m[1] not in name:
        return f"是“{m[1]}”的{m[2] or ''}对象，不是这项服务的服务对象"
    if role == "content_standard" and AIM.search(q[a:i]):
        return f"前面是“{AIM.search(q[a:i])[0]}”，是要达到的目标，不是群众得到的内容和标准"
    if role == "content_standard":
        for target, unit, number, said in totals:
            if said in q and whole_number_in(number, v) and f"{number}{unit}" in v.replace("(次)", "次"):
                return f"是任务的总量（指标 {target}：{number}{unit}），不是每个人得到的内容"
    if role in ("funding", "lead_department") and v in name:
        return f"是服务名称“{name}”里的词，没有说明{'由谁出钱' if role == 'funding' else '由哪个部门负责'}"
    return None


def field_problems(descriptor: dict, tables: dict[str, list[dict]]) -> list[Problem]:
    services = tables.get("services")
    if not services:
        return []
    resource = next(r for r in descriptor["resources"] if isinstance(r, dict) and r.get("name") == "services")
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    out, counted = [], totals(tables.get("targets", []))
    for status_name, status_field in fields.items():
        role = status_field.get("statusFor")
        if not role or role not in fields:
            continue
        quote_name = fields[role].get("quotedIn", "")
        for i, s in enumerate(services):
            status, value, quote = (s.get(status_name) or "").strip(), (s.get(role) or "").strip(), (s.get(quote_name) or "").strip()
            if not value or not quote or status == UNPUBLISHED:
                continue
            if reason := why_not(role, value, quote, s.get("name", ""), counted):
                out.append(Problem("services.csv", i + 2, col(fields[role]), f"“{value[:40]}”{reason}。", FIX))
    return out
