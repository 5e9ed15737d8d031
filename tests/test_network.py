"""The network projection and its views, on a hand-made dataset with known edges."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef

from metrokg.analysis.network import (
    Projection,
    View,
    bipartite_view,
    load_projection,
    network_view,
    write_gexf,
    write_graphml,
)
from metrokg.cli import main
from metrokg.errors import InputError
from metrokg.namespaces import DCTERMS, MKG, ORG, RDF, SDG, SKOS

ROOT = Path(__file__).resolve().parents[1]
B = "https://w3id.org/metrokg/"


def org(slug: str) -> str:
    return f"{B}id/org/{slug}"


@pytest.fixture(scope="module")
def projection() -> Projection:
    """a is a member of b; b owns plan P (SDG 11 on element E1 only); a and c are named in
    E1, a, c and d in E2 (E2 is a child of E1, so it inherits SDG 11); e is alone."""
    ds = Dataset()
    g = ds.graph(URIRef(B + "graph/test"))
    for slug in "abcde":
        g.add((URIRef(org(slug)), RDF.type, ORG.Organization))
        g.add((URIRef(org(slug)), ORG.classification, URIRef(f"{B}def/org-type/city-network")))
        g.add((URIRef(org(slug)), SKOS.prefLabel, Literal(f"Org {slug.upper()}", lang="en")))
    g.add((URIRef(org("a")), SKOS.prefLabel, Literal("<script>alert(1)</script>", lang="ca")))
    m = URIRef(B + "id/relation/a/member/b")
    g.add((m, RDF.type, ORG.Membership))
    g.add((m, ORG.member, URIRef(org("a"))))
    g.add((m, ORG.organization, URIRef(org("b"))))
    g.add((m, ORG.role, URIRef(B + "def/role/member")))
    plan = URIRef(B + "id/plan/p")
    g.add((plan, RDF.type, MKG.Plan))
    g.add((plan, MKG.responsible, URIRef(org("b"))))
    e1, e2 = URIRef(B + "id/plan/p/action/1"), URIRef(B + "id/plan/p/action/1.1")
    for e, parent in ((e1, plan), (e2, e1)):
        g.add((e, RDF.type, MKG.Action))
        g.add((e, MKG.inPlan, plan))
        g.add((e, DCTERMS.isPartOf, parent))
    g.add((e1, MKG.contributesToSDG, SDG["11.3"]))
    g.add((SDG["11.3"], SKOS.broader, SDG["11"]))
    g.add((SDG["11"], RDF.type, URIRef("http://metadata.un.org/sdg/ontology#Goal")))
    for who, e in (("a", e1), ("c", e1), ("a", e2), ("c", e2), ("d", e2)):
        i = URIRef(f"{B}id/involvement/{who}/{e.rsplit('/', 1)[1]}")
        g.add((i, RDF.type, MKG.Involvement))
        g.add((i, MKG.involvedOrganisation, URIRef(org(who))))
        g.add((i, MKG.involvedIn, e))
        g.add((i, ORG.role, URIRef(B + "def/role/partner")))
    store = ox.Store()
    store.load(ds.serialize(format="nquads").encode(), format=ox.RdfFormat.N_QUADS)
    return load_projection(store, ROOT / "queries" / "network")


def weights(graph: nx.Graph) -> dict[tuple[str, str], int]:
    return {(a.rsplit("/", 1)[1], b.rsplit("/", 1)[1]): d["weight"]
            for a, b, d in graph.edges(data=True)}


def test_whole_undirected_view(projection: Projection) -> None:
    g = network_view(projection, View())
    # a–b: 1 membership + 2 plan-owner (E1, E2); c–b: 2 plan-owner; d–b: 1;
    # a–c: co-involved in E1 and E2; a–d, c–d: in E2
    assert weights(g) == {("a", "b"): 3, ("a", "c"): 2, ("a", "d"): 1, ("b", "c"): 2,
                          ("b", "d"): 1, ("c", "d"): 1}
    assert set(g) == {org(s) for s in "abcde"}  # e has no link but is an organisation
    assert g.edges[org("a"), org("b")]["kinds"] == ["membership", "plan-owner"]


def test_directed_view_keeps_directions(projection: Projection) -> None:
    g = network_view(projection, View(directed=True))
    assert g.has_edge(org("a"), org("b")) and not g.has_edge(org("b"), org("a"))
    assert g.has_edge(org("c"), org("a")) and g.has_edge(org("a"), org("c"))


def test_sdg_view_inherits_goals_from_ancestors(projection: Projection) -> None:
    g = network_view(projection, View.parse("sdg:11"))
    assert set(g) == {org(s) for s in "abcd"}
    assert g.edges[org("a"), org("d")]["goals"] == ["11"]


def test_relation_view(projection: Projection) -> None:
    g = network_view(projection, View.parse("relation:member"))
    assert weights(g) == {("a", "b"): 1}


def test_plan_view(projection: Projection) -> None:
    assert weights(network_view(projection, View.parse("plan:p"))) == weights(
        network_view(projection, View()))


def test_bipartite_view(projection: Projection) -> None:
    g = bipartite_view(projection)
    assert nx.is_bipartite(g)
    assert g.degree(B + "id/plan/p/action/1.1") == 3
    assert g.edges[org("b"), B + "id/plan/p"]["roles"] == ["responsible"]


@pytest.mark.parametrize("text", ["plan", "sdg:18", "sdg:x", "galaxy:1", "plan:Bad Id"])
def test_bad_views_are_refused(text: str) -> None:
    with pytest.raises(InputError):
        View.parse(text)


def test_unknown_plan_names_the_known_ones(projection: Projection) -> None:
    with pytest.raises(InputError, match="use one of: p"):
        network_view(projection, View.parse("plan:q"))


def test_gexf_and_graphml_round_trip(projection: Projection, tmp_path: Path) -> None:
    g = network_view(projection, View())
    back = nx.read_graphml(write_graphml(g, tmp_path / "n.graphml"))
    assert back.number_of_edges() == g.number_of_edges()
    assert back.nodes[str(org("a"))]["name_ca"] == "<script>alert(1)</script>"
    gexf = nx.read_gexf(write_gexf(g, tmp_path / "n.gexf"))
    assert gexf.number_of_nodes() == 5


def test_real_membership_edges_match_the_records(built: object) -> None:
    dump = built.files["dataset_nquads"]  # type: ignore[attr-defined]
    ds = Dataset()
    ds.parse(dump, format="nquads")
    quads = list(ds.quads((None, None, None, None)))
    people = {s for s, p, o, _ in quads if p == RDF.type
              and o == URIRef("http://xmlns.com/foaf/0.1/Person")}
    member = {s: o for s, p, o, _ in quads if p == ORG.member}
    expected = {s for s, p, o, _ in quads if p == RDF.type and o == ORG.Membership
                and member[s] not in people}
    store = ox.Store()
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    proj = load_projection(store, ROOT / "queries" / "network")
    got = {URIRef(k.evidence) for k in proj.links if k.kind == "membership"}
    assert got == expected and len(got) > 50


def test_cli_refuses_a_bad_view_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "--view", "sdg:42"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "1 to 17" in err


def test_gexf_and_graphml_carry_every_score_and_community(
        built_paths: object, built: object, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What `metrokg network --out` writes: Gephi gets every score column, no recomputing."""
    from metrokg.analysis.measures import SCORES, analyse
    from metrokg.cli import network as command

    monkeypatch.setattr(command, "project_paths", lambda args: built_paths)
    assert main(["network", "--out", str(tmp_path)]) == 0
    gexf = nx.read_gexf(tmp_path / "whole.gexf")
    graphml = nx.read_graphml(tmp_path / "whole.graphml")
    store = ox.Store()
    store.bulk_load(path=str(built.files["dataset_nquads"]),  # type: ignore[attr-defined]
                    format=ox.RdfFormat.N_QUADS)
    analysis = analyse(network_view(load_projection(store, ROOT / "queries" / "network"),
                                    View()))
    assert set(gexf) == {s.iri for s in analysis.scores} == set(graphml)
    for s in analysis.scores:
        for g in (gexf, graphml):
            attrs = g.nodes[s.iri]
            assert set(SCORES) <= set(attrs), s.iri
            for name in SCORES:
                expected = getattr(s, name)
                assert attrs[name] == (pytest.approx(expected, abs=1e-12)
                                       if isinstance(expected, float) else expected), name
