"""Curated records: reading `graph/data/*.yaml` into plain, located records.

A record is one passage of one source: it carries a quote (checked against its
document) or a URL, and the facts that passage supports. See graph/README.md.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .sources import Document, QuoteLocation, require_quote

__all__ = ["KINDS", "Record", "load_records", "read_record_file"]

KINDS: dict[str, tuple[str, ...]] = {
    # kind: the fields it may carry (besides the source fields)
    "organisation": ("id", "type", "name", "alt", "part_of", "public"),
    "facts": ("about", "name", "alt", "homepage", "founded", "wikidata", "ror", "identifier",
              "address", "part_of", "description", "note"),
    "plan": ("id", "title", "alt", "responsible", "period", "description", "replaces",
             "replaced_by", "status_marks"),
    "element": ("plan", "level", "code", "slug", "parent", "text", "wording", "status_mark",
                "status", "status_basis", "note", "target"),
    "relation": ("subject", "role", "object", "during", "amount", "id", "note"),
    "involvement": ("organisation", "in", "role", "note"),
    "sdg": ("subject", "relation", "goals", "targets", "agenda"),
    "stated-totals": ("plan", "level", "total", "by_status"),
    "person": ("id", "name", "post"),
    "concept": ("scheme", "slug", "code", "label", "broader", "scheme_title", "about"),
}
SOURCE_FIELDS = ("kind", "quote", "document", "url", "as_of", "reading")

_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_AS_OF = re.compile(r"^\d{4}(-\d{2}){0,2}$")


@dataclass(frozen=True)
class Record:
    """One curated record, with its source resolved and checked."""

    file: str
    line: int
    kind: str
    fields: Mapping[str, Any]
    document: Document | None = None
    quote: QuoteLocation | None = None
    url: str | None = None
    as_of: str | None = None
    label: str = field(default="")
    reading: str = "printed"  # how its statements were read: a slug of mkg:Readings

    def error(self, message: str, field: str | None = None, hint: str | None = None) -> InputError:
        """An :class:`InputError` located at this record."""
        return InputError(self.file, message, record=self.label or self.kind, field=field,
                          hint=hint, line=self.line)


def _located_items(path: Path, text: str) -> tuple[dict[str, Any], list[int]]:
    """Parse *text*; return the document and the 1-based line of each record."""
    where = str(path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(where, f"malformed YAML: {problem}",
                         line=mark.line + 1 if mark else None,
                         hint="fix the indentation or quoting at that line") from None
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise InputError(where, "expected a mapping with a `records:` list",
                         hint="see graph/README.md for the file layout")
    lines: list[int] = []
    assert node is not None
    for key_node, value_node in node.value:
        if key_node.value == "records":
            lines = [item.start_mark.line + 1 for item in value_node.value]
    return data, lines


def _csv_items(where: str, text: str) -> tuple[dict[str, Any], list[int]]:
    """Rows of a CSV record file as record mappings, with their line numbers.

    Columns are field names; ``name.ca`` fills a language map, ``period.start`` a nested
    field; ``a|b`` is a list; ``true``/``false`` and whole numbers are typed; an empty cell
    is an absent field.

    >>> data, lines = _csv_items("x.csv", "kind,id,name.en,goals\\nsdg,a,Alpha,3|5\\n")
    >>> data["records"][0]["name"], data["records"][0]["goals"], lines
    ({'en': 'Alpha'}, [3, 5], [2])
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(where, "empty CSV file", hint="the first row names the fields") from None
    except csv.Error as exc:
        raise InputError(where, f"malformed CSV: {exc}", line=1) from None
    if "kind" not in header:
        raise InputError(where, "the header has no `kind` column", line=1,
                         hint="the first row names the fields: kind,id,type,name.ca,…,quote")
    records: list[dict[str, Any]] = []
    lines: list[int] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(where, f"row has {len(row)} cells, the header {len(header)}",
                                 line=line, hint="quote cells that contain commas")
            record: dict[str, Any] = {}
            for column, cell in zip(header, row, strict=True):
                if cell.strip():
                    _put(record, column.strip(), _typed(cell.strip()))
            records.append(record)
            lines.append(line)
    except csv.Error as exc:
        raise InputError(where, f"malformed CSV: {exc}", line=reader.line_num,
                         hint="check the quoting on that line") from None
    return {"records": records}, lines


def _typed(cell: str) -> Any:
    if "|" in cell:
        return [_typed(part.strip()) for part in cell.split("|") if part.strip()]
    if cell in ("true", "false"):
        return cell == "true"
    return int(cell) if re.fullmatch(r"-?\d+", cell) and not cell.startswith("0") else cell


