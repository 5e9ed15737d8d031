"""Presentation helpers for the notebooks in ``notebooks/``: tables, charts, rendering.

The notebooks hold no logic: they call :func:`metrokg.query` and the network functions,
then these helpers to shape results into pandas tables and matplotlib figures (inline
PNG, nothing loaded from the web). :func:`execute` and :func:`to_html` run a notebook and
render an offline HTML copy of it (for ``metrokg publish`` and the tests).

Needs the ``notebooks`` extra (pandas, matplotlib; nbclient and nbconvert to render).
"""

from __future__ import annotations

import html as html_lib
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..paths import ProjectPaths, default_paths
from .sparql import SelectResult

if TYPE_CHECKING:  # pragma: no cover
    from ..analysis.measures import Analysis

__all__ = [
    "AGENDA", "STATUSES", "catalogue_frame", "centrality_chart", "communities_frame", "execute",
    "execute_on", "explorer_frame", "frame", "project_paths", "publish_pages", "reconciliation",
    "remote_references", "render_notebooks", "same_answer", "scores_frame", "sdg_heatmap",
    "sdg_matrix_by_organisation", "sdg_matrix_by_plan", "short_name", "status_chart",
    "status_table", "to_html", "totals_chart",
]

STATUSES: Mapping[str, str] = {
    "achieved": "achieved", "in-progress": "in progress", "not-developed": "not developed"}
"""Status slug → label, in reporting order."""
_COLOURS = {"achieved": "#1a9850", "in progress": "#fdae61", "not developed": "#7f7f7f"}
GOALS = tuple(str(n) for n in range(1, 18))
AGENDA = "2030 Agenda"
"""Column of the SDG matrices for a plan aligned with the 2030 Agenda as a whole."""
_SDG = "http://metadata.un.org/sdg/"


def project_paths() -> ProjectPaths:
    """This checkout's paths; ``METROKG_DIST`` (if set) is where the build is read from.

    The tests point ``METROKG_DIST`` at their own temporary build.
    """
    paths = default_paths()
    dist = os.environ.get("METROKG_DIST")
    return ProjectPaths(paths.root, dist_dir=Path(dist)) if dist else paths


def short_name(iri: str | None) -> str:
    """The last path segment of an IRI: ``…/id/org/amb`` → ``amb``.

    >>> short_name("https://w3id.org/metrokg/def/status/in-progress")
    'in-progress'
    """
    return (iri or "").rstrip("/").rsplit("/", 1)[-1]


def _pandas() -> Any:
    try:
        import pandas  # type: ignore[import-untyped]
    except ImportError:
        raise InputError("pandas", "is not installed",
                         hint="pip install -e '.[notebooks]'") from None
    return pandas


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise InputError("matplotlib", "is not installed",
                         hint="pip install -e '.[notebooks]'") from None
    return plt


def _need(result: SelectResult, *variables: str) -> list[dict[str, str | None]]:
    missing = [v for v in variables if v not in result.variables]
    if missing:
        raise InputError(result.name, f"has no variable {', '.join('?' + m for m in missing)}",
                         hint=f"pass the result of a query selecting {', '.join(variables)}")
    return result.records()


def frame(result: SelectResult) -> Any:
    """A SELECT result as a DataFrame of short forms (``id:org/amb``, ``sdg:11``, ``49``).

    Same forms as ``metrokg query``'s table; unbound values are empty strings.
    """
    from .render import short

    pd = _pandas()
    return pd.DataFrame([[short(t) for t in row] for row in result.rows],
                        columns=list(result.variables))


def same_answer(a: SelectResult, b: SelectResult) -> bool:
    """Whether two SELECT results have the same variables and the same rows, in any order.

    Rows are compared as multisets: engines may order ties differently.
    """
    from collections import Counter

    return a.variables == b.variables and Counter(a.rows) == Counter(b.rows)


def catalogue_frame(paths: ProjectPaths) -> Any:
    """The query catalogue (``queries/*.rq``) as a DataFrame: id, question, parameters."""
    from .catalogue import load_catalogue

    pd = _pandas()
    return pd.DataFrame([{
        "id": e.id, "question": e.question_en,
        "parameters": ", ".join(f"{p.name}={p.default}" for p in e.parameters)}
        for e in load_catalogue(paths.queries).values()]).set_index("id")


# ---------------------------------------------------------------- plan monitoring


