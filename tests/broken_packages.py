"""The corpus of broken packages: each case breaks a copy of the real package in one way and names the message it must produce.

Each case: (name, break(pkg), file, row or None, text the message must contain). Rows as Excel numbers them (header = 1).
"""
import json


def reencode(encoding, bom=b""):
    def run(pkg):
        path = pkg.root / "tasks.csv"
        path.write_bytes(bom + path.read_text(encoding="utf-8").encode(encoding))
    return run


def replace_text(file, old, new, count=1):
    def run(pkg):
        path = pkg.root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, count), encoding="utf-8", newline="")
    return run


def cell(file, row, column, value):
    return lambda pkg: pkg.set(file, row, column, value)


def drop_column(file, column):
    def run(pkg):
        rows = pkg.rows(file)
        i = rows[0].index(column)
        pkg.write_rows(file, [r[:i] + r[i + 1:] for r in rows])
    return run


def descriptor(change):
    return lambda pkg: pkg.edit_descriptor(change)


def resource(name, change):
    def run(d):
        change(next(r for r in d["resources"] if r["name"] == name))
    return descriptor(run)


def field(res, name, change):
    def run(r):
        change(next(f for f in r["schema"]["fields"] if f["name"] == name))
    return resource(res, run)


def mixed_line_endings(pkg):
    path = pkg.root / "tasks.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] += b"\r"
    path.write_bytes(b"\n".join(lines))


def duplicate_row(file, row):
    def run(pkg):
        rows = pkg.rows(file)
        rows.insert(row, list(rows[row - 1]))
        pkg.write_rows(file, rows)
    return run


def delete_row(file, row):
    def run(pkg):
        rows = pkg.rows(file)
        del rows[row - 1]
        pkg.write_rows(file, rows)
    return run


def swap_rows(file, a, b):
    def run(pkg):
        rows = pkg.rows(file)
        rows[a - 1], rows[b - 1] = rows[b - 1], rows[a - 1]
        pkg.write_rows(file, rows)
    return run


def header_only(file):
    def run(pkg):
        pkg.write_rows(file, pkg.rows(file)[:1])
    return run


def extra_column(file):
    def run(pkg):
        pkg.write_rows(file, [r + (["备注"] if i == 0 else ["x"]) for i, r in enumerate(pkg.rows(file))])
    return run


def rename_column(file, old, new):
    def run(pkg):
        rows = pkg.rows(file)
        rows[0][rows[0].index(old)] = new
        pkg.write_rows(file, rows)
    return run


def write(file, data: bytes):
    return lambda pkg: (pkg.root / file).write_bytes(data)


def bump_version(pkg):
    pkg.edit_descriptor(lambda d: d.update(version="1.0.1"))


def rm(file):
    return lambda pkg: (pkg.root / file).unlink()


def nul_byte(pkg):
    path = pkg.root / "tasks.csv"
    data = path.read_bytes()
    at = data.index(b"\n") + 5
    path.write_bytes(data[:at] + b"\x00" + data[at:])


def xlsx_renamed_csv(pkg):
    from openpyxl import Workbook
    book = Workbook()
    for row in pkg.rows("tasks.csv"):
        book.active.append(row)
    book.save(pkg.root / "tasks.csv")


def link_out_of_the_package(pkg):
    (pkg.root / "tasks.csv").unlink()
    (pkg.root / "tasks.csv").symlink_to("/etc/hostname")


def remove_sources(pkg):
    for path in (pkg.root / "sources").glob("*.txt"):
        path.unlink()


def source_in_gbk(pkg):
    for path in (pkg.root / "sources").glob("*.txt"):
        path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))


def set_item(key, index, value):
    return lambda d: d[key].__setitem__(index, value)


