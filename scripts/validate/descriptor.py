"""Checks on datapackage.json itself: its structure (the shapes every later check relies on), then what Frictionless lets pass:
unknown (misspelled) keys, missing titles and descriptions, missing resources."""
import difflib
import re

from .problem import Problem

REQUIRED_RESOURCES = ["documents", "domains", "audiences", "tasks", "measures", "targets", "milestones", "services", "changes"]
KEYS = {
    "package": {"$schema", "name", "title", "description", "version", "language", "homepage", "keywords", "licenses", "sources",
                "contributors", "created", "spatial", "serviceList", "expectedRows", "resources", "id", "image",
                "planPeriod"},
    "resource": {"type", "name", "title", "description", "path", "scheme", "format", "mediatype", "encoding", "dialect",
                 "schema", "sources", "licenses", "bytes", "hash"},
    "schema": {"fields", "primaryKey", "foreignKeys", "missingValues"},
    "field": {"name", "title", "type", "format", "description", "constraints", "delimiter", "itemType", "example",
              "verbatim", "quotedIn", "statusFor", "sourceFor", "references", "question", "rankUnits", "agencyName"},
    "constraints": {"required", "unique", "pattern", "enum", "minimum", "maximum", "minLength", "maxLength"},
}
FILE = "datapackage.json"
FIELD_TYPES = ["string", "number", "integer", "boolean", "date", "datetime", "time", "year", "yearmonth", "duration",
               "list", "array", "object", "geopoint", "geojson", "any"]
RESTORE = "从 git 历史恢复 datapackage.json 中的这一部分。"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"  # Data Package v2: the `list` type is v2's
V2_FIX = f'数据包写 "$schema": "{PROFILE}"，每个资源写 "type": "table"（v2 的写法），删除 "profile"。'


def profile_problems(descriptor: dict) -> list[Problem]:
    """The package declares Data Package v2 as v2 specifies: `$schema` on the package, `type: table` on each resource,
    no v1 `profile` (its "tabular-data-package" does not know the list fields)."""
    out = []
    if descriptor.get("$schema") != PROFILE:
        out.append(Problem(FILE, message=f"数据包的 $schema 是“{descriptor.get('$schema', '')}”，应为 Data Package v2 的地址"
                                         f"“{PROFILE}”：数据包用了 v2 才有的“list”（多值）字段类型。", fix=V2_FIX))
    if "profile" in descriptor:
        out.append(Problem(FILE, message=f"数据包有 v1 的“profile”（{descriptor['profile']}），与 v2 的 $schema 矛盾。", fix=V2_FIX))
    for r in descriptor.get("resources", []):
        if isinstance(r, dict) and "profile" in r:
            out.append(Problem(FILE, message=f"资源 {r.get('name', '?')} 有 v1 的“profile”（{r['profile']}）；它是一张表，"
                                             f"v2 写作 \"type\": \"table\"。", fix=V2_FIX))
    return out


