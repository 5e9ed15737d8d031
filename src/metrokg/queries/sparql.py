"""Running SPARQL: a catalogue query, a ``.rq`` file or inline text — locally or remotely.

Locally the query runs on Oxigraph's engine (pyoxigraph) over the built dataset, in a
child process with a timeout, cut off the network unless ``allow_service`` (so
``SERVICE`` reaches nothing by default, and a query that crashes the engine is an
error, not a crash of the caller). With an ``endpoint`` it is sent to any SPARQL 1.1
endpoint over HTTP (httpx) with a total deadline, a cap on the answer's size and no
redirect to another host. Both paths take the same text and give the same result
types, whose terms are pyoxigraph terms::

    >>> import metrokg
    >>> result = metrokg.query("SELECT ?n WHERE { VALUES ?n { 1 2 } }", store=pyoxigraph.Store())
    >>> [row[0].value for row in result.rows]
    ['1', '2']

Every query is parsed (never run) before it is run in this process or sent, so a syntax
error is reported with its file, line and column and nothing reaches the endpoint. A
catalogue query run on the built dataset is the exception: the project's own file with
checked terms bound in it, it goes straight to the child process, which is cut off the
network, and its engine reads it there (the parser only explains a failure); parsing
with rdflib costs about a second per process, far more than the query (docs/decisions/0242).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph

from ..errors import QueryError
from ..namespaces import DEFAULT_BASE
from ..paths import ProjectPaths, default_paths
from .catalogue import CatalogueEntry, bind, lookup
from .queryparse import QueryRefused, QueryShape, decode_escapes, nesting_depth

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

__all__ = [
    "DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "AskResult", "GraphResult", "PreparedQuery",
    "QueryResult", "SelectResult",
    "prepare", "query", "run",
]

DEFAULT_TIMEOUT = 30.0
"""Seconds a query may take, locally or on an endpoint, before it fails."""

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""Largest answer read from an endpoint (bytes); a bigger one fails, unread."""

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
Form = Literal["select", "ask", "graph"]


@dataclass(frozen=True)
class PreparedQuery:
    """A query ready to run: its final text, where it came from and its form."""

    text: str
    name: str
    """Catalogue id, file path or ``<inline>``: used in every error message."""
    form: Form | None
    """``None`` while not parsed: a catalogue query, parsed only where it must be (:func:`run`)."""
    entry: CatalogueEntry | None = None
    service: bool = False
    """The query holds ``SERVICE`` (it runs locally only with ``allow_service``)."""


@dataclass(frozen=True)
class SelectResult:
    """The solutions of a SELECT query: variable names and rows of terms (None = unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]
    name: str = "<inline>"

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self.rows)

    def records(self) -> list[dict[str, str | None]]:
        """Rows as dicts of plain strings (IRI or lexical form), for notebooks and JSON."""
        return [{v: (None if t is None else t.value) for v, t in zip(self.variables, row,
                                                                      strict=True)}
                for row in self.rows]

    def to_dataframe(self) -> Any:  # a pandas.DataFrame; pandas is optional
        """The rows as a pandas DataFrame of strings (needs pandas installed)."""
        try:
            import pandas  # type: ignore[import-untyped]
        except ImportError:
            raise QueryError("to_dataframe needs pandas: pip install pandas") from None
        return pandas.DataFrame(self.records(), columns=list(self.variables))


@dataclass(frozen=True)
class AskResult:
    """The answer of an ASK query."""

    value: bool
    name: str = "<inline>"

    def __bool__(self) -> bool:
        return self.value


@dataclass(frozen=True)
class GraphResult:
    """The triples of a CONSTRUCT or DESCRIBE query."""

    triples: tuple[pyoxigraph.Triple, ...]
    name: str = "<inline>"
    prefixes: Mapping[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.triples)

    def serialize(self, format: str = "turtle") -> str:
        """The triples as ``turtle``, ``ntriples`` or ``jsonld`` text."""
        formats = {"turtle": pyoxigraph.RdfFormat.TURTLE,
                   "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
                   "jsonld": pyoxigraph.RdfFormat.JSON_LD}
        if format not in formats:
            raise QueryError(f"cannot write a graph as {format!r} (use one of: "
                             f"{', '.join(formats)})")
        kwargs: dict[str, Any] = {}
        if format != "ntriples":
            kwargs["prefixes"] = dict(self.prefixes)
        data = pyoxigraph.serialize(self.triples, format=formats[format], **kwargs)
        return data.decode("utf-8") if isinstance(data, bytes) else str(data)

    def to_rdflib(self) -> rdflib.Graph:
        """The triples as an rdflib Graph, parsed by rdflib's own N-Triples parser."""
        import rdflib

        return rdflib.Graph().parse(data=self.serialize("ntriples"), format="nt")


