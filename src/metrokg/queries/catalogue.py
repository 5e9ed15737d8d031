"""The query catalogue: the competency questions in ``queries/*.rq`` and their parameters.

Every catalogue file starts with a header comment that this module reads::

    # id: actions-involving
    # en: Which actions and deliverables name a given organisation or one of its units?
    # ca: Quines actuacions i lliuraments esmenten una organització o una de les seves unitats?
    # param: org org-id uclg  the organisation: an id such as `amb`, or a full IRI
    # expected: expected/actions-involving.csv

and whose body binds each parameter in exactly one ``VALUES ?name { default }`` block, so
the file runs as it is on any SPARQL 1.1 engine. Binding a parameter replaces the content
of that block with one RDF term built and checked from the value (:func:`bind`): the
value is first made a pyoxigraph term (an IRI that must parse, a plain literal), and the
term's N-Triples text — escaped by pyoxigraph — is what goes inside the braces. The
user's raw text never reaches the query.

Defaults and values are written under the default base (:data:`DEFAULT_BASE`). A build
made with another base mints its ``id/`` and ``graph/`` IRIs under that base, so binding
for such a build (``base=…``) re-bases every parameter's term, given or default
(:func:`rebase`); the vocabulary (``def/``) never moves.

Convention (the same on the embedded store and on any endpoint): every triple pattern sits
inside an explicit ``GRAPH ?g { … }`` block; the default graph is empty and never queried,
so no engine option (union default graph) changes the answers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError
from ..namespaces import DEFAULT_BASE, OTYPE, ROLE, SDG, STATUS

__all__ = [
    "PARAMETER_TYPES", "CatalogueEntry", "Parameter", "bind", "find", "load_catalogue",
    "lookup", "make_term", "parse_entry", "rebase",
]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")

PARAMETER_TYPES: dict[str, str] = {
    "org-id": "an organisation id (e.g. amb) or a full IRI",
    "plan-id": "a plan id (e.g. amb-pam-2015-2019) or a full IRI",
    "role": "a role slug (e.g. member, funder) or a full IRI",
    "org-type": "an organisation-type slug (e.g. city-network) or a full IRI",
    "status": "a status slug (achieved, in-progress, not-developed) or a full IRI",
    "sdg-goal": "an SDG goal number 1-17",
    "lang": "a language tag (ca, es, en)",
    "text": "any text (bound as a plain string literal)",
    "iri": "an absolute IRI",
}
"""Parameter types a catalogue header may declare, and what each accepts."""

_MINTED = ("id/", "graph/")
"""Parts of the base that a build's ``--base`` moves (the vocabulary under def/ stays)."""

_NAMESPACES: dict[str, str] = {
    "org-id": DEFAULT_BASE + "id/org/",
    "plan-id": DEFAULT_BASE + "id/plan/",
    "role": str(ROLE),
    "org-type": str(OTYPE),
    "status": str(STATUS),
}


@dataclass(frozen=True)
class Parameter:
    """A parameter of a catalogue query: its name, type, default value and meaning."""

    name: str
    type: str
    default: str
    description: str


@dataclass(frozen=True)
class CatalogueEntry:
    """One catalogue query, read from its ``.rq`` file."""

    id: str
    path: Path
    question_en: str
    question_ca: str
    parameters: tuple[Parameter, ...]
    expected: Path | None
    text: str
    stamp: tuple[int, int] = (0, 0)
    """The file's modification time (ns) and size when it was read."""

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


def rebase(iri: str, base: str) -> str:
    """*iri*, minted under the default base, moved under *base* (``id/`` and ``graph/``).

    >>> rebase("https://w3id.org/metrokg/id/org/amb", "https://example.org/kg/")
    'https://example.org/kg/id/org/amb'
    >>> rebase("https://w3id.org/metrokg/def/role/member", "https://example.org/kg/")
    'https://w3id.org/metrokg/def/role/member'
    """
    if base != DEFAULT_BASE:
        for part in _MINTED:
            if iri.startswith(DEFAULT_BASE + part):
                return base + iri[len(DEFAULT_BASE):]
    return iri