def _names(value) -> list | None:
    """A field list as Table Schema allows it (one name or a list of names), or None if it is neither."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _field_problems(where: str, f) -> list[Problem]:
    if not isinstance(f, dict):
        return [Problem(FILE, message=f"{where}的 fields 中有一项不是对象（{{…}}）。", fix=RESTORE)]
    if not isinstance(f.get("name"), str) or not f["name"]:
        return [Problem(FILE, message=f"{where}有一个字段没有 name（字段名）。", fix="为该字段填写字段名，它必须与 CSV 表头一致。")]
    fw = f"{where}的字段 {f['name']} "
    out = []
    kind = f.get("type", "string")
    if kind not in FIELD_TYPES:
        guess = difflib.get_close_matches(str(kind), FIELD_TYPES, n=1)
        out.append(Problem(FILE, message=f"{fw}的类型“{kind}”无法识别。",
                           fix=(f"是不是应为“{guess[0]}”？" if guess else "") + f"可用的类型：{'、'.join(FIELD_TYPES[:7])} 等。"))
    constraints = f.get("constraints", {})
    if not isinstance(constraints, dict):
        out.append(Problem(FILE, message=f"{fw}的 constraints 不是对象（{{…}}）。", fix="写成如 {\"required\": true} 的形式，或删除它。"))
    elif "pattern" in constraints:
        try:
            re.compile(str(constraints["pattern"]))
        except re.error as e:
            out.append(Problem(FILE, message=f"{fw}的编号格式（pattern）“{constraints['pattern']}”不是有效的正则表达式（{e}）。",
                               fix="检查括号和方括号是否配对，或从 git 历史恢复。"))
    return out


def _key_problems(where: str, schema: dict, fields: set, resources: dict) -> list[Problem]:
    out = []
    if "primaryKey" in schema and not (set(_names(schema["primaryKey"]) or [None]) <= fields):
        out.append(Problem(FILE, message=f"{where}的主键（primaryKey）“{schema['primaryKey']}”不是本表的字段名。", fix="primaryKey 只能列本表已有的字段名。"))
    keys = schema.get("foreignKeys", [])
    if not isinstance(keys, list):
        return out + [Problem(FILE, message=f"{where}的 foreignKeys 不是列表（[…]）。", fix=RESTORE)]
    for key in keys:
        ref = key.get("reference") if isinstance(key, dict) else None
        if not isinstance(ref, dict) or _names(key.get("fields")) is None or _names(ref.get("fields")) is None:
            out.append(Problem(FILE, message=f"{where}的外键（foreignKeys）中有一项写法不对。", fix=RESTORE))
            continue
        if not set(_names(key["fields"])) <= fields:
            out.append(Problem(FILE, message=f"{where}的外键字段“{key['fields']}”不是本表的字段名。", fix="外键只能用本表已有的字段。"))
        target = ref.get("resource", "")
        if target and target not in resources:
            out.append(Problem(FILE, message=f"{where}的外键指向不存在的资源“{target}”。", fix=f"改为已有的资源名：{'、'.join(resources)}。"))
        elif not set(_names(ref["fields"])) <= resources.get(target, fields):
            out.append(Problem(FILE, message=f"{where}的外键指向的字段“{ref['fields']}”在资源“{target}”中不存在。", fix="改为被引用表中已有的字段名，通常是 id。"))
    return out


def plan_end(descriptor: dict):
    """The plan's last year as the targets' schema gives it (the `year` field's maximum), or None."""
    for r in descriptor.get("resources", []):
        if isinstance(r, dict) and r.get("name") == "targets" and isinstance(r.get("schema"), dict):
            for f in r["schema"].get("fields", []):
                if isinstance(f, dict) and f.get("name") == "year" and isinstance(f.get("constraints"), dict):
                    return f["constraints"].get("maximum")
    return None


def structure_problems(descriptor) -> list[Problem]:
    """The shapes the rest of the check relies on: objects where objects belong, names and paths as text, known field types,
    keys that point at existing resources and fields. Any problem here stops the check, so that no later step misreads the package."""
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return [Problem(FILE, message="描述文件里没有 resources（资源列表）。", fix="从 git 历史恢复 datapackage.json。")]
    out = []
    for key, kind, shape in (("version", str, '文字，如 "1.0.0"'), ("expectedRows", dict, "对象（{…}）"), ("serviceList", dict, "对象（{…}）")):
        if key in descriptor and not isinstance(descriptor[key], kind):
            out.append(Problem(FILE, message=f"“{key}”的写法不对（应为{shape}）。", fix=RESTORE))
    for name, n in (descriptor.get("expectedRows") or {}).items() if isinstance(descriptor.get("expectedRows"), dict) else []:
        if not isinstance(n, int) or isinstance(n, bool):
            out.append(Problem(FILE, message=f"expectedRows 中“{name}”的行数“{n}”不是整数。", fix="写成不带引号的整数，如 36。"))
    period = descriptor.get("planPeriod")
    if period is not None and not (isinstance(period, dict) and all(isinstance(period.get(k), int) and not isinstance(period.get(k), bool)
                                                                    for k in ("start", "end")) and period["start"] <= period["end"]):
        out.append(Problem(FILE, message="planPeriod（规划期）的写法不对：应为对象，start 和 end 是不带引号的年份，start 不晚于 end。",
                           fix='写成 {"title": "“十三五”时期", "start": 2016, "end": 2020, …}。'))
    elif period is not None and (end := plan_end(descriptor)) is not None and period["end"] != end:
        out.append(Problem(FILE, message=f"planPeriod（规划期）的 end 是 {period['end']}，但指标和目标的年份上限（规划期末）是 {end}。",
                           fix="两处写同一个规划期末年份。"))
    declared = descriptor.get("serviceList", {}).get("declaredItems") if isinstance(descriptor.get("serviceList"), dict) else None
    if declared is not None and (not isinstance(declared, int) or isinstance(declared, bool)):
        out.append(Problem(FILE, message=f"serviceList 的 declaredItems“{declared}”不是整数。", fix="写成不带引号的整数，如 83。"))
    resources, paths = {}, {}
    for i, r in enumerate(descriptor["resources"], 1):
        if not isinstance(r, dict):
            out.append(Problem(FILE, message=f"resources 中第 {i} 项不是对象（{{…}}）。", fix=RESTORE))
            continue
        name, path, schema = r.get("name"), r.get("path"), r.get("schema")
        if not isinstance(name, str) or not name:
            out.append(Problem(FILE, message=f"resources 中第 {i} 项没有 name（资源名）。", fix="填写资源名，如 \"tasks\"。"))
            continue
        where = f"资源 {name} "
        if r.get("type", "table") != "table":
            out.append(Problem(FILE, message=f"{where}的类型“{r.get('type')}”不对：每个资源都是一张表，v2 写作 \"type\": \"table\"。", fix=V2_FIX))
        if name in resources:
            out.append(Problem(FILE, message=f"资源名“{name}”出现了不止一次。", fix="每个资源的 name 必须唯一。"))
        elif not isinstance(path, str):
            out.append(Problem(FILE, message=f"{where}的 path 不是一个文件名。", fix=f"写成一个 CSV 文件名，如 \"{name}.csv\"。"))
        elif path in paths:
            out.append(Problem(FILE, message=f"资源 {paths[path]} 和 {name} 指向同一个文件“{path}”。", fix="每个资源应有自己的 CSV 文件。"))
        else:
            paths[path] = name
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not schema["fields"]:
            out.append(Problem(FILE, message=f"{where}没有表结构（schema.fields）。", fix="从 git 历史恢复该资源的 schema。"))
            resources[name] = set()
            continue
        for f in schema["fields"]:
            out += _field_problems(where, f)
        names = [f.get("name") for f in schema["fields"] if isinstance(f, dict)]
        for dup in sorted({n for n in names if isinstance(n, str) and names.count(n) > 1}):
            out.append(Problem(FILE, message=f"{where}的字段名“{dup}”出现了不止一次。", fix="每个字段名在一张表中只能出现一次。"))
        for f in schema["fields"]:
            if not isinstance(f, dict):
                continue
            for key in ("quotedIn", "statusFor", "sourceFor"):
                if key in f and f[key] not in names:
                    out.append(Problem(FILE, message=f"{where}的字段 {f.get('name')} 的 {key} 指向不存在的字段“{f[key]}”。", fix="改为本表中存在的字段名。"))
            if "delimiter" in f and (not isinstance(f["delimiter"], str) or not f["delimiter"]):
                out.append(Problem(FILE, message=f"{where}的字段 {f.get('name')} 的分隔符（delimiter）是空的。", fix="写成全角分号 \"；\"。"))
        resources[name] = set(names)
    for r in descriptor["resources"]:
        for f in r["schema"]["fields"] if isinstance(r, dict) and isinstance(r.get("schema"), dict) and isinstance(r["schema"].get("fields"), list) else []:
            if isinstance(f, dict) and "references" in f and f["references"] not in resources:
                out.append(Problem(FILE, message=f"资源 {r.get('name')} 的字段 {f.get('name')} 的 references 指向不存在的资源“{f['references']}”。",
                                   fix=f"改为已有的资源名：{'、'.join(resources)}。"))
    for r in descriptor["resources"]:
        if isinstance(r, dict) and isinstance(r.get("name"), str) and isinstance(r.get("schema"), dict) and r["name"] in resources:
            out += _key_problems(f"资源 {r['name']} ", r["schema"], resources[r["name"]], resources)
    return out


def unknown(where: str, obj: dict, kind: str) -> list[Problem]:
    out = []
    for key in obj:
        if key not in KEYS[kind]:
            guess = difflib.get_close_matches(key, KEYS[kind], n=1, cutoff=0.6) or [k for k in KEYS[kind] if k.lower() == key.lower()]
            hint = f"是不是应为“{guess[0]}”（注意大小写）？" if guess else "删除它，或确认拼写。"
            out.append(Problem(FILE, message=f"{where}中有无法识别的键“{key}”，校验工具会忽略它。", fix=hint))
    return out


def descriptor_problems(descriptor: dict) -> list[Problem]:
    out = profile_problems(descriptor) + [p for p in unknown("数据包", descriptor, "package") if "“profile”" not in p.message]
    names = []
    for r in descriptor.get("resources", []):
        if not isinstance(r, dict):
            out.append(Problem(FILE, message="resources 中有一项不是对象。", fix="从 git 历史恢复 datapackage.json。"))
            continue
        name = r.get("name", "?")
        names.append(name)
        where = f"资源 {name} "
        out += [p for p in unknown(where, r, "resource") if "“profile”" not in p.message]
        schema = r.get("schema")
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            out.append(Problem(FILE, message=f"{where}没有表结构（schema.fields）。", fix="从 git 历史恢复该资源的 schema。"))
            continue
        out += unknown(f"{where}的 schema ", schema, "schema")
        for f in schema["fields"]:
            if not isinstance(f, dict):
                continue
            fw = f"{where}的字段 {f.get('name', '?')} "
            out += unknown(fw, f, "field")
            out += unknown(f"{fw}的 constraints ", f.get("constraints", {}), "constraints")
            for key, label in (("title", "中文标题（title）"), ("description", "中文说明（description）")):
                if not str(f.get(key, "")).strip():
                    out.append(Problem(FILE, message=f"{fw}缺少{label}。", fix=f"为该字段写一句中文{label}；网站的数据字典会显示它。"))
    for name in REQUIRED_RESOURCES:
        if name not in names:
            out.append(Problem(FILE, message=f"缺少资源“{name}”。网站和下载文件都依赖它。", fix="从 git 历史恢复 datapackage.json 中该资源的定义。"))
    return out
