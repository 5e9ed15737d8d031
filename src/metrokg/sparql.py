"""Running SPARQL: a catalogue query, a ``.rq`` file or inline text — locally or remotely.

Locally the query runs on Oxigraph's engine (pyoxigraph) over the built dataset; with an
``endpoint`` it is sent to any SPARQL 1.1 endpoint with SPARQLWrapper, always with an
explicit timeout. Both paths take the same text and give the same result types, whose
terms are pyoxigraph terms::

    >>> import metrokg
    >>> result = metrokg.query("SELECT ?n WHERE { VALUES ?n { 1 2 } }", store=pyoxigraph.Store())
    >>> [row[0].value for row in result.rows]
    ['1', '2']

Every query is parsed before it is run or sent, so a syntax error is reported with its
file, line and column and nothing reaches the endpoint.
"""

from __future__ import annotations

import json
import re
import urllib.error
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph

from .catalogue import CatalogueEntry, bind, find, load_catalogue
from .errors import QueryError
from .paths import ProjectPaths, default_paths

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

__all__ = [
    "DEFAULT_TIMEOUT", "AskResult", "GraphResult", "PreparedQuery", "QueryResult", "SelectResult",
    "prepare", "query", "run",
]

DEFAULT_TIMEOUT = 30.0
"""Seconds an endpoint may take to answer before the query fails (remote queries only)."""

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
Form = Literal["select", "ask", "graph"]


