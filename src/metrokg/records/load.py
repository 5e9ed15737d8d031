"""Reading a record file (YAML or CSV) into raw items, under the limits of `limits.py`.

YAML is read once, as a stream of libyaml events (``CSafeLoader``), and built into plain
values by a loop with an explicit stack: no recursion, no anchors or aliases (so no
alias bomb), no tags beyond YAML's core scalars, no duplicate keys; every value counted
against the file's limits as it arrives. Scalars are typed the YAML 1.2 way: ``yes``,
``no``, ``on`` and ``off`` are text, not booleans; a date-like value that is not a real
date (month 13) stays text, for the schema to refuse with a located message.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from ..errors import InputError
from .limits import MAX_CELL_CHARS, MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, MAX_SCALAR_CHARS
from .types import show as _show

__all__ = ["RawFile", "RawItem", "parse_yaml", "read_csv", "read_text", "read_yaml"]

_CORE = "tag:yaml.org,2002:"
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
          "FALSE": False}
_INT_DIGITS = 30  # longer numbers are refused, never converted (int() is quadratic)
_CSV_INT = re.compile(r"-?[1-9]\d{0,17}|0")
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9]\d*)")


@dataclass(frozen=True)
class RawItem:
    """One record as written: its value (a mapping, if well formed) and where it sits."""

    value: Any
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RawFile:
    """A record file's default `document` and its items, in order."""

    document: Any
    items: list[RawItem]


def read_text(data: bytes, where: str) -> str:
    """The file's text: UTF-8, within the size limit."""
    if len(data) > MAX_FILE_BYTES:
        raise InputError(where, f"the file is larger than {MAX_FILE_BYTES:,} bytes",
                         hint="split it into several files")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not UTF-8 (byte {exc.start})",
                         hint="re-save the file as UTF-8") from None


# ---------------------------------------------------------------- YAML


class _Frame:
    """A list or mapping being built."""

    __slots__ = ("field_lines", "is_map", "is_record", "is_records", "key", "value")

    def __init__(self, is_map: bool) -> None:
        self.is_map = is_map
        self.value: Any = {} if is_map else []
        self.key: Any = _NO_KEY
        self.is_records = False  # the `records:` list
        self.is_record = False  # an item of it
        self.field_lines: dict[str, int] = {}


_NO_KEY = object()


def read_yaml(text: str, where: str) -> RawFile:
    """Parse a YAML record file in one pass; raise a located :class:`InputError`.

    >>> raw = read_yaml("records:\\n  - kind: person\\n    id: ada\\n    public: yes\\n", "x")
    >>> raw.items[0].value, raw.items[0].line, raw.items[0].field_lines["id"]
    ({'kind': 'person', 'id': 'ada', 'public': 'yes'}, 2, 3)
    >>> read_yaml("records: [{code: 010, total: 12, hex: 0x1F}]", "x").items[0].value
    {'code': '010', 'total': 12, 'hex': '0x1F'}
    >>> read_yaml("a: &x [1]\\nb: *x\\n", "x.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    metrokg.errors.InputError: x.yaml:1: anchors and aliases (&, *) are not allowed ...
    """
    builder = _parse(text, where)
    if builder.root is None:
        raise InputError(where, "expected a mapping with a `records:` list",
                         hint="see graph/README.md for the file layout")
    return _file(builder.root, builder.items, where)


def parse_yaml(text: str, where: str) -> Any:
    """Any YAML file read under the same rules and limits (e.g. sources/documents.yaml).

    >>> parse_yaml("- id: a\\n  file: a.txt\\n", "x")
    [{'id': 'a', 'file': 'a.txt'}]
    """
    return _parse(text, where).root


def _parse(text: str, where: str) -> _Builder:
    """The values of *text*, built from libyaml's events (see the module docstring)."""
    loader = yaml.CSafeLoader(text)
    try:
        return _build(loader, where)
    finally:
        loader.dispose()


def _malformed(exc: yaml.YAMLError, where: str) -> InputError:
    mark: Any = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else None
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "nesting depth" in problem:
        return InputError(where, f"nested deeper than {MAX_DEPTH} levels", line=line,
                          hint="record files are flat mappings; see graph/README.md")
    return InputError(where, f"malformed YAML: {problem}", line=line,
                      hint="fix the indentation or quoting at that line")


def _build(loader: yaml.CSafeLoader, where: str) -> _Builder:
    builder = _Builder(loader, where)
    while True:
        try:
            event: Any = loader.get_event()
            if isinstance(event, yaml.StreamEndEvent):
                break
            builder.feed(event)
        except yaml.YAMLError as exc:
            error = _malformed(exc, where)
            error.record, error.field = builder.position()
            raise error from None
        except InputError as exc:
            if exc.record is None:  # say which record and field the problem is in
                exc.record, field = builder.position()
                exc.field = exc.field or field
            raise
    return builder


