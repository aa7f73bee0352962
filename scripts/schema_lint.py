"""Checks on datapackage.json itself that Frictionless lets pass: unknown (misspelled) keys, missing titles and descriptions, missing resources."""
import difflib

from .problem import Problem

REQUIRED_RESOURCES = ["documents", "domains", "audiences", "tasks", "measures", "targets", "milestones", "services", "changes"]
KEYS = {
    "package": {"profile", "name", "title", "description", "version", "language", "homepage", "keywords", "licenses", "sources",
                "contributors", "created", "serviceList", "expectedRows", "resources", "id", "image"},
    "resource": {"profile", "name", "title", "description", "path", "scheme", "format", "mediatype", "encoding", "dialect",
                 "schema", "sources", "licenses", "bytes", "hash"},
    "schema": {"fields", "primaryKey", "foreignKeys", "missingValues"},
    "field": {"name", "title", "type", "format", "description", "constraints", "delimiter", "itemType", "example",
              "verbatim", "quotedIn", "statusFor", "references"},
    "constraints": {"required", "unique", "pattern", "enum", "minimum", "maximum", "minLength", "maxLength"},
}
FILE = "datapackage.json"


def unknown(where: str, obj: dict, kind: str) -> list[Problem]:
    out = []
    for key in obj:
        if key not in KEYS[kind]:
            guess = difflib.get_close_matches(key, KEYS[kind], n=1, cutoff=0.6) or [k for k in KEYS[kind] if k.lower() == key.lower()]
            hint = f"是不是应为“{guess[0]}”（注意大小写）？" if guess else "删除它，或确认拼写。"
            out.append(Problem(FILE, message=f"{where}中有无法识别的键“{key}”，校验工具会忽略它。", fix=hint))
    return out


def descriptor_problems(descriptor: dict) -> list[Problem]:
    out = unknown("数据包", descriptor, "package")
    names = []
    for r in descriptor.get("resources", []):
        if not isinstance(r, dict):
            out.append(Problem(FILE, message="resources 中有一项不是对象。", fix="从 git 历史恢复 datapackage.json。"))
            continue
        name = r.get("name", "?")
        names.append(name)
        where = f"资源 {name} "
        out += unknown(where, r, "resource")
        schema = r.get("schema")
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            out.append(Problem(FILE, message=f"{where}没有表结构（schema.fields）。", fix="从 git 历史恢复该资源的 schema。"))
            continue
        out += unknown(f"{where}的 schema ", schema, "schema")
        field_names = [f.get("name") for f in schema["fields"] if isinstance(f, dict)]
        for f in schema["fields"]:
            if not isinstance(f, dict):
                continue
            fw = f"{where}的字段 {f.get('name', '?')} "
            out += unknown(fw, f, "field")
            out += unknown(f"{fw}的 constraints ", f.get("constraints", {}), "constraints")
            for key, label in (("title", "中文标题（title）"), ("description", "中文说明（description）")):
                if not str(f.get(key, "")).strip():
                    out.append(Problem(FILE, message=f"{fw}缺少{label}。", fix=f"为该字段写一句中文{label}；网站的数据字典会显示它。"))
            for key in ("quotedIn", "statusFor"):
                if f.get(key) and f[key] not in field_names:
                    out.append(Problem(FILE, message=f"{fw}的 {key} 指向不存在的字段“{f[key]}”。", fix="改为本表中存在的字段名。"))
        for k in schema.get("primaryKey", []) if isinstance(schema.get("primaryKey"), list) else [schema.get("primaryKey")]:
            if k not in field_names:
                out.append(Problem(FILE, message=f"{where}的主键字段“{k}”不存在。", fix="primaryKey 只能列本表已有的字段名。"))
    for name in REQUIRED_RESOURCES:
        if name not in names:
            out.append(Problem(FILE, message=f"缺少资源“{name}”。网站和下载文件都依赖它。", fix="从 git 历史恢复 datapackage.json 中该资源的定义。"))
    dupes = {n for n in names if names.count(n) > 1}
    for n in sorted(dupes):
        out.append(Problem(FILE, message=f"资源名“{n}”出现了不止一次。", fix="每个资源的 name 必须唯一。"))
    return out