@dataclass(frozen=True)
class PreparedQuery:
    """A query ready to run: its final text, where it came from and its form."""

    text: str
    name: str
    """Catalogue id, file path or ``<inline>``: used in every error message."""
    form: Form
    entry: CatalogueEntry | None = None


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
_UPDATE = re.compile(
    r"^(\s|#[^\n]*\n|(PREFIX\s+[^:\s]*:\s*<[^>]*>)|(BASE\s*<[^>]*>))*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)


def prepare(name_or_text: str | Path, *, params: Mapping[str, str] | None = None,
            paths: ProjectPaths | None = None) -> PreparedQuery:
    """Resolve a catalogue name, ``.rq`` path or inline text; bind parameters; parse it.

    A string that looks like a name (no spaces or braces) is a catalogue id; one ending
    in ``.rq`` is a file. Raises :class:`QueryError` for unknown names, bad parameters
    and syntax errors (with file, line and column).
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
        entry = find(load_catalogue(paths.queries), text_in.strip())
        text, name = bind(entry, params), entry.id
    else:
        if params:
            raise QueryError("--param works with catalogue queries only "
                             "(put the value in the query's VALUES block)")
        text, name = text_in, "<inline>"
    return PreparedQuery(text, name, _form(text, name), entry)


def _form(text: str, name: str) -> Form:
    """Parse *text* on an empty store: syntax errors and updates are refused here."""
    if _UPDATE.match(text):
        raise QueryError(f"{name}: this is a SPARQL update; only SELECT, ASK, CONSTRUCT "
                         "and DESCRIBE queries are run")
    try:
        result = pyoxigraph.Store().query(text)
    except SyntaxError as exc:
        message = str(exc)
        match = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
        if match:
            raise QueryError(f"{name}:{match.group(1)}:{match.group(2)}: syntax error: "
                             f"{match.group(3)}") from None
        raise QueryError(f"{name}: syntax error: {message}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"{name}: cannot run this query: {exc}") from None
    if isinstance(result, pyoxigraph.QueryBoolean):
        return "ask"
    if isinstance(result, pyoxigraph.QueryTriples):
        return "graph"
    return "select"


# ---------------------------------------------------------------- running


def run(prepared: PreparedQuery, *, store: pyoxigraph.Store | None = None,
        endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT,
        paths: ProjectPaths | None = None) -> QueryResult:
    """Run a prepared query on *store* (default: the built dataset) or on *endpoint*."""
    if endpoint is not None:
        return _run_remote(prepared, endpoint, timeout)
    if store is None:
        from .store import open_store

        store = open_store(paths or default_paths())
    return _run_local(prepared, store)


def query(name_or_text: str | Path, *, params: Mapping[str, str] | None = None,
          endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT,
          store: pyoxigraph.Store | None = None,
          paths: ProjectPaths | None = None) -> QueryResult:
    """Run a catalogue query (by id), a ``.rq`` file or inline SPARQL text.

    Args:
        name_or_text: catalogue id (``"actions-involving"``), path to a ``.rq`` file, or
            the query text itself.
        params: values for a catalogue query's parameters (``{"org": "amb"}``); each is
            checked against the parameter's type and bound in its ``VALUES`` block.
        endpoint: a SPARQL 1.1 query endpoint URL; default: the embedded store.
        timeout: seconds to wait for the endpoint (remote queries only).
        store: an open pyoxigraph store to reuse (default: load the built dataset).
        paths: the checkout whose catalogue and build are used (default: this one).

    Returns:
        :class:`SelectResult`, :class:`AskResult` or :class:`GraphResult`.

    Raises:
        QueryError: unknown name, bad parameter, syntax error, endpoint failure.
        StoreError: no built dataset (run ``metrokg build``).
    """
    prepared = prepare(name_or_text, params=params, paths=paths)
    return run(prepared, store=store, endpoint=endpoint, timeout=timeout, paths=paths)


def _prefixes() -> dict[str, str]:
    from .namespaces import PREFIXES

    return dict(PREFIXES)


def _run_local(prepared: PreparedQuery, store: pyoxigraph.Store) -> QueryResult:
    try:
        result = store.query(prepared.text)
    except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"{prepared.name}: {exc}") from None
    if isinstance(result, pyoxigraph.QueryBoolean):
        return AskResult(bool(result), prepared.name)
    if isinstance(result, pyoxigraph.QueryTriples):
        return GraphResult(tuple(result), prepared.name, _prefixes())
    variables = tuple(v.value for v in result.variables)
    rows = tuple(tuple(solution[v] for v in variables) for solution in result)
    return SelectResult(variables, rows, prepared.name)


def _run_remote(prepared: PreparedQuery, endpoint: str, timeout: float) -> QueryResult:
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper import SPARQLExceptions as sx

    if not re.match(r"^https?://", endpoint):
        raise QueryError(f"endpoint {endpoint!r} is not an http(s) URL")
    if timeout <= 0:
        raise QueryError(f"timeout must be positive, not {timeout}")
    wrapper = SPARQLWrapper(endpoint)
    wrapper.setQuery(prepared.text)
    wrapper.setMethod(POST)
    # SPARQLWrapper.setTimeout truncates to int and treats 0 as "no timeout" (so 0.5 s
    # would wait forever): set the attribute it passes to urlopen directly.
    wrapper.timeout = timeout  # type: ignore[assignment]
    wrapper.setReturnFormat(TURTLE if prepared.form == "graph" else JSON)
    where = f"{prepared.name} on {endpoint}"
    try:
        response = wrapper.query().response
        body = response.read()
    except sx.QueryBadFormed as exc:
        raise QueryError(f"{where}: the endpoint refused the query as malformed: "
                         f"{_first_line(exc)}") from None
    except sx.EndPointNotFound:
        raise QueryError(f"{where}: HTTP 404, no SPARQL endpoint at this URL "
                         "(Oxigraph serves queries at /query)") from None
    except sx.Unauthorized:
        raise QueryError(f"{where}: HTTP 401, the endpoint needs credentials") from None
    except sx.EndPointInternalError as exc:
        raise QueryError(f"{where}: HTTP 500, endpoint error: {_first_line(exc)}") from None
    except sx.SPARQLWrapperException as exc:
        raise QueryError(f"{where}: {_first_line(exc)}") from None
    except urllib.error.HTTPError as exc:
        raise QueryError(f"{where}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise QueryError(f"{where}: no answer within {timeout:g} s (raise --timeout "
                             "or simplify the query)") from None
        raise QueryError(f"{where}: endpoint unreachable: {exc.reason} "
                         "(check the URL and that the server runs)") from None
    except TimeoutError:
        raise QueryError(f"{where}: no answer within {timeout:g} s (raise --timeout "
                         "or simplify the query)") from None
    except (ConnectionError, OSError) as exc:
        raise QueryError(f"{where}: endpoint unreachable: {exc}") from None
    try:
        if prepared.form == "graph":
            triples = tuple(q.triple for q in pyoxigraph.parse(
                body, format=pyoxigraph.RdfFormat.TURTLE))
            return GraphResult(triples, prepared.name, _prefixes())
        data = json.loads(body)
        if prepared.form == "ask":
            return AskResult(bool(data["boolean"]), prepared.name)
        variables = tuple(data["head"]["vars"])
        rows = tuple(tuple(_term(b.get(v)) for v in variables)
                     for b in data["results"]["bindings"])
        return SelectResult(variables, rows, prepared.name)
    except (ValueError, KeyError, TypeError, SyntaxError) as exc:
        raise QueryError(f"{where}: the endpoint's answer is not valid SPARQL results: "
                         f"{_first_line(exc)}") from None


def _term(binding: Mapping[str, Any] | None) -> Term | None:
    """A SPARQL 1.1 JSON results binding as a pyoxigraph term."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return pyoxigraph.NamedNode(value)
    if kind == "bnode":
        return pyoxigraph.BlankNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return pyoxigraph.Literal(value, language=binding["xml:lang"])
        if "datatype" in binding:
            return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(binding["datatype"]))
        return pyoxigraph.Literal(value)
    raise ValueError(f"unsupported term type {kind!r}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