def status_table(result: SelectResult, *, by: str) -> Any:
    """Counts per *by* (a variable, e.g. ``line``) and status, with totals (a DataFrame).

    *result* has the variables *by*, ``status`` and ``elements`` (``status-by-action-line``,
    ``status-by-plan``). Columns are the three statuses in reporting order, then ``total``;
    the last row is ``total``.
    """
    pd = _pandas()
    rows = _need(result, by, "status", "elements")
    data = [{by: short_name(r[by]) if (r[by] or "").startswith("http") else r[by],
             "status": STATUSES.get(short_name(r["status"]), short_name(r["status"])),
             "elements": int(r["elements"] or 0)} for r in rows]
    table = (pd.DataFrame(data, columns=[by, "status", "elements"])
             .pivot_table(index=by, columns="status", values="elements", aggfunc="sum",
                          fill_value=0)
             .reindex(columns=list(STATUSES.values()), fill_value=0))
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    table.loc["total"] = table.sum(axis=0)
    return table.astype(int)


def status_chart(table: Any, *, title: str) -> Any:
    """Stacked horizontal bars, one per row of :func:`status_table` (without the total)."""
    plt = _pyplot()
    body = table.drop(index="total", errors="ignore")
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(body) + 1.6))
    left = [0] * len(body)
    labels = [str(i) for i in body.index]
    for status in STATUSES.values():
        values = [int(v) for v in body[status]]
        bars = ax.barh(labels, values, left=left, color=_COLOURS[status], label=status)
        ax.bar_label(bars, labels=[str(v) if v else "" for v in values], label_type="center",
                     color="white", fontweight="bold")
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in enumerate(left):
        ax.text(total + 0.3, y, f"{total}", va="center")
    ax.invert_yaxis()
    ax.set_xlabel("elements")
    ax.set_xlim(0, max(left) * 1.12 + 1)
    ax.set_title(title)
    ax.legend(loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def reconciliation(result: SelectResult) -> Any:
    """Stated vs itemised totals per status (``stated-vs-itemised``), as a DataFrame.

    Columns: ``stated`` (what the report says), ``itemised`` (elements recorded with that
    status), ``printed mark`` (of those, the ones whose status was read from a printed
    mark), ``inferred`` (the rest) and ``agrees`` (stated == itemised).
    """
    pd = _pandas()
    rows = _need(result, "plan", "status", "stated", "itemised", "printed")
    data = []
    for r in rows:
        stated, itemised, printed = (int(r[k] or 0) for k in ("stated", "itemised", "printed"))
        data.append({"plan": short_name(r["plan"]),
                     "status": STATUSES.get(short_name(r["status"]), "all") if r["status"]
                     else "all",
                     "stated": stated, "itemised": itemised, "printed mark": printed,
                     "inferred": itemised - printed, "agrees": stated == itemised})
    return pd.DataFrame(data).set_index(["plan", "status"])


def totals_chart(table: Any, *, title: str) -> Any:
    """Grouped bars per status: stated, itemised, and itemised from a printed mark."""
    plt = _pyplot()
    body = table[table.index.get_level_values("status") != "all"]
    statuses = [s for _, s in body.index]
    fig, ax = plt.subplots(figsize=(8, 3.8))
    width = 0.27
    series = (("stated", "#4575b4"), ("itemised", "#91bfdb"), ("printed mark", "#d9d9d9"))
    for k, (column, colour) in enumerate(series):
        xs = [i + (k - 1) * width for i in range(len(statuses))]
        bars = ax.bar(xs, [int(v) for v in body[column]], width, color=colour,
                      label=column if column != "printed mark" else "itemised, from a printed mark")
        ax.bar_label(bars)
    ax.set_xticks(range(len(statuses)), statuses)
    ax.set_ylabel("deliverables")
    ax.set_title(title)
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- SDG coverage


def _goal(iri: str | None) -> str:
    value = (iri or "").removeprefix(_SDG)
    return value.split(".", 1)[0] if value else AGENDA


def sdg_matrix_by_plan(plans: Iterable[str], coverage: SelectResult,
                       agenda: SelectResult | None = None) -> Any:
    """Plans × goals: 2 = the plan contributes, 1 = it states an alignment, 0 = nothing.

    *plans* are plan IRIs (every plan gets a row, also those with no SDG); *coverage* is
    ``sdg-coverage-by-plan`` (``plan``, ``goal``, ``relation``); *agenda* is
    ``agenda-2030-alignment`` (``subject``: a plan or one of its elements, by IRI), shown
    in the last column, :data:`AGENDA`. A target (11.3) counts for its goal (11).
    """
    pd = _pandas()
    plan_list = sorted(set(plans))
    matrix = pd.DataFrame(0, index=[short_name(p) for p in plan_list],
                          columns=[*GOALS, AGENDA])
    for r in _need(coverage, "plan", "goal", "relation"):
        value = 2 if (r["relation"] or "").endswith("contributesToSDG") else 1
        row, col = short_name(r["plan"]), _goal(r["goal"])
        if row in matrix.index:
            matrix.loc[row, col] = max(int(matrix.loc[row, col]), value)
    if agenda is not None:
        for r in _need(agenda, "subject"):
            subject = r["subject"] or ""
            for plan in plan_list:
                if subject == plan or subject.startswith(plan + "/"):
                    matrix.loc[short_name(plan), AGENDA] = 1
    matrix.index.name = "plan"
    return matrix


def sdg_matrix_by_organisation(plan_matrix: Any, responsible: SelectResult) -> Any:
    """Organisations × goals: how many of the plans each organisation is responsible for
    contribute or align to each goal (from :func:`sdg_matrix_by_plan` and
    ``plans-by-organisation``: ``organisation``, ``plan``)."""
    rows = _need(responsible, "organisation", "plan")
    pairs = sorted({(short_name(r["organisation"]), short_name(r["plan"])) for r in rows})
    orgs = sorted({o for o, _ in pairs})
    matrix = plan_matrix.iloc[0:0].copy()
    for org in orgs:
        own = [p for o, p in pairs if o == org and p in plan_matrix.index]
        matrix.loc[org] = (plan_matrix.loc[own] > 0).sum(axis=0)
    matrix.index.name = "organisation"
    return matrix.astype(int)


def sdg_heatmap(matrix: Any, *, title: str, legend: Mapping[int, str] | None = None) -> Any:
    """A heat map of an SDG matrix, each non-zero cell labelled (by *legend* or its count)."""
    plt = _pyplot()
    from matplotlib.colors import BoundaryNorm, ListedColormap

    top = max(int(matrix.to_numpy().max()), 1)
    if legend is not None:
        colours = ["#f7f7f7", "#9ecae1", "#08519c"][: top + 1]
        cmap = ListedColormap(colours)
        norm = BoundaryNorm([x - 0.5 for x in range(top + 2)], len(colours))
    else:
        cmap, norm = plt.get_cmap("Blues", top + 1), None
    fig, ax = plt.subplots(figsize=(10, 0.5 * len(matrix) + 2.2))
    ax.imshow(matrix.to_numpy(), cmap=cmap, norm=norm, aspect="auto",
              vmin=None if norm else 0, vmax=None if norm else top)
    ax.set_xticks(range(len(matrix.columns)),
                  [c if c == AGENDA else f"SDG {c}" for c in matrix.columns],
                  rotation=60, ha="right")
    ax.set_yticks(range(len(matrix.index)), list(matrix.index))
    for y in range(len(matrix.index)):
        for x in range(len(matrix.columns)):
            value = int(matrix.iat[y, x])
            if value:
                text = legend[value][0] if legend else str(value)
                dark = value >= max(top, 1) and top > 0
                ax.text(x, y, text, ha="center", va="center",
                        color="white" if dark else "black", fontsize=9)
    ax.set_xticks([x - 0.5 for x in range(1, len(matrix.columns))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(matrix.index))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_title(title)
    if legend:
        ax.set_xlabel("   ".join(f"{v[0]} = {v}" for _, v in sorted(legend.items())))
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- network


def scores_frame(analysis: Analysis, *, n: int | None = None,
                 measure: str = "pagerank") -> Any:
    """One row per organisation, sorted by *measure*: scores, community, broker."""
    pd = _pandas()
    rows = analysis.top(measure, n if n is not None else len(analysis.scores))
    return pd.DataFrame([{
        "organisation": s.label, "type": s.type, "pagerank": s.pagerank,
        "betweenness": s.betweenness, "degree": s.degree, "weighted degree": s.weighted_degree,
        "community": s.community, "broker": s.broker} for s in rows]).set_index("organisation")


def communities_frame(analysis: Analysis, *, labels: Mapping[str, str] | None = None) -> Any:
    """One row per community: size and members (by label), largest first."""
    pd = _pandas()
    names = labels or {s.iri: s.label for s in analysis.scores}
    return pd.DataFrame([{"community": i, "size": len(c),
                          "members": ", ".join(sorted(names.get(m, short_name(m)) for m in c))}
                         for i, c in enumerate(analysis.communities, 1)]).set_index("community")


def centrality_chart(analysis: Analysis, *, n: int = 12) -> Any:
    """PageRank and betweenness of the *n* most central organisations; brokers in red."""
    plt = _pyplot()
    top = analysis.top("pagerank", n)
    labels = [s.label if len(s.label) <= 38 else s.label[:37] + "…" for s in top]
    colours = ["#d73027" if s.broker else "#4575b4" for s in top]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.42 * len(top) + 1.6), sharey=True)
    for ax, measure in ((left, "pagerank"), (right, "betweenness")):
        values = [getattr(s, measure) for s in top]
        ax.barh(labels, values, color=colours)
        ax.set_title(measure)
        ax.spines[["top", "right"]].set_visible(False)
    left.invert_yaxis()
    from matplotlib.patches import Patch

    right.legend(handles=[Patch(color="#d73027", label="broker (cut vertex)"),
                          Patch(color="#4575b4", label="not a broker")],
                 loc="lower right", frameon=False)
    fig.suptitle(f"The {len(top)} most central organisations ({analysis.view} view, "
                 f"{analysis.nodes} organisations, {analysis.edges} links)")
    fig.tight_layout()
    return fig