def _put(record: dict[str, Any], column: str, value: Any) -> None:
    keys = column.split(".")
    target = record
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = value


def read_record_file(path: Path, documents: Mapping[str, Document],
                     *, display: str | None = None) -> list[Record]:
    """Read one data file: check its structure and every record's source."""
    where = display or str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(where, "file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not UTF-8 (byte {exc.start})",
                         hint="re-save the file as UTF-8") from None
    if path.suffix.lower() == ".csv":
        data, lines = _csv_items(where, text)
    else:
        data, lines = _located_items(path, text)
    default_doc = data.get("document")
    if default_doc is not None and default_doc not in documents:
        raise InputError(where, f"unknown document {default_doc!r}", field="document",
                         hint="use an id from graph/sources/documents.yaml")
    records: list[Record] = []
    for index, raw in enumerate(data["records"]):
        line = lines[index] if index < len(lines) else 0
        records.append(_check_record(raw, where, line, default_doc, documents))
    return records


def _check_record(raw: Any, where: str, line: int, default_doc: str | None,
                  documents: Mapping[str, Document]) -> Record:
    if not isinstance(raw, dict):
        raise InputError(where, "a record must be a mapping of fields", line=line)
    kind = raw.get("kind")
    label = _label(raw)
    if kind not in KINDS:
        raise InputError(where, f"unknown kind {kind!r}", record=label, field="kind", line=line,
                         hint=f"use one of: {', '.join(KINDS)}")
    unknown = sorted(set(raw) - set(KINDS[kind]) - set(SOURCE_FIELDS))
    if unknown:
        raise InputError(where, f"unknown field {unknown[0]!r} for kind {kind}", record=label,
                         field=unknown[0], line=line,
                         hint=f"allowed: {', '.join(KINDS[kind])}")
    fields = {k: v for k, v in raw.items() if k not in SOURCE_FIELDS}
    reading = str(raw.get("reading", "printed"))
    has_quote, has_url = "quote" in raw, "url" in raw
    if has_quote == has_url:
        raise InputError(where, "a record cites exactly one source: `quote` or `url`",
                         record=label, field="quote", line=line,
                         hint="quote the passage, or give the URL that states the fact")
    if has_url:
        url, as_of = str(raw["url"]), str(raw.get("as_of", ""))
        if not _URL.match(url):
            raise InputError(where, f"not an http(s) URL: {url!r}", record=label, field="url",
                             line=line)
        if not _AS_OF.match(as_of):
            raise InputError(where, "a URL source needs `as_of` (YYYY-MM)", record=label,
                             field="as_of", line=line)
        return Record(where, line, kind, fields, url=url, as_of=as_of, label=label,
                      reading=reading)
    doc_id = raw.get("document", default_doc)
    if doc_id is None:
        raise InputError(where, "a quote needs a document", record=label, field="document",
                         line=line, hint="set `document:` at the top of the file or on the record")
    document = documents.get(str(doc_id))
    if document is None:
        raise InputError(where, f"unknown document {doc_id!r}", record=label, field="document",
                         line=line, hint="use an id from graph/sources/documents.yaml")
    quote = raw["quote"]
    if not isinstance(quote, str) or not quote.strip():
        raise InputError(where, "empty quote", record=label, field="quote", line=line)
    location = require_quote(document, quote, f"{where}:{line}", label)
    return Record(where, line, kind, fields, document=document, quote=location, label=label,
                  reading=reading)


def _label(raw: Mapping[str, Any]) -> str:
    """A human handle for a record in messages: kind plus its most telling fields."""
    kind = str(raw.get("kind", "?"))
    for key in ("id", "about", "code", "slug", "subject", "organisation", "plan"):
        if key in raw:
            extra = f"/{raw['code']}" if key == "plan" and "code" in raw else ""
            return f"{kind} {raw[key]}{extra}"
    return kind


def load_records(data_dir: Path, documents: Mapping[str, Document],
                 *, extra: Iterable[Path] = ()) -> list[Record]:
    """Every record of every `*.yaml` / `*.csv` in *data_dir* (by name), then of *extra*."""
    files = sorted([*data_dir.glob("*.yaml"), *data_dir.glob("*.csv")]) + [Path(p) for p in extra]
    records: list[Record] = []
    for path in files:
        try:
            display = str(path.relative_to(data_dir.parent.parent))
        except ValueError:
            display = str(path)
        records.extend(read_record_file(path, documents, display=display))
    return records