class _Builder:
    """Plain values from YAML events, with an explicit stack (no recursion)."""

    def __init__(self, loader: yaml.CSafeLoader, where: str) -> None:
        self.loader, self.where = loader, where
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.items: list[RawItem] = []
        self.nodes = 0

    def position(self) -> tuple[str | None, str | None]:
        """The record (`#n`) and field being read, if inside a record."""
        for frame in self.stack:
            if frame.is_record:
                key = frame.key if frame.key is not _NO_KEY else None
                return f"#{len(self.items)}", None if key is None else _field(key)
        return None, None

    def feed(self, event: Any) -> None:
        where, stack, items = self.where, self.stack, self.items
        line = event.start_mark.line + 1
        if isinstance(event, yaml.StreamStartEvent | yaml.DocumentEndEvent):
            return
        if isinstance(event, yaml.DocumentStartEvent):
            if self.root is not None:
                raise InputError(where, "a record file holds one YAML document", line=line,
                                 hint="remove the `---`")
            return
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise InputError(where, "anchors and aliases (&, *) are not allowed in record files",
                             line=line, hint="write each value out")
        if isinstance(event, yaml.CollectionEndEvent):
            frame = stack.pop()
            if frame.is_record:
                items[-1] = RawItem(frame.value, items[-1].line, frame.field_lines)
            value = frame.value
        else:
            self.nodes += 1
            if self.nodes > MAX_NODES:
                raise InputError(where, f"more than {MAX_NODES:,} YAML values", line=line,
                                 hint="split the file into several files")
            if isinstance(event, yaml.CollectionStartEvent):
                self._open(event, line)
                return
            if not isinstance(event, yaml.ScalarEvent):  # pragma: no cover - none other
                raise InputError(where, f"unexpected YAML event {type(event).__name__}",
                                 line=line)
            value = _scalar(self.loader, event, where, line)
        if not stack:
            self.root = value
        else:
            _add(stack[-1], value, where, line, items)

    def _open(self, event: Any, line: int) -> None:
        stack, tag = self.stack, event.tag
        is_map = isinstance(event, yaml.MappingStartEvent)
        if tag not in (None, "!", _CORE + ("map" if is_map else "seq")):
            raise _tag_error(self.where, tag, line)
        if len(stack) >= MAX_DEPTH:
            raise InputError(self.where, f"nested deeper than {MAX_DEPTH} levels", line=line,
                             hint="record files are flat mappings; see graph/README.md")
        frame = _Frame(is_map)
        parent = stack[-1] if stack else None
        if parent is not None and not parent.is_map and parent.is_records:
            frame.is_record = is_map
            if is_map:
                self.items.append(RawItem(None, line))
        elif parent is not None and parent.is_map and len(stack) == 1 \
                and parent.key == "records" and not is_map:
            frame.is_records = True
        stack.append(frame)


def _add(frame: _Frame, value: Any, where: str, line: int, items: list[RawItem]) -> None:
    """Put *value* into the list or mapping being built."""
    if not frame.is_map:
        frame.value.append(value)
        if frame.is_records and len(items) < len(frame.value):
            items.append(RawItem(value, line))  # an item that is not a mapping
        return
    if frame.key is _NO_KEY:
        if isinstance(value, dict | list):
            raise InputError(where, "a mapping key must be a plain value", line=line)
        if value in frame.value:
            raise InputError(where, f"duplicate key {_show(value)}", line=line,
                             field=_field(value) if frame.is_record else None,
                             hint="give each field once")
        frame.key = value
        if frame.is_record and isinstance(value, str):
            frame.field_lines[value] = line
        return
    frame.value[frame.key] = value
    frame.key = _NO_KEY


def _scalar(loader: yaml.CSafeLoader, event: yaml.ScalarEvent, where: str, line: int) -> Any:
    text = event.value
    if len(text) > MAX_SCALAR_CHARS:
        raise InputError(where, f"a value of {len(text):,} characters; the limit is "
                                f"{MAX_SCALAR_CHARS:,}", line=line,
                         hint="record the passage, not the whole document")
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, text, event.implicit)  # type: ignore[no-untyped-call]
    if not tag.startswith(_CORE):
        raise _tag_error(where, tag, line)
    kind = tag[len(_CORE):]
    if kind == "str":
        return text
    if kind == "null":
        return None
    if kind == "bool":
        return _BOOLS.get(text, text)  # YAML 1.2: yes/no/on/off are text
    node = yaml.ScalarNode(tag, text)
    if kind == "int":
        if len(text) > _INT_DIGITS:
            raise InputError(where, f"a number of {len(text)} digits", line=line,
                             hint="write numbers of at most 30 digits")
        if not _PLAIN_INT.fullmatch(text):
            return text  # 010, 0x1F, 1_000, 1:20 are YAML 1.1 numbers; kept as written
        return int(text)
    if kind == "float":
        if len(text) > _INT_DIGITS:
            raise InputError(where, f"a number of {len(text)} characters", line=line,
                             hint="write numbers of at most 30 characters")
        if "_" in text or ":" in text:
            return text  # 1_000.5 and 190:20:30.15 are YAML 1.1 numbers; kept as written
        return SafeConstructor.construct_yaml_float(loader, node)
    if kind == "timestamp":
        try:
            return SafeConstructor.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError):
            return text  # not a real date: the schema says so, with the record and field
    raise _tag_error(where, tag, line)


