"""Record files → checked records, every problem of every file reported in one run."""

from __future__ import annotations

import io
import pickle
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError, InputErrors
from ..forked import Forked, parallel
from .limits import MAX_FILE_BYTES, MAX_PROBLEMS
from .load import RawFile, RawItem, read_csv, read_text, read_yaml
from .record import Record
from .schema import SOURCE_FIELDS, check, label
from .sources import Document, require_quote
from .types import show

__all__ = ["PARALLEL_BYTES", "load_records", "read_record_file"]


class _Problems:
    """The problems found so far: the first MAX_PROBLEMS kept, all counted."""

    def __init__(self) -> None:
        self.kept: list[InputError] = []
        self.total = 0

    def add(self, error: InputError) -> None:
        self.total += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(error)

    def raise_any(self) -> None:
        if len(self.kept) == 1 and self.total == 1:
            raise self.kept[0]
        if self.kept:
            raise InputErrors.of(self.kept, total=self.total)


def read_record_file(path: Path, documents: Mapping[str, Document],
                     *, display: str | None = None) -> list[Record]:
    """Read one data file: check its structure and every record's fields and source.

    Raises:
        InputError: the first problem, if there is one; :class:`InputErrors` if several.
    """
    problems = _Problems()
    records = _read(path, documents, display or str(path), problems)
    problems.raise_any()
    return records


PARALLEL_BYTES = 1 << 20
"""Record files larger than this in total are read by two processes (halves by size)."""


def load_records(data_dir: Path, documents: Mapping[str, Document],
                 *, extra: Iterable[Path] = ()) -> list[Record]:
    """Every record of every `*.yaml` / `*.csv` in *data_dir* (by name), then of *extra*.

    Above :data:`PARALLEL_BYTES` of files (and with two cores), a forked child reads the
    second half of the files while this process reads the first: the same records in the
    same order, the same problems.

    Raises:
        InputError: the one problem found; :class:`InputErrors` when there are several
            (every bad record of every file, up to MAX_PROBLEMS listed).
    """
    files = sorted([*data_dir.glob("*.yaml"), *data_dir.glob("*.csv")]) + [Path(p) for p in extra]
    shown: list[tuple[Path, str]] = []
    for path in files:
        try:
            shown.append((path, str(path.relative_to(data_dir.parent.parent))))
        except ValueError:
            shown.append((path, str(path)))
    split = _halfway(files) if parallel() else len(files)
    if split == len(files):
        records, problems = _read_part(shown, documents)
        problems.raise_any()
        return records
    tail = Forked(lambda: _pickled(_read_part(shown[split:], documents)), name="record reading")
    try:
        records, problems = _read_part(shown[:split], documents)
        part: tuple[list[Record], _Problems] = _unpickled(tail.result(), documents)
    except BaseException:
        tail.cancel()
        raise
    more, found = part
    for error in found.kept:
        problems.add(error)
    problems.total += found.total - len(found.kept)
    problems.raise_any()
    return records + more


def _read_part(shown: list[tuple[Path, str]], documents: Mapping[str, Document]
               ) -> tuple[list[Record], _Problems]:
    problems = _Problems()
    records: list[Record] = []
    for path, display in shown:
        records.extend(_read(path, documents, display, problems))
    return records, problems


def _pickled(value: object) -> bytes:
    """*value* pickled with each :class:`Document` as its id (the parent has them all)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.persistent_id = (  # type: ignore[method-assign]
        lambda obj: ("document", obj.id) if isinstance(obj, Document) else None)
    pickler.dump(value)
    return out.getvalue()


def _unpickled(data: bytes, documents: Mapping[str, Document]) -> Any:
    """What :func:`_pickled` wrote, each document id back to this process's document."""
    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = lambda pid: documents[pid[1]]  # type: ignore[method-assign]
    return unpickler.load()


