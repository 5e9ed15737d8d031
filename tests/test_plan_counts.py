"""Counts per level and per status for each plan, written from the source documents.

Every expected number below was counted by hand in graph/sources/*.txt (or taken from
REFERENCE-FACTS.md for the Compromís missions and the XGL instruments) — not recorded
from a run. Comments name the passage.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

from metrokg.outputs.build import BuildResult
from metrokg.outputs.store import open_store

ID = "https://w3id.org/metrokg/id/"
MKG = "https://w3id.org/metrokg/def/"
METROPOLIS = "metropolis-action-plan-2018-2020"
AMB = "amb-pam-2015-2019"


@pytest.fixture(scope="module")
def store(built: BuildResult) -> ox.Store:
    return open_store(dump=built.files["dataset_nquads"])


def levels(store: ox.Store, plan: str) -> Counter[str]:
    query = f"""
        PREFIX mkg: <{MKG}>
        SELECT ?cls (COUNT(DISTINCT ?e) AS ?n) WHERE {{
          GRAPH ?g {{ ?e mkg:inPlan <{ID}plan/{plan}> ; a ?cls }}
        }} GROUP BY ?cls"""
    return Counter({str(r[0].value).removeprefix(MKG): int(r[1].value)
                    for r in store.query(query)})  # type: ignore[union-attr]


def statuses(store: ox.Store, plan: str, under: str | None = None) -> Counter[str]:
    scope = f"?d dcterms:isPartOf+ <{ID}plan/{plan}/action-line/{under}> ." if under else ""
    query = f"""
        PREFIX mkg: <{MKG}> PREFIX adms: <http://www.w3.org/ns/adms#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?status (COUNT(DISTINCT ?d) AS ?n) WHERE {{
          GRAPH ?g1 {{ ?d a mkg:Deliverable ; mkg:inPlan <{ID}plan/{plan}> ; adms:status ?s }}
          {scope}
          BIND(STRAFTER(STR(?s), "/def/status/") AS ?status)
        }} GROUP BY ?status"""
    return Counter({str(r[0].value): int(r[1].value)
                    for r in store.query(query, use_default_graph_as_union=True)})  # type: ignore[union-attr]


# --- Metropolis triennial report, Action Plan 2018-2020 (004_c0dde55ed5153bcd.txt)


def test_metropolis_levels(store: ox.Store) -> None:
    # "LÍNEA DE ACCIÓN 1/2/3"; measures L1M1–L1M8, L2M1–L2M11, L3M1–L3M8; 65 deliverables
    assert levels(store, METROPOLIS) == Counter(ActionLine=3, Measure=27, Deliverable=65)


def test_metropolis_statuses_as_itemised(store: ox.Store) -> None:
    # 49 V/v/٧, 10 "0", 3 "×" plus 3 "*" (not in the legend, inferred: see next test)
    assert statuses(store, METROPOLIS) == Counter(
        {"achieved": 49, "in-progress": 10, "not-developed": 6})


@pytest.mark.parametrize(("line", "expected"), [
    ("L1", {"achieved": 12, "in-progress": 2, "not-developed": 3}),  # 17 deliverables
    ("L2", {"achieved": 22, "in-progress": 2, "not-developed": 3}),  # 27 deliverables
    ("L3", {"achieved": 15, "in-progress": 6}),                      # 21 deliverables
], ids=["L1", "L2", "L3"])
def test_metropolis_statuses_per_action_line(store: ox.Store, line: str,
                                              expected: dict[str, int]) -> None:
    assert statuses(store, METROPOLIS, under=line) == Counter(expected)


def test_metropolis_unreadable_marks_are_flagged_as_inferred(store: ox.Store) -> None:
    # L1M4D1, L2M10D1 and L2M10D2 print "*", which no legend explains
    query = f"""PREFIX mkg: <{MKG}> SELECT ?code ?mark WHERE {{ GRAPH ?g {{
        ?d mkg:statusBasis <{MKG}status-basis/inferred-from-stated-totals> ;
           mkg:printedStatusMark ?mark ; <http://www.w3.org/2004/02/skos/core#notation> ?code }} }}"""
    rows = {(str(r[0].value), str(r[1].value)) for r in store.query(query)}  # type: ignore[union-attr]
    assert rows == {("L1M4D1", "*"), ("L2M10D1", "*"), ("L2M10D2", "*")}


def test_metropolis_stated_totals(store: ox.Store) -> None:
    # "65 resultados y entregables … Alcanzados: 49 En proceso: 10 No desarrollados: 6"
    query = f"""PREFIX mkg: <{MKG}> SELECT ?status ?n WHERE {{ GRAPH ?g {{
        ?t a mkg:StatedTotal ; mkg:statedFor <{ID}plan/{METROPOLIS}> ; mkg:statedCount ?n
        OPTIONAL {{ ?t mkg:countedStatus ?s }} BIND(COALESCE(STRAFTER(STR(?s), "/status/"), "all")
        AS ?status) }} }}"""
    stated = {str(r[0].value): int(r[1].value) for r in store.query(query)}  # type: ignore[union-attr]
    assert stated == {"all": 65, "achieved": 49, "in-progress": 10, "not-developed": 6}
    itemised = statuses(store, METROPOLIS)
    assert sum(itemised.values()) == stated["all"]
    assert all(itemised[k] == v for k, v in stated.items() if k != "all")


def test_metropolis_measures_without_text_are_kept_without_text(store: ox.Store) -> None:
    # L3M5–L3M8 appear only through their deliverables' codes
    query = f"""PREFIX mkg: <{MKG}> SELECT ?code WHERE {{ GRAPH ?g {{
        ?m a mkg:Measure ; mkg:textInSource false ;
           <http://www.w3.org/2004/02/skos/core#notation> ?code }} }}"""
    codes = {str(r[0].value) for r in store.query(query)}  # type: ignore[union-attr]
    assert codes == {"L3M5", "L3M6", "L3M7", "L3M8"}


def test_metropolis_sdgs(store: ox.Store) -> None:
    # "hemos contribuido especialmente en la consecución de los siguientes ODS: 3, 5, 7, 11, 13, 16, 17"
    query = f"""PREFIX mkg: <{MKG}> SELECT ?sdg WHERE {{ GRAPH ?g {{
        <{ID}plan/{METROPOLIS}> mkg:contributesToSDG ?sdg }} }}"""
    goals = {str(r[0].value) for r in store.query(query)}  # type: ignore[union-attr]
    assert goals == {f"http://metadata.un.org/sdg/{n}" for n in (3, 5, 7, 11, 13, 16, 17)}


# --- AMB Pla d'Actuació Metropolità, àmbit 7 (001_1fa5b101cf8b1892.txt)


def test_amb_levels(store: ox.Store) -> None:
    # ÀMBIT 7; four "amb la finalitat de" aims; "dues línies d'intervenció";
    # objectives 1.1–1.4 and 2.1–2.3; actions 13 + 5 + 5 + 8 + 3 + 4 + 4
    assert levels(store, AMB) == Counter(Area=1, Aim=4, ActionLine=2, Objective=7, Action=42)


@pytest.mark.parametrize(("objective", "actions"), [
    ("1.1", 13), ("1.2", 5), ("1.3", 5), ("1.4", 8), ("2.1", 3), ("2.2", 4), ("2.3", 4),
])
def test_amb_actions_per_objective(store: ox.Store, objective: str, actions: int) -> None:
    query = f"""PREFIX mkg: <{MKG}> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH ?g {{
        ?a a mkg:Action ; dcterms:isPartOf <{ID}plan/{AMB}/objective/{objective}> }} }}"""
    assert next(iter(store.query(query)))[0].value == str(actions)  # type: ignore[index, arg-type]


def test_objective_page_matches_the_plan_and_keeps_both_wordings(store: ox.Store) -> None:
    # 002_763c563c8f42fce9.txt repeats objective 1.1 and its 13 actions; it words 1.1.3
    # ("Pla director de cooperació") and 1.1.13 ("amb els objectius", "Agenda 2030")
    # differently from the plan document.
    query = f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?code WHERE {{
        ?e skos:altLabel ?alt ; skos:notation ?code
        FILTER(STRSTARTS(STR(?e), "{ID}plan/{AMB}/")) }}"""
    codes = {str(r[0].value) for r in store.query(query, use_default_graph_as_union=True)}  # type: ignore[union-attr]
    assert codes == {"1.1.3", "1.1.13"}
    page = f"""PREFIX mkg: <{MKG}> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dcterms: <http://purl.org/dc/terms/> SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{
        GRAPH <https://w3id.org/metrokg/graph/provenance> {{
          ?g dcterms:source <{ID}source/amb-pam-objective-1-1-page> }}
        GRAPH ?g {{ ?e ?p ?o }} ?e mkg:inPlan <{ID}plan/{AMB}> }}"""
    assert next(iter(store.query(page, use_default_graph_as_union=True)))[0].value == "14"  # type: ignore[index, arg-type]


def test_amb_cooperation_commitment(store: ox.Store) -> None:
    # "Objectiu 2.3 Destinar el 0,7% dels ingressos propis de l'AMB a la cooperació internacional"
    query = f"""PREFIX mkg: <{MKG}> SELECT ?v ?unit WHERE {{ GRAPH ?g {{
        <{ID}plan/{AMB}/objective/2.3> mkg:targetValue ?v ; mkg:targetUnit ?unit }} }}"""
    rows = [(r[0].value, r[1].value) for r in store.query(query)]  # type: ignore[union-attr]
    assert rows == [("0.7", "http://qudt.org/vocab/unit/PERCENT")]


# --- Diputació de Barcelona, PEMB


def test_diba_plan(store: ox.Store) -> None:
    # five bulleted aims (003_29c15e5f8f697e43.txt); three instruments (REFERENCE-FACTS)
    assert levels(store, "diba-xgl-2020-2023") == Counter(Aim=5, Instrument=3)


def test_compromis_missions(store: ox.Store) -> None:
    # eight missions (REFERENCE-FACTS.md, compromismetropolita.cat), four verified targets
    counts = levels(store, "compromis-metropolita-2030")
    assert (counts["Mission"], counts["Target"]) == (8, 4)


@pytest.mark.parametrize(("plan", "agenda"), [
    ("diba-xgl-2020-2023", "farà front als reptes globals marcats pels ODS de l'Agenda 2030"),
])
def test_plans_aligned_with_the_2030_agenda(store: ox.Store, plan: str, agenda: str) -> None:
    query = f"""PREFIX mkg: <{MKG}> ASK {{ GRAPH ?g {{
        <{ID}plan/{plan}> mkg:alignedWithSDG <http://metadata.un.org/sdg> }} }}"""
    assert store.query(query), agenda
