"""Curated records: reading `graph/data/*.yaml` / `*.csv` into plain, checked, located records.

A record is one passage of one source: it carries a quote (checked against its
document) or a URL, and the facts that passage supports. See graph/README.md.

    load.py     YAML (one pass, libyaml) and CSV into raw items, under limits.py
    schema.py   one declarative schema per record kind (checks fields, prints the README tables)
    types.py    the field types the schemas are made of
    read.py     files → records: sources checked, every problem reported in one run
"""

from __future__ import annotations

from .read import load_records, read_record_file
from .record import Record
from .schema import KINDS, SCHEMAS, SOURCE_FIELDS

__all__ = ["KINDS", "SCHEMAS", "SOURCE_FIELDS", "Record", "load_records", "read_record_file"]
