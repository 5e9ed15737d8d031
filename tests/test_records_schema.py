"""The record schemas: the README's field tables are generated from them and kept in step."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from metrokg.records import KINDS, SCHEMAS, SOURCE_FIELDS
from metrokg.records.schema import check, markdown

ROOT = Path(__file__).resolve().parents[1]


def _tables_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("record_tables",
                                                  ROOT / "scripts" / "record_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_tables_are_generated_from_the_schemas() -> None:
    text = (ROOT / "graph" / "README.md").read_text(encoding="utf-8")
    assert markdown().removesuffix("\n") in text
    assert _tables_script().render(text) == text, "run scripts/record_tables.py"


def test_every_field_has_a_row() -> None:
    tables = markdown()
    for kind, fields in KINDS.items():
        section = tables.split(f"### `{kind}`", 1)[1].split("\n### ", 1)[0]
        for name in fields:
            assert f"| `{name}` |" in section, (kind, name)


def test_source_fields_are_common_to_every_kind() -> None:
    assert SOURCE_FIELDS[:5] == ("kind", "quote", "document", "url", "as_of")
    assert not any(set(SOURCE_FIELDS) & set(fields) for fields in KINDS.values())


def test_a_valid_record_has_no_problems() -> None:
    record = {"kind": "element", "plan": "p", "level": "action", "code": "1.1.3",
              "parent": "1.1", "text": {"ca": "Crear una taula"}, "status_mark": "V",
              "target": {"value": 0.7, "unit": "percent", "comparator": ">=", "year": 2030},
              "quote": "1.1.3. Crear una taula"}
    assert list(check(record)) == []
    assert set(SCHEMAS["element"].names) >= set(record) - set(SOURCE_FIELDS)
