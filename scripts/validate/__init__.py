"""Step 1 of the pipeline: check a data package and say every problem in Chinese (file, Excel row, column, how to fix).

`problems(descriptor)` is the check; `python -m scripts.validate` prints it. Modules, in the order the check runs:
descriptor (datapackage.json's structure), raw (each CSV's bytes and header), messages (Frictionless' findings in
Chinese), rules (the project's own rules: provenance, statuses, numbers), corpus (the source texts quotes are found in),
problem (one problem, said for people and for GitHub annotations).
"""
from .check import main, problems

__all__ = ["main", "problems"]
