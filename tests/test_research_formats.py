"""The downloads as research tools read them: a fresh release built from a copy of the package (never the frozen
releases), checked with frictionless, csvwvalidate (strict), rdflib and pyshacl, bibtexparser, openpyxl and sqlite3."""
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
import rdflib
from frictionless import Package, validate
from openpyxl import load_workbook
from pyshacl import validate as shacl
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from conftest import Package as Copy
from scripts.package import load
from scripts.paths import DATAPACKAGE
from scripts.publish import export, metadata
from scripts.validate.descriptor import PROFILE

SHAPES = Path(__file__).parent / "shapes" / "dcat-ap-3-mandatory.ttl"
BASE = "https://data.example.org/siping/"
VERSION = "9.0.0"


def bump(package, version=VERSION, date="2030-01-01"):
    package.edit_descriptor(lambda d: d.update(version=version))
    package.write_rows("changes.csv", package.rows("changes.csv") + [[version, date, "测试文件", "测试用的新版本。", date]])


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """(loaded data, folder of a fresh release of a new version, built with SITE_URL set), made once: the tests only
    read it (the one that breaks a file breaks a copy)."""
    root = tmp_path_factory.mktemp("research")
    shutil.copytree(DATAPACKAGE, root / "datapackage")
    package = Copy(root / "datapackage")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", BASE)
        bump(package)
        data = load(package.descriptor)
        folder = root / "release"
        export.write(folder, export.build_release(data))
        yield data, folder


def test_the_descriptor_declares_data_package_v2_and_frictionless_v2_profiles_accept_it(release):
    data, folder = release
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"] == PROFILE and "profile" not in descriptor
    assert all(r.get("type") == "table" and "profile" not in r for r in descriptor["resources"])
    normalised = Package(descriptor, basepath=str(folder)).to_descriptor()
    assert normalised["$schema"] == PROFILE
    assert [e.message for e in Package.metadata_validate(normalised)] == []
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])


def test_frictionless_reads_the_zip_as_the_data_package_and_finds_it_valid(release):
    data, folder = release
    zipped = next(folder.glob("*.zip"))
    report = validate(str(zipped), type="package")
    assert report.valid and len(report.tasks) == len(data["meta"]["resources"]), report.flatten(["message"])


def test_csvwvalidate_passes_the_table_group_in_strict_mode(release):
    data, folder = release
    group = json.loads((folder / "csv-metadata.json").read_text(encoding="utf-8"))
    assert {t["url"] for t in group["tables"]} == {f"{r['name']}.csv" for r in data["meta"]["resources"]}
    assert group["dc:license"]["@id"] == metadata.licence(data["meta"])["path"]
    run = subprocess.run([str(Path(sys.executable).parent / "csvwvalidate"), "csv-metadata.json"], cwd=folder,
                         capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip() == "OK", run.stdout + run.stderr


def test_csvwvalidate_refuses_a_reference_to_a_missing_row(release, tmp_path):
    data, folder = release
    folder = shutil.copytree(folder, tmp_path / "release")  # broken here, not in the module's release
    target = next(c for c in folder.glob("*.csv") if "excel" not in c.name
                  for t in json.loads((folder / "csv-metadata.json").read_text(encoding="utf-8"))["tables"]
                  if t["url"] == c.name and t["tableSchema"].get("foreignKeys"))
    lines = target.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    key = next(t for t in json.loads((folder / "csv-metadata.json").read_text(encoding="utf-8"))["tables"]
               if t["url"] == target.name)["tableSchema"]["foreignKeys"][0]["columnReference"][0]
    row = lines[1] if len(lines) > 1 else None
    if row is None:
        pytest.skip("the table with a foreign key has no rows to break")
    import csv
    cells = next(csv.reader([row]))
    cells[header.index(key)] = "NO-SUCH-ROW"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, cells] + [next(csv.reader([l])) for l in lines[2:]])
    target.write_text(out.getvalue(), encoding="utf-8")
    run = subprocess.run([str(Path(sys.executable).parent / "csvwvalidate"), "csv-metadata.json"], cwd=folder, capture_output=True, text=True)
    assert run.returncode != 0 or run.stdout.strip() != "OK"


