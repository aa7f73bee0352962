"""The disclosure office's tools: Excel templates made from the schema (xlsx_templates, also built into the site),
importing a filled workbook (import_xlsx), rewriting CSV files in canonical form (normalise), and what a change does
to the data (diff, which also checks the version bump)."""