def make_term(ptype: str, value: str, *, where: str = "parameter",
              base: str = DEFAULT_BASE) -> ox.NamedNode | ox.Literal:
    """The RDF term for *value* as a parameter of type *ptype*, or a :class:`QueryError`.

    IRIs minted under the default base are re-based under *base* (:func:`rebase`).

    >>> make_term("org-id", "amb").value
    'https://w3id.org/metrokg/id/org/amb'
    >>> make_term("sdg-goal", "11").value
    'http://metadata.un.org/sdg/11'
    >>> str(make_term("lang", "ca"))
    '"ca"'
    >>> make_term("org-id", "amb> } ?x ?y { <z")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    metrokg.errors.QueryError: parameter: 'amb> } ?x ?y { <z' is not an organisation id ...
    """
    value = value.strip()
    bad = QueryError(f"{where}: {value!r} is not {PARAMETER_TYPES.get(ptype, ptype)}")
    if ptype in _NAMESPACES:
        if _SLUG.match(value):
            return ox.NamedNode(rebase(_NAMESPACES[ptype] + value, base))
        return _iri(value, bad, base)
    if ptype == "iri":
        return _iri(value, bad, base)
    if ptype == "sdg-goal":
        if value.isdigit() and 1 <= int(value) <= 17 and not value.startswith("0"):
            return ox.NamedNode(str(SDG) + value)
        raise bad
    if ptype == "lang":
        if _LANG.match(value):
            return ox.Literal(value.lower())
        raise bad
    if ptype == "text":
        return ox.Literal(value)
    raise QueryError(f"{where}: unknown parameter type {ptype!r} "
                     f"(use one of: {', '.join(PARAMETER_TYPES)})")


def _iri(value: str, error: QueryError, base: str) -> ox.NamedNode:
    text = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if not _IRI.match(text):
        raise error
    try:
        return ox.NamedNode(rebase(text, base))
    except ValueError:
        raise error from None


def bind(entry: CatalogueEntry, params: Mapping[str, str] | None = None, *,
         base: str = DEFAULT_BASE) -> str:
    """The entry's query text with each parameter's ``VALUES`` block set to its value.

    Unknown parameter names and values that do not fit the parameter's type are refused
    with a :class:`QueryError`; parameters not given keep their defaults — re-based, as
    given values are, when *base* (the base of the build queried) is not the default.
    """
    params = dict(params or {})
    unknown = sorted(set(params) - {p.name for p in entry.parameters})
    if unknown:
        known = ", ".join(p.name for p in entry.parameters) or "none"
        raise QueryError(f"query {entry.id}: unknown parameter {unknown[0]!r} "
                         f"(its parameters: {known})")
    text = entry.text
    for p in entry.parameters:
        if p.name not in params and base == DEFAULT_BASE:
            continue
        term = make_term(p.type, params.get(p.name, p.default), base=base,
                         where=f"query {entry.id}, parameter {p.name}")
        text = _values_block(p.name).sub(
            lambda m, t=term: f"{m.group(1)}{{ {t} }}", text, count=1)  # type: ignore[misc]
    return text


def _values_block(name: str) -> re.Pattern[str]:
    return re.compile(r"(VALUES\s+\?" + re.escape(name) + r"\s*)\{[^{}]*\}", re.IGNORECASE)


# ---------------------------------------------------------------- reading the catalogue


def load_catalogue(folder: Path) -> dict[str, CatalogueEntry]:
    """Every ``*.rq`` directly in *folder* (sub-folders hold checks and projections).

    Parsed once per process: later calls only look at the files' names, sizes and
    modification times, and parse again when one of them changed.
    """
    if not folder.is_dir():
        raise QueryError(f"no query catalogue at {folder}")
    paths = sorted(folder.glob("*.rq"))
    stamp = tuple((p.name, st.st_mtime_ns, st.st_size) for p in paths for st in [p.stat()])
    key = str(folder.resolve())
    cached = _CACHE.get(key)
    if cached is None or cached[0] != stamp:
        entries = [parse_entry(path) for path in paths]
        cached = _CACHE[key] = (stamp, {e.id: e for e in entries})
    return dict(cached[1])