def service_without_words(pkg):
    """Every everyday word of the first service in vocabulary.csv moved to another service."""
    rows = pkg.rows("vocabulary.csv")
    sid = rows[0].index("service_id")
    first = pkg.rows("services.csv")[1][0]
    other = next(r[sid] for r in rows[1:] if r[sid] and r[sid] != first)
    pkg.write_rows("vocabulary.csv", [rows[0]] + [[*r[:sid], other if r[sid] == first else r[sid], *r[sid + 1:]] for r in rows[1:]])


def list_unpublished(change):
    """The list (serviceList.document) as it was before it was published (未随正文公开, no text), then `change`: the
    case holds whether or not the package has published the list."""
    def run(pkg):
        listed = json.loads(pkg.descriptor.read_text(encoding="utf-8"))["serviceList"]["document"]
        i = [r[0] for r in pkg.rows("documents.csv")].index(listed) + 1
        pkg.set("documents.csv", i, "status", "未随正文公开")
        pkg.set("documents.csv", i, "text_path", "")
        change(pkg)
    return run


def vocabulary_row_first(**values):
    """A new first row (Excel row 2) in vocabulary.csv; `service_id="first"` names the first service."""
    def run(pkg):
        rows = pkg.rows("vocabulary.csv")
        if values.get("service_id") == "first":
            values["service_id"] = pkg.rows("services.csv")[1][0]
        pkg.write_rows("vocabulary.csv", [rows[0], [values.get(h, "") for h in rows[0]]] + rows[1:])
    return run



# A clearly fictional document, used only in tests: it never enters datapackage/.
FICTION_TEXT = "【测试用虚构文件】虚构市机构改革通知：虚构市测试服务局负责测试服务。\n"


def cells(file, row, values: dict):
    def run(pkg):
        for column, value in values.items():
            pkg.set(file, row, column, value)
    return run


def unregistered_source(pkg):
    (pkg.root / "sources" / "fiction.txt").write_text(FICTION_TEXT, encoding="utf-8")


def quote_from_unregistered_source(pkg):
    unregistered_source(pkg)
    pkg.set("tasks.csv", 2, "title", "虚构市测试服务局负责测试服务")


def register_fiction(pkg, status="全文公开"):
    """Register the fictional document as a row of documents.csv (kept in id order)."""
    unregistered_source(pkg)
    rows = pkg.rows("documents.csv")
    header = rows[0]
    row = dict.fromkeys(header, "")
    row.update(id="fiction-reorg", kind="通知", title="虚构市机构改革通知", url="http://example.invalid/fiction",
               status=status, text_path="sources/fiction.txt" if status == "全文公开" else "",
               quote="虚构市机构改革通知", section="【测试用虚构文件】虚构市机构改革通知")
    rows.append([row[h] for h in header])
    rows[1:] = sorted(rows[1:], key=lambda r: r[0])
    pkg.write_rows("documents.csv", rows)


def fiction_as_annex(pkg):
    register_fiction(pkg)
    rows = pkg.rows("documents.csv")
    i = [r[0] for r in rows].index("fiction-reorg")
    pkg.set("documents.csv", i + 1, "kind", "附件")
    cells("services.csv", 2, {"lead_department": "虚构市测试服务局", "lead_department_status": "正文载明",
                              "lead_department_quote": "虚构市测试服务局负责测试服务", "lead_department_source": "fiction-reorg"})(pkg)


