"""Reading record files: what the loader gives the schema (values, lines) for valid input."""

from __future__ import annotations

import datetime

import pytest

from metrokg.errors import InputError
from metrokg.records.load import parse_yaml, read_csv, read_yaml


def test_lines_of_records_and_fields() -> None:
    raw = read_yaml("document: d\nrecords:\n  - kind: person\n    id: ada\n\n"
                    "  - kind: person\n    id: bob\n    name: Bob\n", "x.yaml")
    assert raw.document == "d"
    assert [(i.line, i.field_lines) for i in raw.items] == [
        (3, {"kind": 3, "id": 4}), (6, {"kind": 6, "id": 7, "name": 8})]


@pytest.mark.parametrize(("text", "value"), [
    ("true", True), ("false", False), ("True", True),
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"),  # YAML 1.2: text
    ("12", 12), ("-3", -3), ("010", "010"), ("0x1F", "0x1F"), ("1_000", "1_000"),
    ("1:20", "1:20"), ("0.7", 0.7), ("1_000.5", "1_000.5"),
    ("2020-05-01", datetime.date(2020, 5, 1)), ("2020-13-01", "2020-13-01"),
    ("2020-05", "2020-05"), ("~", None), ('"2020"', "2020"),
])
def test_scalars_are_typed_the_yaml_1_2_way(text: str, value: object) -> None:
    got = read_yaml(f"records:\n  - v: {text}\n", "x").items[0].value["v"]
    assert got == value and type(got) is type(value)


def test_empty_records_list() -> None:
    assert read_yaml("records: []\n", "x").items == []


def test_csv_with_byte_order_mark_and_nested_columns() -> None:
    raw = read_csv("\ufeffkind,name.ca,name.en,period.start,goals,public\n"
                   "organisation,Àrea,Area,2015,3|11,true\n", "x.csv")
    assert raw.items[0].value == {"kind": "organisation", "name": {"ca": "Àrea", "en": "Area"},
                                  "period": {"start": 2015}, "goals": [3, 11], "public": True}
    assert raw.items[0].line == 2


def test_document_index_is_a_list() -> None:
    assert parse_yaml("- id: a\n  file: a.txt\n  title: {ca: Títol}\n", "i.yaml") == [
        {"id": "a", "file": "a.txt", "title": {"ca": "Títol"}}]


def test_a_records_item_that_is_a_list_keeps_its_place() -> None:
    raw = read_yaml("records:\n  - [a, b]\n  - kind: person\n", "x")
    assert [i.value for i in raw.items] == [["a", "b"], {"kind": "person"}]


def test_key_given_twice_inside_a_nested_mapping() -> None:
    with pytest.raises(InputError, match="duplicate key 'en'"):
        read_yaml("records:\n  - kind: organisation\n    name: {en: A, en: B}\n", "x")
