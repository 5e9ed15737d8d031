"""The build: records → quads in one Oxigraph store → checks → outputs, atomically.

Records map straight to quads in one pyoxigraph store (in memory: reads are several
times faster than on disk); validation, the network step, the summary and every dump
read that store, and its sorted quads are written once more as the on-disk store
published beside the dumps. Outputs are
written to a fresh ``dist/.builds/staging-*`` folder, locked while the build runs, and
published by renaming it to its content digest and swapping the ``dist/graph`` symlink
in one rename, so a failed or interrupted build leaves the previous outputs and store
exactly as they were; the next build removes the staging folders whose lock is free.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ..checks import ValidationResult, validate_store
from ..errors import InputError, ValidationFailed
from ..forked import Forked
from ..mapping import Iris, Vocabulary, map_records
from ..mapping.ontology import ONTOLOGY_IRI, ontology_triples, version
from ..namespaces import DEFAULT_BASE
from ..paths import OUTPUT_FILES, STORE_DIR, ProjectPaths
from ..records import load_records
from ..records.sources import load_documents
from . import dumps
from .summary import Summary, summarise, validation_counts

__all__ = ["OUTPUT_FILES", "Assembled", "BuildResult", "assemble", "build"]

Progress = Callable[[str], None]

SDG_CITATION = ("Amit Joshi, Luis Gonzalez Morales, Szymon Klarman, and Aaron Helton. 2019. "
                "A Knowledge Organization System for the United Nations Sustainable Development "
                "Goals. New York, NY. http://metadata.un.org/sdg")
_LOCK = ".lock"
_DCTERMS = "http://purl.org/dc/terms/"
_PROV = "http://www.w3.org/ns/prov#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class Assembled:
    """A checked dataset in its store, before anything is written."""

    store: ox.Store
    ontology: list[ox.Triple]
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
             progress: Progress = _noop, store: ox.Store | None = None,
             engine: str = "auto") -> Assembled:
    """Read, map and check everything into *store* (a new in-memory one by default).

    *engine* is the SHACL engine (``metrokg.checks.ENGINES``).

    Raises on bad input; writes nothing but the quads into *store*.
    """
    store = ox.Store() if store is None else store
    ontology = _map(paths, base=base, extra=extra, progress=progress, store=store)
    progress("validating (SHACL shapes and dataset checks)")
    return Assembled(store, ontology, _validate(store, paths, base=base, engine=engine), base)


def _map(paths: ProjectPaths, *, base: str, extra: Sequence[Path], progress: Progress,
         store: ox.Store) -> list[ox.Triple]:
    """Read the documents and records and map them, the ontology and the SDG scheme into
    *store*; return the ontology's triples."""
    progress("reading source documents")
    documents = load_documents(paths.documents)
    progress(f"reading records from {paths.data}")
    records = load_records(paths.data, documents, extra=extra)
    progress(f"loading the ontology and the UN SDG scheme ({len(records)} records)")
    ontology = ontology_triples(paths.ontology, stamp=version())
    sdg = _parse(paths.sdg_kos)
    vocabulary = Vocabulary.from_triples(ontology, sdg)
    progress("mapping records to named graphs")
    iris = Iris(base)
    store.bulk_extend(chain(
        map_records(records, documents, vocabulary, base=base),
        _reference_graph(iris, "ontology", ontology, str(ONTOLOGY_IRI),
                         "metrokg ontology, " + version()),
        _reference_graph(iris, "un-sdg", sdg, "http://metadata.un.org/sdg", SDG_CITATION)))
    return ontology


def _validate(store: ox.Store, paths: ProjectPaths, *, base: str,
              engine: str) -> ValidationResult:
    checks = sorted((paths.queries / "checks").glob("*-violation.rq"))
    return validate_store(store, shapes=paths.shapes, checks=checks,
                          provenance=Iris(base).provenance_graph.value, engine=engine)


def _parse(path: Path) -> list[ox.Triple]:
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except FileNotFoundError:
        raise InputError(str(path), "file is missing", hint="restore it from the checkout") from None
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(str(path), f"does not parse: {exc}") from None