def _halfway(files: list[Path]) -> int:
    """The index that splits *files* into halves of about equal size; len(files) when they
    are too small to be worth a second process."""
    sizes = []
    for path in files:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)  # reported when read
    total = sum(sizes)
    if total <= PARALLEL_BYTES or len(files) < 2:
        return len(files)
    running = 0
    for i, size in enumerate(sizes):
        running += size
        if running >= total / 2:
            return max(1, min(i + 1, len(files) - 1))
    return len(files) - 1


def _read(path: Path, documents: Mapping[str, Document], where: str,
          problems: _Problems) -> list[Record]:
    if not where.isprintable():  # a file name with a newline or terminal codes
        where = show(where, 200)
    try:
        raw = _parse(path, where)
        default_doc = raw.document
        if default_doc is not None and (not isinstance(default_doc, str)
                                        or default_doc not in documents):
            raise InputError(where, f"unknown document {show(default_doc)}", field="document",
                             hint="use an id from graph/sources/documents.yaml")
    except InputError as exc:
        problems.add(exc)
        return []
    records: list[Record] = []
    for item in raw.items:
        try:
            record = _record(item, where, default_doc, documents, problems)
        except InputError as exc:
            problems.add(exc)
            continue
        if record is not None:
            records.append(record)
    return records


def _parse(path: Path, where: str) -> RawFile:
    try:
        if path.exists() and not path.is_file():
            raise InputError(where, "not a regular file", hint="give a .yaml or .csv file")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # never more than the limit in memory
    except FileNotFoundError:
        raise InputError(where, "file not found") from None
    except OSError as exc:
        raise InputError(where, f"cannot read the file: {exc.strerror}") from None
    text = read_text(data, where)
    return read_csv(text, where) if path.suffix.lower() == ".csv" else read_yaml(text, where)


def _record(item: RawItem, where: str, default_doc: str | None,
            documents: Mapping[str, Document], problems: _Problems) -> Record | None:
    """The checked record, or None when its fields have problems (added to *problems*)."""
    raw, line = item.value, item.line
    if not isinstance(raw, dict):
        raise InputError(where, "a record must be a mapping of fields", line=line,
                         hint="start each record with `- kind: …`")
    name = label(raw)
    found = False
    for problem in check(raw):
        found = True
        top = problem.path.split(".", 1)[0]
        problems.add(InputError(where, problem.message, record=name, field=problem.path,
                                hint=problem.hint, line=item.field_lines.get(top, line)))
    if found:
        return None
    return _sourced(raw, item, where, name, default_doc, documents)


def _sourced(raw: dict[str, Any], item: RawItem, where: str, name: str,
             default_doc: str | None, documents: Mapping[str, Document]) -> Record:
    """The record with its source checked: exactly one of a quote (found) or a URL."""
    line, kind = item.line, str(raw["kind"])
    fields = {k: v for k, v in raw.items() if k not in SOURCE_FIELDS}
    has_quote, has_url = raw.get("quote") is not None, raw.get("url") is not None
    if has_quote == has_url:
        raise InputError(where, "a record cites exactly one source: `quote` or `url`",
                         record=name, field="quote", line=line,
                         hint="quote the passage, or give the URL that states the fact")
    if has_url:
        if raw.get("as_of") is None:
            raise InputError(where, "a URL source needs `as_of` (YYYY-MM)", record=name,
                             field="as_of", line=line)
        return Record(where, line, kind, fields, url=raw["url"], as_of=str(raw["as_of"]),
                      label=name, reading=str(raw.get("reading", "printed")))
    doc_id = raw.get("document", default_doc)
    if doc_id is None:
        raise InputError(where, "a quote needs a document", record=name, field="document",
                         line=line, hint="set `document:` at the top of the file or on the record")
    document = documents.get(str(doc_id))
    if document is None:
        raise InputError(where, f"unknown document {show(doc_id)}", record=name,
                         field="document", line=item.field_lines.get("document", line),
                         hint="use an id from graph/sources/documents.yaml")
    quote_line = item.field_lines.get("quote", line)
    location = require_quote(document, raw["quote"], f"{where}:{quote_line}", name)
    return Record(where, line, kind, fields, document=document, quote=location, label=name,
                  reading=str(raw.get("reading", "printed")))