def _tag_error(where: str, tag: str, line: int) -> InputError:
    short = tag.replace(_CORE, "!!")
    return InputError(where, f"YAML tag {_show(short)} is not allowed in record files",
                      line=line, hint="write plain values, lists and mappings")


def _file(root: Any, items: list[RawItem], where: str) -> RawFile:
    if not isinstance(root, dict) or not isinstance(root.get("records"), list):
        raise InputError(where, "expected a mapping with a `records:` list",
                         hint="see graph/README.md for the file layout")
    unknown = sorted(str(k) for k in root if k not in ("document", "records"))
    if unknown:
        raise InputError(where, f"unknown top-level key {_show(unknown[0])}",
                         hint="a record file has `document:` and `records:` only")
    return RawFile(root.get("document"), items)


# ---------------------------------------------------------------- CSV


def read_csv(text: str, where: str) -> RawFile:
    """Rows of a CSV record file as record mappings, with their line numbers.

    Columns are field names; ``name.ca`` fills a language map, ``period.start`` a nested
    field; ``a|b`` is a list; ``true``/``false`` and whole numbers are typed; an empty cell
    is an absent field.

    >>> raw = read_csv("kind,id,name.en,goals\\nsdg,a,Alpha,3|5\\n", "x.csv")
    >>> raw.items[0].value["name"], raw.items[0].value["goals"], raw.items[0].line
    ({'en': 'Alpha'}, [3, 5], 2)
    >>> read_csv("kind,name,name.ca\\n", "x.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    metrokg.errors.InputError: x.csv:1, field name.ca: column `name.ca` clashes with column `name` ...
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise InputError(where, "empty CSV file", hint="the first row names the fields") from None
    except csv.Error as exc:
        raise InputError(where, f"malformed CSV: {_csv_problem(exc)}", line=1) from None
    columns = _columns(header, where)
    items: list[RawItem] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(where, f"row has {len(row)} cells, the header {len(header)}",
                                 line=line, hint="quote cells that contain commas")
            record: dict[str, Any] = {}
            for keys, cell in zip(columns, row, strict=True):
                if cell.strip():
                    _put(record, keys, _typed(cell.strip()))
            items.append(RawItem(record, line, {keys[0]: line for keys in columns}))
    except csv.Error as exc:
        raise InputError(where, f"malformed CSV: {_csv_problem(exc)}", line=reader.line_num,
                         hint="check the quoting on that line") from None
    return RawFile(None, items)


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is longer than {MAX_CELL_CHARS:,} characters"
    return text


def _columns(header: list[str], where: str) -> list[tuple[str, ...]]:
    """Each column's field path, refusing empty, repeated and clashing names."""
    if "kind" not in header:
        raise InputError(where, "the header has no `kind` column", line=1,
                         hint="the first row names the fields: kind,id,type,name.ca,…,quote")
    seen: dict[tuple[str, ...], str] = {}
    columns: list[tuple[str, ...]] = []
    for column in header:
        keys = tuple(column.split("."))
        if not all(keys):
            raise InputError(where, f"column {_show(column)} has an empty name or part",
                             line=1, hint="name every column, e.g. name.ca")
        if keys in seen:
            raise InputError(where, f"column `{column}` appears twice", line=1, field=column,
                             hint="give each field one column")
        for other_keys, other in seen.items():
            shorter, longer = sorted((keys, other_keys), key=len)
            if longer[:len(shorter)] == shorter:
                mapping, single = (column, other) if len(keys) > len(other_keys) else (other,
                                                                                      column)
                raise InputError(
                    where, f"column `{mapping}` clashes with column `{single}`", line=1,
                    field=column, hint=f"a field is either one value or a mapping: keep "
                                       f"`{single}.ca`, `{single}.es`, … or `{single}` alone")
        seen[keys] = column
        columns.append(keys)
    return columns


def _typed(cell: str) -> Any:
    if "|" in cell:
        return [_typed(part.strip()) for part in cell.split("|") if part.strip()]
    if cell in ("true", "false"):
        return cell == "true"
    return int(cell) if _CSV_INT.fullmatch(cell) else cell


def _put(record: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    target = record
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = value


# ---------------------------------------------------------------- helpers


def _field(value: Any) -> str:
    return value if isinstance(value, str) and len(value) <= 40 and value.isprintable() \
        else _show(value, 40)