def _reference_graph(iris: Iris, name: str, content: list[ox.Triple], origin: str,
                     citation: str) -> list[ox.Quad]:
    graph = iris.graph(name)
    prov = iris.provenance_graph
    source = ox.NamedNode(origin)
    return [*(ox.Quad(t.subject, t.predicate, t.object, graph) for t in content),
            ox.Quad(graph, _RDF_TYPE, ox.NamedNode(_PROV + "Entity"), prov),
            ox.Quad(graph, ox.NamedNode(_PROV + "wasDerivedFrom"), source, prov),
            ox.Quad(graph, ox.NamedNode(_DCTERMS + "source"), source, prov),
            ox.Quad(graph, ox.NamedNode(_DCTERMS + "bibliographicCitation"),
                    ox.Literal(citation), prov)]


def build(paths: ProjectPaths, *, base: str = DEFAULT_BASE, progress: Progress = _noop,
          strict: bool = True, engine: str = "auto") -> BuildResult:
    """Build every output and the store; publish them only if the whole build succeeds.

    With *strict*, a Violation stops the build before anything is published; the error
    carries the validation report. *engine* is the SHACL engine. A folder that cannot be
    written (permissions, full disk) raises :class:`InputError`; the previous outputs
    stay as they were.
    """
    builds = paths.dist / ".builds"
    try:
        builds.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(builds)
        staging = Path(tempfile.mkdtemp(prefix="staging-", dir=builds))
        lock = _lock(staging)
    except OSError as exc:
        raise _unwritable(paths.dist, exc) from None
    try:
        store = ox.Store()  # in memory while the build reads it; written to disk at the end
        ontology = _map(paths, base=base, extra=(), progress=progress, store=store)
        progress("validating (SHACL shapes and dataset checks), beside the next steps")
        # the child validates the store as it is now; the network step adds to it meanwhile
        checking = Forked(lambda: _validate(store, paths, base=base, engine=engine),
                          name="validation")
        try:
            summary = _network_and_dumps(store, ontology, paths, staging, base=base,
                                         progress=progress)
        except Exception:
            _checked(checking.result(), strict)  # a violation explains a later failure
            raise
        except BaseException:
            checking.cancel()
            raise
        progress("waiting for validation; writing its report and the summary")
        validation = _checked(checking.result(), strict)
        summary = replace(summary, validation=validation_counts(validation))
        _write_reports(validation, summary, staging, base=base)
        progress("publishing")
        final = _publish(staging, paths)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _unwritable(paths.dist, exc) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        lock.close()
    files = {key: final / name for key, name in OUTPUT_FILES.items()}
    return BuildResult(paths.output, files, summary, validation)


def _unwritable(dist: Path, exc: OSError) -> InputError:
    return InputError(str(dist), f"cannot write the build: {exc.strerror or exc}",
                      hint="check the folder's permissions and free space; the previous "
                           "outputs are unchanged")


def _checked(validation: ValidationResult, strict: bool) -> ValidationResult:
    """*validation*, or with *strict* :class:`ValidationFailed` if it has a Violation."""
    if strict and not validation.conforms:
        raise ValidationFailed(f"{validation.count('Violation')} violation(s); nothing was "
                               "published\n" + validation.text())
    return validation


def _network_and_dumps(store: ox.Store, ontology: list[ox.Triple], paths: ProjectPaths,
                       staging: Path, *, base: str, progress: Progress) -> Summary:
    """The network step, then every output that does not depend on validation; return the
    summary (without validation counts)."""
    progress("analysing the partnership network")
    from .networkstep import add_network_analysis

    network = add_network_analysis(store, paths, base=base)
    summary = summarise(store, base=base)
    progress("writing outputs")
    _write_outputs(store, ontology, network.explorer_html, staging, base=base)
    return summary


def _write_outputs(store: ox.Store, ontology: list[ox.Triple], explorer: str, staging: Path,
                   *, base: str) -> None:
    provenance = Iris(base).provenance_graph

    def out(key: str) -> Path:
        return staging / OUTPUT_FILES[key]

    nquads = out("dataset_nquads")
    data = dumps.write_nquads(store, nquads, exclude=[provenance])
    # the on-disk store is loaded from the dump by Oxigraph's bulk loader, which releases
    # the GIL: it runs on the second core while the other dumps are written
    disk = _Background(_write_store, nquads, staging / STORE_DIR)
    try:
        dumps.write_trig(nquads, out("dataset_trig"), base=base)
        dumps.write(dumps.triples_of(data), out("graph_turtle"), ox.RdfFormat.TURTLE, base=base)
        dumps.write(dumps.triples_of(data), out("graph_jsonld"), ox.RdfFormat.JSON_LD, base=base)
        del data
        dumps.write(sorted(set(ontology), key=str), out("ontology"), ox.RdfFormat.TURTLE,
                    base=base)
        _write_text(out("explorer"), explorer)
    finally:
        disk.join()  # also when a dump failed: the thread must not outlive the staging