QueryResult = SelectResult | AskResult | GraphResult


# ---------------------------------------------------------------- preparing


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_MIN_PARSE_SECONDS = 10.0
"""Parsing gets at least this long whatever the query's own timeout (starting the parser's
process alone takes a fraction of a second)."""

_MAX_DEPTH = 64
"""Bracket nesting a query may have (Oxigraph's parser recurses: 5000 levels crash it)."""


def prepare(name_or_text: str | Path, *, params: Mapping[str, str] | None = None,
            paths: ProjectPaths | None = None, base: str | None = None,
            timeout: float = DEFAULT_TIMEOUT) -> PreparedQuery:
    """Resolve a catalogue name, ``.rq`` path or inline text; bind parameters; parse it.

    A string that looks like a name (no spaces or braces) is a catalogue id; one ending
    in ``.rq`` is a file. A catalogue query's parameters are bound for the dataset's
    *base* (default: the base recorded by the build in ``paths.output``), so its
    defaults and values written under the default base name the build's things. Raises
    :class:`QueryError` for unknown names, bad parameters and syntax errors (with file,
    line and column) — a catalogue query's syntax is checked by :func:`run` instead.
    """
    entry: CatalogueEntry | None = None
    text_in = str(name_or_text)
    if isinstance(name_or_text, Path) or text_in.endswith(".rq"):
        path = Path(name_or_text)
        if not path.is_file():
            raise QueryError(f"no query file at {path}")
        text, name = path.read_text(encoding="utf-8"), str(path)
        if params:
            raise QueryError(f"{name}: --param works with catalogue queries only "
                             "(put the value in the query's VALUES block)")
    elif _NAME.match(text_in.strip()):
        paths = paths or default_paths()
        entry = lookup(paths.queries, text_in.strip())
        if base is None:
            from ..outputs.summary import recorded_base

            base = recorded_base(paths.output)
        text, name = bind(entry, params, base=base), entry.id
    else:
        if params:
            raise QueryError("--param works with catalogue queries only "
                             "(put the value in the query's VALUES block)")
        text, name = text_in, "<inline>"
    text = _decoded(text, name)
    if entry is not None:
        return PreparedQuery(text, name, None, entry)
    return _parsed(PreparedQuery(text, name, None), timeout)


def _parsed(prepared: PreparedQuery, timeout: float) -> PreparedQuery:
    """*prepared* with its form and ``SERVICE`` flag, from parsing it (once per text)."""
    if prepared.form is not None:
        return prepared
    shape = _SHAPES.get(prepared.text)
    if shape is None:
        shape = _shape(prepared.text, prepared.name, max(timeout, _MIN_PARSE_SECONDS))
        if len(_SHAPES) >= _SHAPES_KEPT:
            _SHAPES.clear()
        _SHAPES[prepared.text] = shape
    return replace(prepared, form=_FORMS[shape.form], service=shape.service)


_SHAPES: dict[str, QueryShape] = {}
"""What parsing said of each text already parsed in this process (the same text, the same
shape): a notebook that runs a query again does not parse it again."""
_SHAPES_KEPT = 256