_CACHE: dict[str, tuple[tuple[tuple[str, int, int], ...], dict[str, CatalogueEntry]]] = {}


def lookup(folder: Path, name: str) -> CatalogueEntry:
    """The entry called *name* in the catalogue in *folder* (see :func:`find`).

    What :func:`load_catalogue` parsed is reused while the folder (files added, removed,
    renamed) and the entry's own file (edited) are unchanged: two ``stat`` calls, not
    one per file — a query run on an open store costs little more than the engine's run.
    """
    key = str(folder)
    try:
        folder_stamp = folder.stat().st_mtime_ns
    except OSError:
        raise QueryError(f"no query catalogue at {folder}") from None
    known = _LOOKUPS.get(key)
    if known is None or known[0] != folder_stamp:
        known = _LOOKUPS[key] = (folder_stamp, load_catalogue(folder))
    entry = find(known[1], name)
    try:
        st = entry.path.stat()
    except OSError:  # removed since: read the folder again
        _LOOKUPS.pop(key, None)
        return find(load_catalogue(folder), name)
    if (st.st_mtime_ns, st.st_size) != entry.stamp:
        _LOOKUPS.pop(key, None)
        entry = find(load_catalogue(folder), name)
    return entry


_LOOKUPS: dict[str, tuple[int, dict[str, CatalogueEntry]]] = {}


def find(catalogue: Mapping[str, CatalogueEntry], name: str) -> CatalogueEntry:
    """The entry called *name*, or a :class:`QueryError` suggesting close names."""
    if name in catalogue:
        return catalogue[name]
    close = difflib.get_close_matches(name, list(catalogue), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "`metrokg query --list` shows them"
    raise QueryError(f"no catalogue query named {name!r} ({hint})")


_HEADER = re.compile(r"^#\s*(id|en|ca|param|expected|note):\s*(.*)$")


def parse_entry(path: Path) -> CatalogueEntry:
    """Read one catalogue file and check its header against its body."""
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            params.append(_parameter(path, lineno, value))
        elif key != "note":
            fields[key] = value

    def fail(message: str, hint: str) -> QueryError:
        return QueryError(f"{path}:1: {message} ({hint})")

    for key in ("id", "en", "ca"):
        if not fields.get(key):
            raise fail(f"the header has no `# {key}:` line",
                       "start the file with # id:, # en:, # ca: and # expected: lines")
    if fields["id"] != path.stem:
        raise fail(f"header id {fields['id']!r} differs from the file name",
                   f"name the file {fields['id']}.rq or change the id")
    for p in params:
        blocks = _values_block(p.name).findall(text)
        if len(blocks) != 1:
            raise fail(f"parameter {p.name} needs exactly one `VALUES ?{p.name} {{ … }}` block, "
                       f"found {len(blocks)}", "put its default value in one VALUES block")
        make_term(p.type, p.default, where=f"{path}: default of parameter {p.name}")
    expected = fields.get("expected")
    return CatalogueEntry(
        id=fields["id"], path=path, question_en=fields["en"], question_ca=fields["ca"],
        parameters=tuple(params), expected=(path.parent / expected) if expected else None,
        text=text, stamp=(st.st_mtime_ns, st.st_size))


def _parameter(path: Path, lineno: int, value: str) -> Parameter:
    parts = value.split(None, 3)
    if len(parts) < 3 or parts[1] not in PARAMETER_TYPES:
        raise QueryError(f"{path}:{lineno}: malformed parameter line (write `# param: NAME "
                         f"TYPE DEFAULT description`, TYPE one of: {', '.join(PARAMETER_TYPES)})")
    return Parameter(parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else "")
