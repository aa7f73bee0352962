"""Step 2 of the pipeline: the download files of every published version, and publishing a new one.

export (the files of one release and where they go in the site), formats (CSV for Excel, XLSX, JSON, SQLite, ZIP,
checksums), metadata (CSVW, DCAT, schema.org, Atom, citations), freeze (releases/v<version>/, written once, kept
forever). `python -m scripts.publish` is what CI runs after a merge to main.
"""
