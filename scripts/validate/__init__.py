"""Step 1 of the pipeline: check a data package and say every problem in Chinese (file, Excel row, column, how to fix).

`problems(descriptor)` is the check; `python -m scripts.validate` prints it. Modules, in the order the check runs:
descriptor (datapackage.json's structure), raw (each CSV's bytes and header), messages (Frictionless' findings in
Chinese), rules (the project's own rules: quotes, statuses, numbers), provenance (which registered document each quote comes from and
whether its status may say so), statements (what a target's sentence states: its year, 累计, 每年), corpus (each registered
document's own text, which its quotes are found in),
problem (one problem, said for people and for GitHub annotations).
"""
from .check import main, problems

__all__ = ["main", "problems"]