def _decoded(text: str, name: str) -> str:
    known = _DECODED.get(text)
    if known is not None:
        return known
    decoded = _checked(text, name)
    if len(_DECODED) >= _SHAPES_KEPT:
        _DECODED.clear()
    _DECODED[text] = decoded
    return decoded


_DECODED: dict[str, str] = {}
"""Texts already decoded and checked in this process, and what they became."""


def _checked(text: str, name: str) -> str:
    try:
        text = decode_escapes(text)
    except QueryRefused as exc:
        raise QueryError(f"{name}: {exc.message}") from None
    depth = nesting_depth(text)
    if depth > _MAX_DEPTH:
        raise QueryError(f"{name}: the query nests brackets {depth} deep; at most "
                         f"{_MAX_DEPTH} levels are accepted")
    return text


def _shape(text: str, name: str, timeout: float) -> QueryShape:
    """Parse *text* — never run it with network access — within *timeout* seconds.

    rdflib's parser decides, in a child process cut off the network
    (:func:`metrokg.queries.localrun.parse_isolated`: a hostile text that makes the parser slow
    or crash stops that child, not the caller). When rdflib refuses the syntax,
    Oxigraph's parser is asked too, in the same child: its message locates the error
    better, and a query only Oxigraph reads (newer syntax) is still accepted.
    """
    from .localrun import parse_isolated

    kind, value = parse_isolated(text, name=name, timeout=timeout)
    if kind == "shape":
        assert isinstance(value, QueryShape)
        return value
    assert isinstance(value, tuple)
    refused, message, (reading, detail) = (str(value[0]), str(value[1]),
                                           (str(value[2][0]), str(value[2][1])))
    if refused not in ("syntax", "depth"):
        raise QueryError(f"{name}: {message}")
    if reading == "form":  # service unknown: a local run is cut off the network anyway
        return QueryShape({"select": "SELECT", "ask": "ASK"}.get(detail, "CONSTRUCT"))
    if reading == "syntax":
        message = detail
    match = (re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL) or
             re.match(r"line (\d+), column (\d+): (.*)", message, re.DOTALL))
    if match:
        raise QueryError(f"{name}:{match.group(1)}:{match.group(2)}: syntax error: "
                         f"{' '.join(match.group(3).split())}")
    raise QueryError(f"{name}: syntax error: {' '.join(message.split())}")


_FORMS: dict[str, Form] = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph",
                           "DESCRIBE": "graph"}


# ---------------------------------------------------------------- running


def run(prepared: PreparedQuery, *, store: pyoxigraph.Store | None = None,
        endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT,
        paths: ProjectPaths | None = None, allow_service: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES) -> QueryResult:
    """Run a prepared query on *store*, on the built dataset, or on *endpoint*.

    Without *store* the built dataset is queried in a child process stopped after
    *timeout* seconds and cut off the network unless *allow_service*. With *store* the
    query runs in this process (no timeout). ``SERVICE`` is refused locally unless
    *allow_service*; on an endpoint, the endpoint decides.
    """
    if not (timeout > 0 and timeout < float("inf")):
        raise QueryError(f"timeout must be a positive number of seconds, not {timeout}")
    if endpoint is not None:
        return _run_remote(_parsed(prepared, timeout), endpoint, timeout, max_bytes)
    if store is not None:  # this process is not cut off the network: parse first
        prepared = _parsed(prepared, timeout)
    _refuse_service(prepared, allow_service)
    if store is not None:
        return _run_local(prepared, store)
    from .localrun import run_isolated

    paths = paths or default_paths()
    try:
        kind, value = run_isolated(paths.output, prepared.text,
                                   name=prepared.name, timeout=timeout,
                                   allow_network=allow_service,
                                   parsed=prepared.form is not None)
    except QueryError:
        if prepared.form is not None:
            raise
        # an unparsed catalogue query failed: the parser says why, if it can
        _refuse_service(_parsed(prepared, timeout), allow_service)
        raise
    if kind == "unparsed":  # the child could not cut itself off the network
        prepared = _parsed(prepared, timeout)
        _refuse_service(prepared, allow_service)
        kind, value = run_isolated(paths.output, prepared.text, name=prepared.name,
                                   timeout=timeout, allow_network=allow_service)
    try:
        if kind == "ask":
            return AskResult(bool(value), prepared.name)
        assert isinstance(value, bytes)
        if kind == "graph":
            return _graph(value, pyoxigraph.RdfFormat.N_TRIPLES, prepared.name)
        return _solutions(value, pyoxigraph.QueryResultsFormat.TSV, prepared.name)
    except (SyntaxError, ValueError) as exc:  # pragma: no cover - our own child's output
        raise QueryError(f"{prepared.name}: cannot read the query's answer: {exc}") from None