def explorer_frame(page: str, *, height: int = 640) -> Any:
    """The explorer page inline in the notebook: an ``<iframe srcdoc>`` (works offline).

    The page carries its own scripts and its Content-Security-Policy; the frame is
    sandboxed (scripts only, no same-origin access to the notebook).
    """
    from IPython.display import HTML

    frame = (f'<div><iframe srcdoc="{html_lib.escape(page, quote=True)}" sandbox="allow-scripts" '
             f'style="width:100%;height:{int(height)}px;border:1px solid #ccc" '
             'title="metrokg partnership network explorer"></iframe></div>')
    return HTML(frame)  # type: ignore[no-untyped-call]


# ---------------------------------------------------------------- rendering


def execute(path: Path, *, timeout: int = 120, kernel_name: str = "python3") -> Any:
    """Run the notebook at *path* in its own folder; return the executed notebook.

    Raises nbclient's ``CellExecutionError`` (with the failing cell and traceback).
    """
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError:
        raise InputError("nbclient", "is not installed",
                         hint="pip install -e '.[notebooks]'") from None
    if not path.is_file():
        raise InputError(str(path), "no such notebook")
    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    client = NotebookClient(notebook, timeout=timeout, kernel_name=kernel_name,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return notebook


_REMOTE = re.compile(r"""<(script|link|img|iframe|embed|object|source|audio|video)\b[^>]*?"""
                     r"""\b(?:src|href|data)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""",
                     re.IGNORECASE)
_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")


def remote_references(page: str) -> list[str]:
    """The URLs an HTML page would load from the network (scripts, styles, images, frames).

    Plain links (``<a href>``) are not loads and are not listed.

    >>> remote_references('<script src="https://assets.example/x.js"></script><a href="https://a">')
    ['https://assets.example/x.js']
    """
    return [m.group(2) for m in _REMOTE.finditer(page)]


def to_html(notebook: Any, *, title: str | None = None) -> str:
    """An offline HTML copy of an executed notebook (nbconvert's ``lab`` template).

    Charts are inline PNG; CSS is inlined; the remote scripts the template adds (MathJax,
    require.js from a CDN) are removed, and a Content-Security-Policy forbids any request.
    Raises :class:`InputError` if anything remote is left.
    """
    try:
        from nbconvert import HTMLExporter
    except ImportError:
        raise InputError("nbconvert", "is not installed",
                         hint="pip install -e '.[notebooks]'") from None
    exporter = HTMLExporter(template_name="lab")  # type: ignore[no-untyped-call]
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    page, _ = exporter.from_notebook_node(notebook, resources={
        "metadata": {"name": title or "metrokg notebook"}})
    # Scripts and stylesheets loaded from a CDN (MathJax, require.js): drop them.
    page = re.sub(r"""<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//[^>]*>\s*</script>""", "",
                  page, flags=re.IGNORECASE)
    page = re.sub(r"""<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//[^>]*>""", "", page,
                  flags=re.IGNORECASE)
    # Links between the notebooks point at their HTML copies.
    page = re.sub(r"""href=(["'])([\w.-]+)\.ipynb\1""", r"href=\1\2.html\1", page)
    page = page.replace("<head>", '<head>\n<meta http-equiv="Content-Security-Policy" '
                        f'content="{_CSP}">', 1)
    left = remote_references(page)
    if left:
        raise InputError(title or "notebook", "its HTML copy would load remote resources: "
                         + ", ".join(left[:5]), hint="remove them from the notebook's outputs")
    return page


def render_notebooks(folder: Path, *, timeout: int = 120,
                     names: Sequence[str] | None = None) -> dict[str, str]:
    """Execute every ``*.ipynb`` of *folder* (or *names*) and render each as offline HTML.

    Returns ``{"01-exploring-with-sparql.html": page, …}``.
    """
    notebooks = sorted(folder.glob("*.ipynb")) if names is None else [folder / n for n in names]
    return {path.with_suffix(".html").name: to_html(execute(path, timeout=timeout),
                                                    title=path.stem)
            for path in notebooks}


def publish_pages(output: Path, *, folder: Path | None = None,
                  progress: Callable[[str], None] = lambda _m: None) -> dict[str, str]:
    """The notebooks executed on the build in *output*, as offline HTML pages.

    Used by ``metrokg publish`` (written to ``notebooks/`` in the site). *folder* is the
    notebooks folder (default: this checkout's ``notebooks/``). Returns ``{}`` — and says
    why through *progress* — when there is no such folder or the ``notebooks`` extra
    (nbclient, nbconvert, ipykernel, matplotlib, pandas) is not installed. A notebook that
    fails raises nbclient's ``CellExecutionError``: nothing is published then.
    """
    import importlib.util

    folder = folder if folder is not None else default_paths().root / "notebooks"
    if not any(folder.glob("*.ipynb")):
        progress(f"no notebooks in {folder}: none published")
        return {}
    missing = [m for m in ("nbclient", "nbconvert", "ipykernel", "matplotlib", "pandas")
               if importlib.util.find_spec(m) is None]
    if missing:
        progress(f"notebooks not published ({', '.join(missing)} missing): "
                 "pip install -e '.[notebooks]'")
        return {}
    progress(f"executing and rendering the notebooks in {folder}")
    return {path.with_suffix(".html").name: to_html(execute_on(path, output), title=path.stem)
            for path in sorted(folder.glob("*.ipynb"))}


_EXECUTED: dict[tuple[str, ...], Any] = {}
"""Notebooks executed in this process, by notebook content and build (see execute_on)."""


def execute_on(path: Path, output: Path, *, timeout: int = 120) -> Any:
    """The notebook at *path* executed on the build in *output* (a copy; run once per process).

    The kernels read that build through ``METROKG_DIST`` (a temporary folder whose
    ``graph`` links to *output*). A notebook is executed again only when its text, the
    build (its resolved folder and dataset file) or ``METROKG_ENDPOINT`` changed, so the
    tests and ``publish`` in one process share one execution.
    """
    import copy
    import hashlib
    import tempfile

    if not path.is_file():
        raise InputError(str(path), "no such notebook")
    target = output.resolve()
    dataset = target / "metrokg.nq"
    stat = dataset.stat() if dataset.is_file() else None
    key = (str(path.resolve()), hashlib.sha256(path.read_bytes()).hexdigest(), str(target),
           f"{stat.st_mtime_ns}:{stat.st_size}" if stat else "-",
           os.environ.get("METROKG_ENDPOINT", ""))
    if key not in _EXECUTED:
        previous = os.environ.get("METROKG_DIST")
        with tempfile.TemporaryDirectory(prefix="metrokg-notebooks-") as dist:
            (Path(dist) / "graph").symlink_to(target, target_is_directory=True)
            os.environ["METROKG_DIST"] = dist  # the kernels inherit it: they read this build
            try:
                _EXECUTED[key] = execute(path, timeout=timeout)
            finally:
                if previous is None:
                    os.environ.pop("METROKG_DIST", None)
                else:
                    os.environ["METROKG_DIST"] = previous
    return copy.deepcopy(_EXECUTED[key])