def _write_reports(validation: ValidationResult, summary: Summary, staging: Path, *,
                   base: str) -> None:
    """The validation report and the summary; then every output is synced to disk."""
    dumps.write_rdflib_turtle(validation.report, staging / OUTPUT_FILES["validation_turtle"],
                              base=base)
    texts = {
        "validation_text": validation.text(),
        "summary_json": json.dumps(summary.as_dict(), indent=2, sort_keys=True,
                                   ensure_ascii=False) + "\n",
        "summary_text": summary.text(),
    }
    for key, text in texts.items():
        _write_text(staging / OUTPUT_FILES[key], text)
    for name in OUTPUT_FILES.values():
        with open(staging / name, "rb") as written:
            os.fsync(written.fileno())


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _write_store(nquads: Path, folder: Path) -> None:
    """The on-disk store published beside the dumps, holding exactly the quads of *nquads*."""
    disk = ox.Store(str(folder))
    disk.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    disk.flush()
    del disk  # closes it before the folder is published


class _Background:
    """``fn(*args)`` in a thread; :meth:`join` waits for it and re-raises what it raised."""

    def __init__(self, fn: Callable[..., None], *args: object) -> None:
        self._error: BaseException | None = None

        def run() -> None:
            try:
                fn(*args)
            except BaseException as exc:  # re-raised by join
                self._error = exc

        self._thread = threading.Thread(target=run, name=f"metrokg-{fn.__name__}")
        self._thread.start()

    def join(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


def _lock(staging: Path) -> IO[str]:
    """Hold an exclusive lock on the staging folder's lock file until the build ends.

    The kernel releases it when the process dies (even by SIGKILL), so a staging folder
    whose lock can be taken belongs to no running build.
    """
    handle = open(staging / _LOCK, "w", encoding="utf-8")  # noqa: SIM115 - held open
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def _remove_stale_staging(builds: Path) -> None:
    """Remove staging folders of builds that are no longer running (interrupted ones)."""
    for entry in builds.iterdir():
        if not entry.name.startswith("staging-") or not entry.is_dir():
            continue
        lock = entry / _LOCK
        try:
            handle = open(lock, "r+", encoding="utf-8")  # noqa: SIM115
        except FileNotFoundError:
            # made by a build that has not locked it yet (or by an older metrokg)
            if time.time() - entry.stat().st_mtime > 60:
                shutil.rmtree(entry, ignore_errors=True)
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a running build holds it
            shutil.rmtree(entry, ignore_errors=True)


def _publish(staging: Path, paths: ProjectPaths) -> Path:
    """Rename the staging folder to its content digest and swap the `dist/graph` link."""
    digest = hashlib.sha256()
    for path in sorted(staging.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    final = staging.parent / digest.hexdigest()[:16]
    link = paths.output
    if link.exists() and not link.is_symlink():
        raise InputError(str(link), "exists and is not the link `metrokg build` makes",
                         hint="move it away and build again")
    _fsync_dir(staging)
    if final.exists():
        shutil.rmtree(staging)
    else:
        staging.rename(final)
        with suppress(FileNotFoundError):
            (final / _LOCK).unlink()
    _fsync_dir(staging.parent)
    tmp_link = link.with_name(f".graph-{os.getpid()}")
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(Path(".builds") / final.name)
    previous = link.resolve() if link.is_symlink() else None
    os.replace(tmp_link, link)  # the atomic step
    _fsync_dir(link.parent)
    _prune(staging.parent, keep={final.resolve(), *([previous] if previous else [])})
    return final


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(builds: Path, *, keep: set[Path]) -> None:
    """Remove older builds (keep the current and the previous one) and stale staging."""
    for entry in builds.iterdir():
        if entry.resolve() in keep or not entry.is_dir() or entry.name.startswith("staging-"):
            continue
        shutil.rmtree(entry, ignore_errors=True)
    _remove_stale_staging(builds)