def _refuse_service(prepared: PreparedQuery, allow_service: bool) -> None:
    if prepared.service and not allow_service:
        raise QueryError(f"{prepared.name}: the query uses SERVICE, which sends it to another "
                         "endpoint; pass --allow-service (allow_service=True) if you mean it")


def query(name_or_text: str | Path, *, params: Mapping[str, str] | None = None,
          endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT,
          store: pyoxigraph.Store | None = None, paths: ProjectPaths | None = None,
          allow_service: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
          base: str | None = None) -> QueryResult:
    """Run a catalogue query (by id), a ``.rq`` file or inline SPARQL text.

    The default graph is the union of the named graphs locally, as on ``metrokg serve``;
    the catalogue's queries match inside ``GRAPH ?g { … }`` so they give the same answers
    on any endpoint.

    Args:
        name_or_text: catalogue id (``"actions-involving"``), path to a ``.rq`` file, or
            the query text itself.
        params: values for a catalogue query's parameters (``{"org": "amb"}``); each is
            checked against the parameter's type and bound in its ``VALUES`` block.
        endpoint: a SPARQL 1.1 query endpoint URL; default: the embedded store.
        timeout: seconds the query may take, locally or on the endpoint.
        store: an open pyoxigraph store to reuse (default: load the built dataset).
        paths: the checkout whose catalogue and build are used (default: this one).
        allow_service: let a local query's ``SERVICE`` reach other endpoints.
        max_bytes: the largest answer read from *endpoint*.
        base: the base the queried dataset was built with; default: the one recorded by
            the build in ``paths.output``, or the default base with *store* or *endpoint*
            (pass it when their dataset was built under another base).

    Returns:
        :class:`SelectResult`, :class:`AskResult` or :class:`GraphResult`.

    Raises:
        QueryError: unknown name, bad parameter, syntax error, endpoint failure.
        StoreError: no built dataset (run ``metrokg build``).
    """
    if base is None and (store is not None or endpoint is not None):
        base = DEFAULT_BASE
    prepared = prepare(name_or_text, params=params, paths=paths, base=base,
                       timeout=timeout)
    return run(prepared, store=store, endpoint=endpoint, timeout=timeout, paths=paths,
               allow_service=allow_service, max_bytes=max_bytes)


def _prefixes() -> dict[str, str]:
    from ..namespaces import PREFIXES

    return dict(PREFIXES)


def _run_local(prepared: PreparedQuery, store: pyoxigraph.Store) -> QueryResult:
    try:
        result = store.query(prepared.text, use_default_graph_as_union=True)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return AskResult(bool(result), prepared.name)
        if isinstance(result, pyoxigraph.QueryTriples):
            return GraphResult(tuple(result), prepared.name, _prefixes())
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(solution) for solution in result)  # its values, in variable order
    except Exception as exc:  # the engine's errors: OSError, RuntimeError (unknown function)…
        raise QueryError(f"{prepared.name}: {_first_line(exc)}") from None
    return SelectResult(variables, rows, prepared.name)


