"""Step 1 of the pipeline: check a data package and say every problem in Chinese (file, Excel row, column, how to fix).

`problems(descriptor)` is the check; `python -m scripts.validate` prints it. Modules, in the order the check runs:
descriptor (datapackage.json's structure), raw (each CSV's bytes and header), messages (Frictionless' findings in
Chinese), rules (the project's own rules: quotes, statuses, numbers), provenance (which registered document each quote comes from and
whether its status may say so), statements (what a target's sentence states: its year, 累计, 每年; “十三五”末 is not a
written year, a year earlier in the paragraph governs), numbers (a value is a whole number of its quote), reading (code
values no spreadsheet reads as formulas, comparators that follow the scale, list counts and names are not quantities,
one spelling per unit), dated (every dated commitment of the text is a milestone, and a milestone is dated), fields (a
service's list field says that field for that service), vocabulary (search words say no more than the text), corpus
(each registered document's own text, which its quotes are found in),
problem (one problem, said for people and for GitHub annotations).
"""
from .check import main, problems

__all__ = ["main", "problems"]