def dcat_graph(folder: Path, data: dict, base: str) -> rdflib.Graph:
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    dates = {r["version"]: r["date"] for r in data["rows"]["changes"]}
    text = metadata.dcat(data["meta"], files, f"data/v{VERSION}/", dates, [VERSION], "data", base, data["rows"])
    return rdflib.Graph().parse(data=text, format="json-ld", publicID=(base or "http://localhost/") + "data/catalog.jsonld")


def test_the_dcat_catalogue_parses_with_absolute_iris_typed_dates_and_passes_the_dcat_ap_subset(release):
    data, folder = release
    g = dcat_graph(folder, data, BASE)
    dataset = g.value(predicate=RDF.type, object=DCAT.Dataset, any=False)
    assert str(dataset) == f"{BASE}data/v{VERSION}/"
    assert g.value(dataset, DCTERMS.modified) == rdflib.Literal("2030-01-01", datatype=XSD.date)
    assert g.value(dataset, DCTERMS.issued).datatype == XSD.date
    distributions = list(g.objects(dataset, DCAT.distribution))
    assert len(distributions) == len([p for p in folder.iterdir() if p.is_file()])
    for d in distributions:
        assert str(g.value(d, DCAT.downloadURL)).startswith(BASE)
        assert str(g.value(d, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
    conforms, _, report = shacl(g, shacl_graph=rdflib.Graph().parse(SHAPES), inference="none")
    assert conforms, report


def test_without_site_url_the_catalogue_still_passes_with_iris_relative_to_itself(release):
    data, folder = release
    g = dcat_graph(folder, data, "")
    assert str(g.value(predicate=RDF.type, object=DCAT.Dataset, any=False)) == f"http://localhost/data/v{VERSION}/"
    conforms, _, report = shacl(g, shacl_graph=rdflib.Graph().parse(SHAPES), inference="none")
    assert conforms, report


def test_the_schema_org_dataset_has_what_googles_dataset_guidelines_recommend(release):
    data, folder = release
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    dates = {r["version"]: r["date"] for r in data["rows"]["changes"]}
    so = metadata.schema_org(data["meta"], files, f"data/v{VERSION}/", dates, "downloads/", BASE, data["rows"])
    for key in ("name", "description", "url", "identifier", "citation", "temporalCoverage", "spatialCoverage", "publisher",
                "creator", "license", "isAccessibleForFree", "distribution", "version", "dateModified"):
        assert so.get(key) not in (None, "", []), key
    assert so["dateModified"] == "2030-01-01" and so["url"].startswith(BASE)
    assert all(d["contentUrl"].startswith(f"{BASE}data/v{VERSION}/") for d in so["distribution"])
    g = rdflib.Graph().parse(data=json.dumps({**so, "@context": {"@vocab": "https://schema.org/"}}), format="json-ld")
    assert (None, RDF.type, rdflib.URIRef("https://schema.org/Dataset")) in g


def test_the_citations_carry_the_release_year_the_version_and_the_address_and_bibtex_parses(release):
    data, folder = release
    library = bibtexparser.parse_string((folder / "CITATION.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks and len(library.entries) == 1
    entry = library.entries[0]
    fields = {k: v.strip("{}") for k, v in entry.fields_dict.items() for v in [v.value]}
    assert fields["year"] == "2030" and fields["version"] == VERSION and fields["url"] == f"{BASE}data/v{VERSION}/"
    assert "2030" in entry.key and VERSION.replace(".", "_") in entry.key
    csl = json.loads((folder / "CITATION.json").read_text(encoding="utf-8"))[0]
    assert csl["type"] == "dataset" and csl["issued"]["date-parts"] == [[2030, 1, 1]] and csl["URL"] == fields["url"]
    gbt = metadata.citation(data["meta"], "2030-01-01", fields["url"])["gbt"]
    assert "[DS/OL]" in gbt and "2030" in gbt and gbt.endswith(f"{BASE}data/v{VERSION}/.")


def test_every_workbook_carries_the_licence_and_the_source(release):
    data, folder = release
    lic, source = metadata.licence(data["meta"])["path"], data["meta"]["sources"][0]["path"]
    for res in data["meta"]["resources"]:
        wb = load_workbook(folder / f"{res['name']}.xlsx")
        assert lic in wb.properties.description and source in wb.properties.description
        assert wb.properties.creator != "openpyxl"
        notes = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row)
        assert lic in notes and source in notes and "第五条" in notes
        assert wb.worksheets[0].max_row == len(data["rows"][res["name"]]) + 1


def test_the_sqlite_file_is_consistent_searchable_and_carries_the_licence(release):
    data, folder = release
    con = sqlite3.connect(next(folder.glob("*.sqlite")))
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    meta = dict(con.execute("SELECT key, value FROM meta"))
    assert metadata.licence(data["meta"])["path"] in meta["许可协议"] and meta["版本"] == VERSION and "LIKE" in meta["全文检索"]
    # a two-word phrase (at least three characters, the trigram tokenizer's unit) finds its service
    service = next(s for s in data["rows"]["services"] if len(s["name"]) >= 4)
    phrase = service["name"][-4:]
    found = [r[0] for r in con.execute("SELECT s.id FROM services_fts JOIN services AS s ON s.rowid = services_fts.rowid "
                                       "WHERE services_fts MATCH ?", (f'"{phrase}"',))]
    assert service["id"] in found
    # every foreign key column has an index
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"):
        indexed = {con.execute(f"PRAGMA index_info('{i[1]}')").fetchone()[2] for i in con.execute(f"PRAGMA index_list('{table}')")}
        for fk in con.execute(f"PRAGMA foreign_key_list('{table}')"):
            assert fk[3] in indexed, (table, fk[3])
    # list fields as link tables, one row per item
    for res in data["meta"]["resources"]:
        for f in res["schema"]["fields"]:
            if f.get("type") == "list":
                count = con.execute(f'SELECT COUNT(*) FROM "{res["name"]}_{f["name"]}"').fetchone()[0]
                assert count == sum(len(r.get(f["name"]) or []) for r in data["rows"][res["name"]])
    # views join services to domains and targets to tasks
    for view, column in (("services_labelled", "domain_id_label"), ("targets_labelled", "task_id_label")):
        assert column in [c[1] for c in con.execute(f"PRAGMA table_info('{view}')")]
    assert con.execute("SELECT COUNT(*) FROM services_labelled").fetchone()[0] == len(data["rows"]["services"])
    # an empty column keeps its declared type
    types = {c[1]: c[2] for c in con.execute("PRAGMA table_info('services')")}
    fields = {f["name"]: f.get("type", "string") for f in data["meta"]["resources"][[r["name"] for r in data["meta"]["resources"]].index("services")]["schema"]["fields"]}
    assert all(types[n] == {"integer": "INTEGER", "number": "REAL", "date": "DATE"}.get(t, types[n]) for n, t in fields.items())


def test_the_release_checksums_cover_every_file_including_each_service_record(release):
    data, folder = release
    listed = {line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()}
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert listed == files and any(n.startswith("services/") for n in listed)


def test_a_v1_profile_left_in_the_descriptor_is_refused_with_the_v2_fix(package):
    from scripts import validate as validator
    package.edit_descriptor(lambda d: package.resource(d, "tasks").update(profile="tabular-data-resource"))
    found = [p.text() for p in validator.problems(package.descriptor)]
    assert any("tasks" in t and "type" in t and "table" in t for t in found), found


def test_every_foreign_key_is_a_link_the_same_way_every_column_has_its_property_and_the_group_its_language(release):
    data, folder = release
    group = json.loads((folder / "csv-metadata.json").read_text(encoding="utf-8"))
    assert group["lang"] == data["meta"]["language"]
    tables = {t["url"]: t for t in group["tables"]}
    for res in data["meta"]["resources"]:
        columns = {c["name"]: c for c in tables[f"{res['name']}.csv"]["tableSchema"]["columns"]}
        assert len({c["propertyUrl"] for c in columns.values()}) == len(columns)
        assert all(c["propertyUrl"].endswith(f"#{res['name']}.{n}") for n, c in columns.items())
        for fk in res["schema"].get("foreignKeys", []):
            fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
            if len(fields) == 1:
                target = fk["reference"].get("resource") or res["name"]
                assert columns[fields[0]]["valueUrl"] == f"{target}.csv#{{{fields[0]}}}", (res["name"], fields[0])


def test_the_schema_org_dataset_is_dated_by_the_releases_publication_not_by_the_approval(release):
    data, folder = release
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    issued = {"1.0.0": "2026-11-28", VERSION: "2030-01-02"}
    so = metadata.schema_org(data["meta"], files, f"data/v{VERSION}/", issued, "downloads/", BASE, data["rows"])
    assert so["datePublished"] == "2026-11-28" and so["dateModified"] == "2030-01-02" and "2030-01-02" in so["citation"]