CASES = [
    # encodings and the shape of the file
    ("gbk_encoded_file", reencode("gb18030"), "tasks.csv", 2, "不是 UTF-8 编码"),
    ("utf16_encoded_file", reencode("utf-16"), "tasks.csv", None, "UTF-16"),
    ("bom_in_source_csv", reencode("utf-8", b"\xef\xbb\xbf"), "tasks.csv", 1, "BOM"),
    ("crlf_line_endings", replace_text("tasks.csv", "\n", "\r\n", -1), "tasks.csv", None, "Windows 换行"),
    ("crlf_mixed_with_lf", mixed_line_endings, "tasks.csv", None, "混用"),
    ("empty_file", write("tasks.csv", b""), "tasks.csv", None, "文件是空的"),
    ("header_only_file", header_only("targets.csv"), "targets.csv", None, "只有表头"),
    ("header_only_tasks_breaks_the_count", header_only("tasks.csv"), "tasks.csv", None, "应有 36 行"),
    ("missing_column", drop_column("targets.csv", "unit"), "targets.csv", 1, "缺少这一列"),
    ("extra_column", extra_column("targets.csv"), "targets.csv", 1, "不在表结构中"),
    ("renamed_column", rename_column("tasks.csv", "title", "titel"), "tasks.csv", 1, "应为“title”"),
    ("chinese_title_as_header", rename_column("tasks.csv", "title", "任务标题"), "tasks.csv", 1, "中文标题"),
    ("blank_row", replace_text("targets.csv", "\nTG002,", "\n\nTG002,"), "targets.csv", None, "空行"),
    ("row_with_unquoted_comma", replace_text("targets.csv", "\nTG002,", "\nTG002,x,"), "targets.csv", 3, "多"),
    ("row_with_missing_cell", replace_text("changes.csv", ",四政办发〔2017〕110号,", ","), "changes.csv", 2, "少"),
    # identifiers and keys
    ("duplicate_ids", duplicate_row("targets.csv", 2), "targets.csv", 3, "编号重复"),
    ("id_breaking_the_pattern", cell("targets.csv", 2, "id", "TG1"), "targets.csv", 2, "不符合编号格式"),
    ("dangling_foreign_key", cell("tasks.csv", 2, "domain_id", "education"), "tasks.csv", 2, "domains.csv 中没有这个编号"),
    ("dangling_task_reference", cell("targets.csv", 2, "task_id", "T99"), "targets.csv", 2, "tasks.csv 中没有这个编号"),
    ("invalid_list_reference", cell("measures.csv", 2, "domain_ids", "edu；school"), "measures.csv", 2, "“school”不是允许的值"),
    ("ascii_semicolon_in_list", cell("measures.csv", 2, "domain_ids", "edu;jobs"), "measures.csv", 2, "不是允许的值"),
    ("rows_out_of_order", swap_rows("targets.csv", 2, 3), "targets.csv", 3, "没有按编号排序"),
    ("missing_task_row", delete_row("tasks.csv", 5), "tasks.csv", None, "应有 36 行"),
    ("measure_id_reused", replace_text("measures.csv", "\nM45,45,", "\nM44,44,", 1), "measures.csv", None, "编号重复"),
    # values
    ("missing_required_value", cell("tasks.csv", 3, "title", ""), "tasks.csv", 3, "不能为空"),
    ("number_with_unit", cell("targets.csv", 2, "value", "99%"), "targets.csv", 2, "单位"),
    ("full_width_digits", cell("targets.csv", 2, "value", "９９"), "targets.csv", 2, "全角"),
    ("thousands_separator", cell("targets.csv", 2, "value", "17,333"), "targets.csv", 2, "千分位"),
    ("text_instead_of_number", cell("targets.csv", 2, "value", "九十九"), "targets.csv", 2, "不是数字"),
    ("year_out_of_range", cell("targets.csv", 2, "year", "2030"), "targets.csv", 2, "超出允许范围"),
    ("year_with_full_width_digits", cell("targets.csv", 2, "year", "２０１５"), "targets.csv", 2, "全角"),
    ("comparator_outside_enum", cell("targets.csv", 2, "comparator", ">="), "targets.csv", 2, "不是允许的值"),
    ("kind_outside_enum", cell("targets.csv", 2, "kind", "基数"), "targets.csv", 2, "不是允许的值"),
    ("bad_date", cell("changes.csv", 2, "date", "2017/12/19"), "changes.csv", 2, "不是日期"),
    ("very_long_cell", cell("tasks.csv", 2, "text", "长" * 5000), "tasks.csv", 2, "超过上限"),
    ("leading_space_in_cell", cell("targets.csv", 2, "unit", " %"), "targets.csv", 2, "多余的空格"),
    # provenance
    ("quote_not_in_source", cell("targets.csv", 2, "quote", "全市九年义务教育巩固率达到100%"), "targets.csv", 2, "在原文中找不到"),
    ("quote_with_changed_punctuation", cell("tasks.csv", 2, "title", "扩大普惠资源，积极发展学前教育"), "tasks.csv", 2, "标点"),
    ("section_not_in_source", cell("tasks.csv", 2, "section", "三、主要任务 / (一)义务教育"), "tasks.csv", 2, "在原文中找不到"),
    ("value_not_in_its_quote", cell("targets.csv", 2, "value", "98"), "targets.csv", 2, "没有出现在本行"),
    ("milestone_not_in_its_quote", cell("milestones.csv", 2, "milestone", "全面实现均等化"), "milestones.csv", 2, "没有出现在本行"),
    ("date_not_in_source", cell("documents.csv", 5, "written_date", "2017-12-20"), "documents.csv", 5, "2017年12月20日"),
    ("status_unpublished_but_quote_filled", cell("services.csv", 2, "funding_quote", "政府发放补贴"), "services.csv", 2, "未随正文公开"),
    ("status_published_but_empty", cell("services.csv", 2, "funding_status", "正文载明"), "services.csv", 2, "是空的"),
    ("keyword_not_in_source", cell("audiences.csv", 2, "keywords", "托育"), "audiences.csv", 2, "在原文中找不到"),
    ("text_path_missing", cell("documents.csv", 5, "text_path", "sources/missing.txt"), "documents.csv", 5, "找不到文件"),
    # document-bound provenance: a quote is checked against its own registered, published document
    ("text_file_not_registered", unregistered_source, "sources/fiction.txt", None, "没有在 documents.csv 中登记"),
    ("quote_from_an_unregistered_file", quote_from_unregistered_source, "tasks.csv", 2, "在原文中找不到"),
    ("list_status_while_the_list_is_unpublished", list_unpublished(cells("services.csv", 2, {"target_population": "幼儿", "target_population_status": "清单载明",
                                                                                             "target_population_quote": "幼儿"})), "services.csv", 2, "没有可以核对的原文文本"),
    ("record_source_unpublished", cell("targets.csv", 2, "source", "annex-2"), "targets.csv", 2, "无法核对"),
    ("record_source_unregistered", cell("targets.csv", 2, "source", "no-such-doc"), "targets.csv", 2, "documents.csv 中没有这个编号"),
    ("field_source_unregistered", cells("services.csv", 2, {"lead_department": "虚构市测试服务局", "lead_department_status": "其他文件载明",
                                                             "lead_department_quote": "虚构市测试服务局", "lead_department_source": "fiction-reorg"}),
     "services.csv", 2, "没有在 documents.csv 登记"),
    ("body_status_on_an_annex_quote", fiction_as_annex, "services.csv", 2, "不是本通知或实施方案的正文"),
    ("list_status_from_another_document", lambda pkg: (register_fiction(pkg), cells("services.csv", 2, {
        "lead_department": "虚构市测试服务局", "lead_department_status": "清单载明", "lead_department_quote": "虚构市测试服务局负责测试服务",
        "lead_department_source": "fiction-reorg"})(pkg)), "services.csv", 2, "不是清单"),
    ("other_status_on_the_plan", cells("services.csv", 2, {"lead_department": "学前教育", "lead_department_status": "其他文件载明",
                                                            "lead_department_quote": "积极发展学前教育", "lead_department_source": "plan"}),
     "services.csv", 2, "是正文或清单"),
    # what a target's sentence states
    ("stated_year_not_in_the_sentence", cell("targets.csv", 2, "year", "2014"), "targets.csv", 2, "没有写 2014 年"),
    ("plan_end_year_on_a_sentence_with_a_year", cell("targets.csv", 2, "year_basis", "规划期末"), "targets.csv", 2, "年份却是"),
    ("cumulative_without_the_word", cell("targets.csv", 2, "period", "每年"), "targets.csv", 2, "没有“每年”"),
    ("year_basis_outside_the_enum", cell("targets.csv", 2, "year_basis", "推测"), "targets.csv", 2, "不是允许的值"),
    ("milestone_year_text_not_in_its_quote", cell("milestones.csv", 2, "year_text", "2019年前"), "milestones.csv", 2, "没有出现在本行"),
    ("service_kind_outside_the_enum", cell("services.csv", 2, "kind", "项目"), "services.csv", 2, "不是允许的值"),
    # the descriptor
    ("descriptor_not_json", write("datapackage.json", b'{"name": "x",'), "datapackage.json", None, "不是有效的 JSON"),
    ("descriptor_empty", write("datapackage.json", b""), "datapackage.json", None, "空的"),
    ("descriptor_missing", rm("datapackage.json"), "datapackage.json", None, "找不到数据包描述文件"),
    ("descriptor_missing_a_resource", descriptor(lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "changes"])),
     "datapackage.json", None, "缺少资源“changes”"),
    ("resource_path_outside_package", resource("tasks", lambda r: r.update(path="../tasks.csv")), "datapackage.json", None, "目录以外"),
    ("resource_path_absolute", resource("tasks", lambda r: r.update(path="/etc/passwd")), "datapackage.json", None, "目录以外"),
    ("resource_path_url", resource("tasks", lambda r: r.update(path="http://example.com/tasks.csv")), "datapackage.json", None, "目录以外"),
    ("path_to_missing_file", resource("tasks", lambda r: r.update(path="task.csv")), "task.csv", None, "找不到文件"),
    ("misspelled_primary_key", resource("tasks", lambda r: r["schema"].update(primarykey=r["schema"].pop("primaryKey"))), "datapackage.json", None, "primaryKey"),
    ("misspelled_field_keyword", field("tasks", "title", lambda f: f.update(descripton=f.pop("description"))), "datapackage.json", None, "缺少中文说明"),
    ("field_without_title", field("tasks", "title", lambda f: f.pop("title")), "datapackage.json", None, "缺少中文标题"),
    ("unknown_field_type", field("tasks", "number", lambda f: f.update(type="nmber")), "datapackage.json", None, "类型“nmber”无法识别"),
    ("orphan_csv_file", write("notes.csv", "a,b\n1,2\n".encode()), "notes.csv", None, "不属于数据包"),
    ("version_bumped_without_change_row", bump_version, "changes.csv", None, "没有这个版本的记录"),
    ("version_not_semantic", descriptor(lambda d: d.update(version="v2")), "datapackage.json", None, "语义化版本号"),
    # the bytes of a CSV file
    ("nul_byte", nul_byte, "tasks.csv", 2, "空字符"),
    ("xlsx_renamed_to_csv", xlsx_renamed_csv, "tasks.csv", None, "Excel 工作簿"),
    ("utf16_without_bom", lambda pkg: (pkg.root / "tasks.csv").write_bytes((pkg.root / "tasks.csv").read_text(encoding="utf-8").encode("utf-16-le")),
     "tasks.csv", None, "UTF-16"),
    ("old_mac_line_endings", replace_text("tasks.csv", "\n", "\r", -1), "tasks.csv", None, "旧式 Mac 换行"),
    ("only_blank_lines", write("tasks.csv", b"\n\n\n"), "tasks.csv", None, "文件是空的"),
    ("quote_never_closed", replace_text("changes.csv", ",首次发布", ',"首次发布'), "changes.csv", 2, "直到文件末尾都没有结束"),
    ("quoted_field_spanning_the_next_rows", replace_text("targets.csv", "\nTG002,jobs,城镇新增就业", '\nTG002,jobs,"城镇新增就业'),
     "targets.csv", 3, "没有正确结束"),
    ("duplicate_column_in_header", rename_column("tasks.csv", "title", "id"), "tasks.csv", 1, "出现了 2 次"),
    # invisible characters and hostile values in cells
    ("control_character_in_cell", cell("tasks.csv", 2, "title", "扩大普惠资源,\x07积极发展学前教育"), "tasks.csv", 2, "U+0007"),
    ("zero_width_space_inside_a_quote", cell("targets.csv", 2, "quote", "截至2015年,全市九年义务教育巩固率\u200b达到99%"), "targets.csv", 2, "U+200B"),
    ("right_to_left_override_in_cell", cell("targets.csv", 2, "unit", "\u202e%"), "targets.csv", 2, "U+202E"),
    ("line_separator_in_cell", cell("services.csv", 2, "aliases", "幼儿园\u2028托儿所"), "services.csv", 2, "U+2028"),
    ("javascript_url", cell("documents.csv", 2, "url", "javascript:alert(1)"), "documents.csv", 2, "http://"),
    ("url_that_is_not_a_web_address", cell("documents.csv", 2, "url", "xxgk.siping.gov.cn"), "documents.csv", 2, "http://"),
    ("text_path_absolute", cell("documents.csv", 5, "text_path", "/etc/hostname"), "documents.csv", 5, "不在数据包的 sources/"),
    ("text_path_outside_the_package", cell("documents.csv", 5, "text_path", "../../../../../../etc/hostname"), "documents.csv", 5, "不在数据包的 sources/"),
    # values
    ("quote_with_a_changed_character_in_the_middle", cell("targets.csv", 2, "quote", "截至2015年,全市九年义务教育巩固率达到98%"), "targets.csv", 2, "在原文中找不到"),
    ("service_status_outside_the_enum", cell("services.csv", 2, "funding_status", "已公开"), "services.csv", 2, "不是允许的值"),
    ("annex_item_out_of_range", cell("services.csv", 2, "annex_item", "84"), "services.csv", 2, "超出允许范围（1–83）"),
    ("annex_item_zero", cell("services.csv", 2, "annex_item", "0"), "services.csv", 2, "超出允许范围"),
    ("annex_item_with_words", cell("services.csv", 2, "annex_item", "第1项"), "services.csv", 2, "文字或符号"),
    ("number_in_scientific_notation", cell("targets.csv", 2, "value", "9.9e1"), "targets.csv", 2, "文字或符号"),
    ("number_written_nan", cell("targets.csv", 2, "value", "NaN"), "targets.csv", 2, "不是数字"),
    ("year_with_a_decimal_point", cell("targets.csv", 2, "year", "2015.0"), "targets.csv", 2, "不是整数"),
    ("negative_year", cell("targets.csv", 2, "year", "-2015"), "targets.csv", 2, "超出允许范围"),
    ("measure_number_zero", cell("measures.csv", 2, "number", "0"), "measures.csv", 2, "超出允许范围"),
    ("impossible_date", cell("changes.csv", 2, "date", "2017-02-30"), "changes.csv", 2, "不是日期"),
    ("no_break_space_after_a_number", cell("targets.csv", 2, "value", "99\u00a0"), "targets.csv", 2, "多余的空格"),
    ("ideographic_space_in_an_id", cell("targets.csv", 2, "id", "TG001\u3000"), "targets.csv", 2, "不符合编号格式"),
    ("id_in_lower_case", cell("tasks.csv", 2, "id", "t01"), "tasks.csv", 2, "不符合编号格式"),
    ("duplicate_version_in_changes", duplicate_row("changes.csv", 2), "changes.csv", 3, "编号重复"),
    ("foreign_key_in_another_letter_case", cell("tasks.csv", 2, "domain_id", "EDU"), "tasks.csv", 2, "“EDU”不是允许的值：domains.csv 中没有这个编号"),
    ("task_reference_in_another_letter_case", cell("services.csv", 2, "task_id", "t01"), "services.csv", 2, "“t01”不是允许的值：tasks.csv 中没有这个编号"),
    ("unknown_audience_in_a_list", cell("services.csv", 2, "audiences", "children；aliens"), "services.csv", 2, "“aliens”不是允许的值"),
    # the sources the quotes are checked against
    ("source_texts_missing", remove_sources, "sources", None, "找不到原文文本"),
    ("source_text_not_utf8", source_in_gbk, "sources/siping-plan-2017-110.txt", None, "不是 UTF-8"),
    # the descriptor's structure
    ("descriptor_with_bom", lambda pkg: pkg.descriptor.write_bytes(b"\xef\xbb\xbf" + pkg.descriptor.read_bytes()), "datapackage.json", 1, "BOM"),
    ("descriptor_not_utf8", lambda pkg: pkg.descriptor.write_bytes(pkg.descriptor.read_text(encoding="utf-8").encode("gb18030")),
     "datapackage.json", None, "不是 UTF-8"),
    ("descriptor_with_a_trailing_comma", replace_text("datapackage.json", '"政府信息公开"\n', '"政府信息公开",\n'), "datapackage.json", None, "不是有效的 JSON"),
    ("descriptor_is_a_list", write("datapackage.json", b"[]"), "datapackage.json", None, "没有 resources"),
    ("resources_not_a_list", descriptor(lambda d: d.update(resources={"tasks": d["resources"][3]})), "datapackage.json", None, "没有 resources"),
    ("resource_not_an_object", descriptor(set_item("resources", 3, "tasks.csv")), "datapackage.json", None, "第 4 项不是对象"),
    ("resource_without_name", resource("tasks", lambda r: r.pop("name")), "datapackage.json", None, "没有 name（资源名）"),
    ("duplicate_resource_name", resource("measures", lambda r: r.update(name="tasks")), "datapackage.json", None, "资源名“tasks”出现了不止一次"),
    ("resource_path_not_text", resource("tasks", lambda r: r.update(path=["tasks.csv"])), "datapackage.json", None, "path 不是一个文件名"),
    ("resource_path_with_backslashes", resource("tasks", lambda r: r.update(path="..\\tasks.csv")), "datapackage.json", None, "反斜杠"),
    ("resource_path_to_a_text_file", resource("tasks", lambda r: r.update(path="sources/siping-plan-2017-110.txt")), "datapackage.json", None, "不是 CSV 文件"),
    ("resource_path_through_a_link_out", link_out_of_the_package, "datapackage.json", None, "目录以外"),
    ("two_resources_one_file", resource("measures", lambda r: r.update(path="tasks.csv")), "datapackage.json", None, "指向同一个文件"),
    ("schema_not_an_object", resource("tasks", lambda r: r.update(schema="tasks.schema.json")), "datapackage.json", None, "没有表结构"),
    ("field_not_an_object", resource("tasks", lambda r: r["schema"]["fields"].__setitem__(1, "number")), "datapackage.json", None, "不是对象"),
    ("field_without_name", field("tasks", "number", lambda f: f.pop("name")), "datapackage.json", None, "没有 name（字段名）"),
    ("duplicate_field_name", resource("tasks", lambda r: r["schema"]["fields"].append(dict(r["schema"]["fields"][0]))), "datapackage.json", None,
     "字段名“id”出现了不止一次"),
    ("constraints_not_an_object", field("tasks", "number", lambda f: f.update(constraints=True)), "datapackage.json", None, "constraints 不是对象"),
    ("pattern_not_a_regular_expression", field("tasks", "id", lambda f: f["constraints"].update(pattern="T[0-9")), "datapackage.json", None, "不是有效的正则表达式"),
    ("foreign_key_to_unknown_resource", resource("tasks", lambda r: r["schema"]["foreignKeys"][0]["reference"].update(resource="domain")),
     "datapackage.json", None, "不存在的资源“domain”"),
    ("foreign_key_to_unknown_field", resource("tasks", lambda r: r["schema"]["foreignKeys"][0]["reference"].update(fields="code")),
     "datapackage.json", None, "“code”在资源“domains”中不存在"),
    ("foreign_keys_not_a_list", resource("tasks", lambda r: r["schema"].update(foreignKeys={"fields": "domain_id"})), "datapackage.json", None, "不是列表"),
    ("quoted_in_unknown_field", field("targets", "value", lambda f: f.update(quotedIn="qoute")), "datapackage.json", None, "不存在的字段“qoute”"),
    ("list_references_unknown_resource", field("measures", "domain_ids", lambda f: f.update(references="domain")), "datapackage.json", None, "不存在的资源“domain”"),
    ("empty_list_delimiter", field("measures", "domain_ids", lambda f: f.update(delimiter="")), "datapackage.json", None, "分隔符"),
    ("expected_rows_as_text", descriptor(lambda d: d["expectedRows"].update(tasks="36")), "datapackage.json", None, "不是整数"),
    ("declared_items_as_text", descriptor(lambda d: d["serviceList"].update(declaredItems="83")), "datapackage.json", None, "不是整数"),
    ("service_list_not_an_object", descriptor(lambda d: d.update(serviceList="83")), "datapackage.json", None, "serviceList"),
    ("version_as_a_number", descriptor(lambda d: d.update(version=1)), "datapackage.json", None, "“version”的写法不对"),
    # the search vocabulary: joins, coverage and what each kind of row must fill in
    ("vocabulary_word_for_a_removed_service", cell("vocabulary.csv", 2, "service_id", "S999"), "vocabulary.csv", 2, "services.csv 中没有这个编号"),
    ("vocabulary_general_word_in_an_unknown_domain", vocabulary_row_first(word="看戏", kind="通用", domain_id="opera", term="文化"), "vocabulary.csv", 2, "domains.csv 中没有这个编号"),
    ("vocabulary_old_name_without_note", vocabulary_row_first(word="老叫法", kind="旧称", service_id="first"), "vocabulary.csv", 2, "没有说明"),
    ("vocabulary_general_word_without_term", vocabulary_row_first(word="看戏", kind="通用", domain_id="culture"), "vocabulary.csv", 2, "同时填写领域和方案用语"),
    ("vocabulary_service_word_without_service", vocabulary_row_first(word="看戏", kind="叫法"), "vocabulary.csv", 2, "没有填写服务编号"),
    ("vocabulary_word_with_punctuation", vocabulary_row_first(word="打、疫苗", kind="叫法", service_id="first"), "vocabulary.csv", 2, "空格或标点"),
    ("vocabulary_kind_outside_the_enum", vocabulary_row_first(word="看戏", kind="别名", service_id="first"), "vocabulary.csv", 2, "不是允许的值"),
    ("vocabulary_old_name_quote_not_in_the_source", vocabulary_row_first(word="老叫法", kind="旧称", service_id="first", note="说明", quote="这句话原文里没有", source="plan"), "vocabulary.csv", 2, "在原文中找不到"),
    ("vocabulary_quote_without_its_document", vocabulary_row_first(word="老叫法", kind="旧称", service_id="first", note="说明", quote="全面施行居住证制度"), "vocabulary.csv", 2, "没有写它出自哪份文件"),
    ("package_declared_as_v1", descriptor(lambda d: d.update({"profile": "tabular-data-package"}) or d.pop("$schema")), "datapackage.json", None, "Data Package v2"),
    ("v1_profile_on_a_resource", resource("tasks", lambda r: r.update(profile="tabular-data-resource")), "datapackage.json", None, "\"type\": \"table\""),
    ("resource_type_not_table", resource("tasks", lambda r: r.update(type="file")), "datapackage.json", None, "类型“file”"),
]
