"""The notebooks in notebooks/: stored without outputs, executed on the real build, offline HTML.

Each notebook runs once per session (:func:`metrokg.queries.notebook.execute_on`, shared with the
publish tests) with nbclient on the venv's ``python3`` kernel, in notebooks/, reading the
session's temporary build (``METROKG_DIST``). The assertions check
that what the notebooks print and draw is what the documents say (the Metropolis report:
65 deliverables, 49 / 10 / 6, three "*" marks), not just that they run.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

import nbformat
import pytest

from metrokg.errors import InputError, StoreError
from metrokg.outputs.build import BuildResult
from metrokg.paths import ProjectPaths
from metrokg.queries import notebook as nb
from metrokg.queries.localserver import start_oxigraph
from metrokg.queries.sparql import SelectResult

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ("01-exploring-with-sparql", "02-partnership-network", "03-plan-monitoring-and-sdgs")


@pytest.fixture(scope="module")
def executed(built: BuildResult) -> dict[str, Any]:
    """Every notebook, executed on the session's build — once per session: `publish`
    (here and in test_web_publish) reuses these executions (nb.execute_on)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("METROKG_ENDPOINT", raising=False)
        return {name: nb.execute_on(NOTEBOOKS / f"{name}.ipynb", built.output)
                for name in NAMES}


def text_of(notebook: Any) -> str:
    """Everything the notebook printed or displayed as text."""
    parts = []
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def images_of(notebook: Any) -> list[str]:
    return [out["data"]["image/png"] for cell in notebook.cells for out in cell.get("outputs", [])
            if "image/png" in out.get("data", {})]


