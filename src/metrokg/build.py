"""The build: records → dataset → checks → outputs, atomically.

Outputs are written to a fresh folder under ``dist/.builds/`` and published by swapping
the ``dist/graph`` symlink in one rename, so a failed or interrupted build leaves the
previous outputs exactly as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef

from .errors import ValidationFailed
from .mapping import Iris, Vocabulary, build_dataset
from .namespaces import DCTERMS, DEFAULT_BASE, PROV, RDF, bind_prefixes
from .networkstep import add_network_analysis
from .ontology import ONTOLOGY_IRI, load_ontology, version
from .paths import ProjectPaths
from .records import load_records
from .serialise import to_jsonld, to_nquads, to_trig, to_turtle
from .sources import load_documents
from .summary import Summary, summarise
from .validate import ValidationResult, load_shapes, merged, validate_dataset

__all__ = ["OUTPUT_FILES", "BuildResult", "assemble", "build"]

Progress = Callable[[str], None]

OUTPUT_FILES = {
    "dataset_trig": "metrokg.trig",
    "dataset_nquads": "metrokg.nq",
    "graph_turtle": "metrokg.ttl",
    "graph_jsonld": "metrokg.jsonld",
    "ontology": "ontology.ttl",
    "validation_text": "validation.txt",
    "validation_turtle": "validation.ttl",
    "summary_json": "summary.json",
    "summary_text": "summary.txt",
    "explorer": "explorer.html",
}
SDG_CITATION = ("Amit Joshi, Luis Gonzalez Morales, Szymon Klarman, and Aaron Helton. 2019. "
                "A Knowledge Organization System for the United Nations Sustainable Development "
                "Goals. New York, NY. http://metadata.un.org/sdg")


@dataclass(frozen=True)
class Assembled:
    """A checked dataset, before anything is written."""

    dataset: Dataset
    ontology: Graph
    validation: ValidationResult
    base: str


@dataclass(frozen=True)
class BuildResult:
    """What a build produced and where."""

    output: Path
    files: dict[str, Path]
    summary: Summary
    validation: ValidationResult


def _noop(_: str) -> None:
    return None


def assemble(paths: ProjectPaths, *, base: str = DEFAULT_BASE, extra: Sequence[Path] = (),
             progress: Progress = _noop, engine: str = "auto") -> Assembled:
    """Read, map and check everything (shapes with *engine*); raise on bad input, never write."""
    progress("reading source documents")
    documents = load_documents(paths.documents)
    progress(f"reading records from {paths.data}")
    records = load_records(paths.data, documents, extra=extra)
    progress(f"loading the ontology and the UN SDG scheme ({len(records)} records)")
    ontology = load_ontology(paths.ontology, stamp=version())
    sdg = Graph().parse(paths.sdg_kos, format="turtle")
    vocabulary = Vocabulary.from_graphs(ontology, sdg)
    progress("mapping records to named graphs")
    dataset = build_dataset(records, documents, vocabulary, base=base)
    iris = Iris(base)
    _add_reference_graph(dataset, iris, "ontology", ontology, ONTOLOGY_IRI,
                         "metrokg ontology, " + version())
    _add_reference_graph(dataset, iris, "un-sdg", sdg, URIRef("http://metadata.un.org/sdg"),
                         SDG_CITATION)
    progress("validating (SHACL shapes and dataset checks)")
    checks = sorted((paths.queries / "checks").glob("*-violation.rq"))
    result = validate_dataset(dataset, load_shapes(paths.shapes), ontology=None, checks=checks,
                              provenance=iris.provenance_graph, engine=engine)
    return Assembled(dataset, ontology, result, base)


def _add_reference_graph(dataset: Dataset, iris: Iris, name: str, content: Graph,
                         origin: URIRef, citation: str) -> None:
    graph_iri = iris.graph(name)
    graph = dataset.graph(graph_iri)
    for triple in content:
        graph.add(triple)
    prov = dataset.graph(iris.provenance_graph)
    prov.add((graph_iri, RDF.type, PROV.Entity))
    prov.add((graph_iri, PROV.wasDerivedFrom, origin))
    prov.add((graph_iri, DCTERMS.source, origin))
    prov.add((graph_iri, DCTERMS.bibliographicCitation, Literal(citation)))


def build(paths: ProjectPaths, *, base: str = DEFAULT_BASE, progress: Progress = _noop,
          strict: bool = True) -> BuildResult:
    """Build every output; publish them only if the whole build succeeds.

    With *strict*, a Violation stops the build before anything is written; the error
    carries the validation report.
    """
    assembled = assemble(paths, base=base, progress=progress)
    if strict and not assembled.validation.conforms:
        raise ValidationFailed(
            f"{assembled.validation.count('Violation')} violation(s); nothing was published\n"
            + assembled.validation.text())
    progress("analysing the partnership network")
    network = add_network_analysis(assembled.dataset, paths, base=base)  # metrokg.networkstep
    summary = summarise(assembled.dataset, base=base, validation=assembled.validation)
    progress("writing outputs")
    staging = _write_outputs(assembled, summary, network.explorer_html, paths.dist)
    progress("publishing")
    final = _publish(staging, paths)
    files = {key: final / name for key, name in OUTPUT_FILES.items()}
    return BuildResult(paths.output, files, summary, assembled.validation)


def _write_outputs(assembled: Assembled, summary: Summary, explorer: str, dist: Path) -> Path:
    builds = dist / ".builds"
    builds.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="staging-", dir=builds))
    base = assembled.base
    data = merged(assembled.dataset, exclude=[Iris(base).provenance_graph])
    ontology = bind_prefixes(Graph(), base)
    for triple in assembled.ontology:
        ontology.add(triple)
    contents = {
        "dataset_trig": to_trig(assembled.dataset, base=base),
        "dataset_nquads": to_nquads(assembled.dataset),
        "graph_turtle": to_turtle(data, base=base),
        "graph_jsonld": to_jsonld(data, base=base),
        "ontology": to_turtle(ontology, base=base),
        "validation_text": assembled.validation.text(),
        "validation_turtle": to_turtle(assembled.validation.report, base=base),
        "summary_json": json.dumps(summary.as_dict(), indent=2, sort_keys=True,
                                   ensure_ascii=False) + "\n",
        "summary_text": summary.text(),
        "explorer": explorer,
    }
    for key, text in contents.items():
        path = staging / OUTPUT_FILES[key]
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    return staging


def _publish(staging: Path, paths: ProjectPaths) -> Path:
    """Rename the staging folder to its content digest and swap the `dist/graph` link."""
    digest = hashlib.sha256()
    for path in sorted(staging.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    final = staging.parent / digest.hexdigest()[:16]
    if final.exists():
        shutil.rmtree(staging)
    else:
        staging.rename(final)
    link = paths.output
    if link.exists() and not link.is_symlink():
        raise ValidationFailed(f"{link} exists and is not a symlink made by metrokg build; "
                               "move it away and build again")
    tmp_link = link.with_name(f".graph-{os.getpid()}")
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(Path(".builds") / final.name)
    previous = link.resolve() if link.is_symlink() else None
    os.replace(tmp_link, link)  # the atomic step
    _prune(staging.parent, keep={final.resolve(), *( [previous] if previous else [])})
    return final


def _prune(builds: Path, *, keep: set[Path]) -> None:
    """Remove older builds and stale (hour-old) staging folders; keep current and previous."""
    import time

    for entry in builds.iterdir():
        if entry.resolve() in keep or not entry.is_dir():
            continue
        if entry.name.startswith("staging-") and time.time() - entry.stat().st_mtime < 3600:
            continue  # another build may be writing it
        shutil.rmtree(entry, ignore_errors=True)