def _solutions(body: bytes, format: pyoxigraph.QueryResultsFormat, name: str) -> SelectResult:
    results = pyoxigraph.parse_query_results(body, format)
    if not isinstance(results, pyoxigraph.QuerySolutions):
        raise ValueError("a boolean where solutions were expected")
    variables = tuple(v.value for v in results.variables)
    rows = tuple(tuple(solution) for solution in results)
    return SelectResult(variables, rows, name)


def _graph(body: bytes, format: pyoxigraph.RdfFormat, name: str) -> GraphResult:
    triples = tuple(q.triple for q in pyoxigraph.parse(body, format=format))
    return GraphResult(triples, name, _prefixes())


_RESULT_TYPES = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "application/xml": pyoxigraph.QueryResultsFormat.XML,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
}
_GRAPH_TYPES = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "text/plain": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
}


def _run_remote(prepared: PreparedQuery, endpoint: str, timeout: float,
                max_bytes: int) -> QueryResult:
    from ..http import HttpFailure, request, summary

    if not re.match(r"^https?://", endpoint):
        raise QueryError(f"endpoint {endpoint!r} is not an http(s) URL")
    where = f"{prepared.name} on {summary(endpoint, 200)}"
    accept = ("text/turtle, application/n-triples;q=0.9" if prepared.form == "graph" else
              "application/sparql-results+json, application/sparql-results+xml;q=0.9")
    try:
        reply = request("POST", endpoint, data={"query": prepared.text}, timeout=timeout,
                        max_bytes=max_bytes, headers={"Accept": accept,
                                                      "Accept-Encoding": "gzip, deflate"})
    except HttpFailure as exc:
        raise QueryError(f"{prepared.name}: {exc}") from None
    if reply.status != 200:
        raise QueryError(f"{where}: HTTP {reply.status}{_explain(reply.status)}"
                         f"{_error_line(reply.body, reply.media_type)}")
    media = reply.media_type
    try:
        if prepared.form == "graph":
            if media not in _GRAPH_TYPES:
                raise ValueError(f"it is {summary(media, 60) or 'untyped'}, not an RDF graph "
                                 "format (Turtle, N-Triples, RDF/XML)")
            return _graph(reply.body, _GRAPH_TYPES[media], prepared.name)
        if media not in _RESULT_TYPES:
            raise ValueError(f"it is {summary(media, 60) or 'untyped'}, not SPARQL results "
                             "(JSON, XML or TSV)")
        if prepared.form == "ask":
            answer = pyoxigraph.parse_query_results(reply.body, _RESULT_TYPES[media])
            if not isinstance(answer, pyoxigraph.QueryBoolean):
                raise ValueError("solutions where an ASK answer (a boolean) was expected")
            return AskResult(bool(answer), prepared.name)
        return _solutions(reply.body, _RESULT_TYPES[media], prepared.name)
    except (ValueError, SyntaxError, OSError, RecursionError, MemoryError) as exc:
        raise QueryError(f"{where}: the answer is not valid SPARQL results: "
                         f"{_first_line(exc)}") from None


def _explain(status: int) -> str:
    return {400: " (the endpoint refused the query as malformed)",
            401: " (the endpoint needs credentials)", 403: " (forbidden)",
            404: " (no SPARQL endpoint at this URL; Oxigraph serves queries at /query)",
            429: " (too many queries; try again later)",
            500: " (endpoint error)", 503: " (the endpoint is unavailable)"}.get(status, "")


def _error_line(body: bytes, media: str) -> str:
    """The first line of a plain-text error body; never a whole page."""
    if media not in ("text/plain", "") or not body:
        return ""
    from ..http import summary

    line = summary(body[:2000].decode("utf-8", errors="replace"))
    return f": {line}" if line else ""


def _first_line(exc: BaseException) -> str:
    from ..http import summary

    return summary(str(exc)) or type(exc).__name__