def test_every_notebook_is_tested() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_stored_without_outputs(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code, "a notebook with no code"
    assert [c.execution_count for c in code] == [None] * len(code)
    assert [c.outputs for c in code] == [[]] * len(code)


@pytest.mark.parametrize("name", NAMES)
def test_runs_without_errors(executed: dict[str, Any], name: str) -> None:
    outputs = [o for c in executed[name].cells for o in c.get("outputs", [])]
    assert [o for o in outputs if o.output_type == "error"] == []
    assert not [o for o in outputs if o.get("name") == "stderr" and "Traceback" in o.get("text", "")]


def test_sparql_notebook_story(executed: dict[str, Any], built_paths: ProjectPaths) -> None:
    from metrokg.queries.catalogue import load_catalogue

    text = text_of(executed["01-exploring-with-sparql"])
    assert f"{len(load_catalogue(built_paths.queries))} questions in the catalogue" in text
    # 001: 1.1.5, 1.3.1, 1.3.2 (3); 004: L1M5D1, L2M3D3, L3M1D1, L3M7D1, L3M7D2, and L2M11D1,
    # L2M11D2, L3M2D1 which each name two units (8): 11 elements, 3 + 5 + 2 × 3 = 14 mentions
    # (the Observatory is not named in deliverables that are it)
    assert "11 plan elements name Metropolis or one of its units (14 mentions" in text
    assert "refused: query memberships-of, parameter org: 'AMB Barcelona!'" in text
    assert re.search(r"id:org/uclg\s+CGLU\s+es", text)  # Spanish name found
    assert re.search(r"id:org/uclg\s+UCLG\s+en", text)  # REFERENCE-FACTS: "UCLG / CGLU"
    assert "document: https://w3id.org/metrokg/id/source/metropolis-triennial-report-2018-2020" in text
    assert "L2M11D2 Aportación económica anual de Guangzhou a la Secretaría General" in text
    assert "remote: 14 rows; embedded: 14 rows; same answer: True" in text
    assert "stopped the local Oxigraph server" in text


def test_network_notebook_story(executed: dict[str, Any]) -> None:
    notebook = executed["02-partnership-network"]
    text = text_of(notebook)
    # brokers: + the PEMB Comissió Territorial (the Diputació's only link to the rest)
    assert re.search(r"\d+ organisations, \d+ links, \d+ communities, 6 brokers", text)
    # network-most-central (with its label column): the 36 municipalities link to the AMB
    # (labelled with its preferred name, from the founding law) and to the ajuntaments
    assert re.search(r"0\s+id:org/amb\s+Àrea Metropolitana de Barcelona\s*\n"
                     r"1\s+id:org/ajuntaments-metropolitans\s", text)
    assert len(images_of(notebook)) == 1  # the centrality chart
    frames = [o["data"]["text/html"] for c in notebook.cells for o in c.get("outputs", [])
              if "text/html" in o.get("data", {}) and "<iframe srcdoc=" in o["data"]["text/html"]]
    assert len(frames) == 1
    assert "metrokg-data" in frames[0] and 'sandbox="allow-scripts"' in frames[0]
    assert nb.remote_references(frames[0]) == []


def test_monitoring_notebook_story(executed: dict[str, Any]) -> None:
    notebook = executed["03-plan-monitoring-and-sdgs"]
    text = text_of(notebook)
    # Status per action line (the report: L1 12/2/3, L2 22/2/3, L3 15/6/0; 49/10/6 = 65).
    for row in ("L1 12 2 3 17", "L2 22 2 3 27", "L3 15 6 0 21", "total 49 10 6 65"):
        assert row in re.sub(r"[ ]+", " ", text), row
    # Stated vs itemised: all agree; 3 of the 6 not developed are inferred.
    assert re.search(r"not developed\s+6\s+6\s+3\s+3\s+True", text)
    for code in ("L1M4D1", "L2M10D1", "L2M10D2"):
        assert re.search(rf"{code}\s+printed mark '\*' -> not-developed", text), code
    assert "every stated total equals its itemised count: True" in text
    assert re.search(r"compromis-metropolita-2030\s+1\s+0\s+0\s+1\s+1\s+0\s+1\s+1\s+1\s+0\s+1", text)
    assert len(images_of(notebook)) == 4  # status, totals, two heat maps


@pytest.mark.parametrize("name", NAMES)
def test_html_copy_is_offline(executed: dict[str, Any], name: str) -> None:
    page = nb.to_html(executed[name], title=name)
    assert nb.remote_references(page) == []
    assert "Content-Security-Policy" in page and "connect-src 'none'" in page
    assert ".ipynb\"" not in page  # links between notebooks point at the HTML copies
    if name != "01-exploring-with-sparql":
        assert "data:image/png;base64," in page


def test_remote_references_finds_cdn_scripts() -> None:
    page = ('<script src="https://cdn.jsdelivr.net/x.js"></script><link href="//fonts.example/a.css">'
            '<img src="data:image/png;base64,AA"><a href="https://example.org/">link</a>')
    assert nb.remote_references(page) == ["https://cdn.jsdelivr.net/x.js", "//fonts.example/a.css"]


def test_status_table_names_missing_variables() -> None:
    result = SelectResult(("line", "elements"), (), name="my-query")
    with pytest.raises(InputError, match=r"my-query.*\?status"):
        nb.status_table(result, by="line")


def test_execute_refuses_a_missing_notebook(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such notebook"):
        nb.execute(tmp_path / "missing.ipynb")


def test_oxigraph_on_a_busy_port_says_so() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(StoreError, match=rf"oxigraph serve (exited|did not answer).*{port}"):
            start_oxigraph(port=port, startup_timeout=5)


def test_oxigraph_server_stops_and_cleans_up() -> None:
    server = start_oxigraph()
    assert server.running and server.location.is_dir()
    server.stop()
    assert not server.running and not server.location.exists()


def test_publish_includes_offline_notebooks(built: BuildResult, tmp_path: Path) -> None:
    from metrokg.namespaces import DEFAULT_BASE
    from metrokg.web.publish import publish_site
    from metrokg.web.state import load_published

    messages: list[str] = []
    publish_site(load_published(built.output, base=DEFAULT_BASE), tmp_path / "site",
                 progress=messages.append)
    pages = sorted((tmp_path / "site" / "notebooks").glob("*.html"))
    assert [p.stem for p in pages] == list(NAMES)
    for page in pages:
        assert nb.remote_references(page.read_text(encoding="utf-8")) == [], page.name
    assert "L2M10D2" in (tmp_path / "site" / "notebooks" / f"{NAMES[2]}.html").read_text()
    assert any("executing and rendering the notebooks" in m for m in messages)


def test_publish_without_notebooks_says_so(tmp_path: Path) -> None:
    messages: list[str] = []
    assert nb.publish_pages(tmp_path, folder=tmp_path, progress=messages.append) == {}
    assert messages == [f"no notebooks in {tmp_path}: none published"]


def test_a_notebook_runs_once_per_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[Path] = []

    def fake(path: Path, **_: Any) -> Any:
        runs.append(path)
        return nbformat.v4.new_notebook()

    monkeypatch.setattr(nb, "execute", fake)
    notebook = tmp_path / "n.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), notebook)
    first, second = tmp_path / "build-1", tmp_path / "build-2"
    for folder in (first, second):
        folder.mkdir()
        (folder / "metrokg.nq").write_text("", encoding="utf-8")
    nb.execute_on(notebook, first)
    nb.execute_on(notebook, first)  # shared: the same notebook text, the same build
    assert runs == [notebook]
    nb.execute_on(notebook, second)  # another build: run again
    notebook.write_text(notebook.read_text() + " ", encoding="utf-8")
    nb.execute_on(notebook, first)  # the notebook changed: run again
    assert len(runs) == 3
