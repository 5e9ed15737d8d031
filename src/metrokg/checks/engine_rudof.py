"""The fast engine: pyrudof's native SHACL validator (Rust), SHACL-SPARQL included.

Each run is a fresh pyrudof session fed N-Triples files (the data slice of a group of
shapes, see :mod:`.reach`) and the N-Triples of the shapes graph (SPARQL targets already
resolved to target nodes, see :mod:`.shapes`); its report comes back as a SHACL
validation report graph, read with rdflib like pyshacl's, and the runs' reports are
merged into one. pyrudof releases the GIL while it reads and validates, so a run can go
on in a thread while Python does other work; a session is dropped before the next one
starts, so the runs' memory does not add up.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Sequence
from pathlib import Path

from rdflib import BNode, Graph, Literal

from ..errors import InputError
from ..namespaces import RDF, SH

__all__ = ["Run", "run_rudof"]

Run = tuple[Sequence[Path], str]
"""One validation run: the N-Triples files of its data, and its shapes graph's N-Triples."""


def run_rudof(runs: Sequence[Run], shapes: Graph) -> Graph:
    """One SHACL report of every run (*shapes* is the whole graph, for the messages)."""
    import pyrudof  # a compiled extension: imported only when this engine runs

    report = Graph()
    head = BNode()
    conforms = True
    for files, part in runs:
        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        try:
            for i, path in enumerate(files):
                rudof.read_data(str(path), format=pyrudof.RDFFormat.NTriples,
                                reader_mode=pyrudof.ReaderMode.Strict, merge=i > 0)
            rudof.read_shacl("# metrokg shapes\n" + part,
                             format=pyrudof.ShaclFormat.NTriples,
                             reader_mode=pyrudof.ReaderMode.Strict)
            rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
            text = rudof.serialize_shacl_validation_results(
                format=pyrudof.ResultShaclValidationFormat.NTriples)
        except pyrudof.RudofError as exc:
            raise InputError("shapes", "a shape cannot be run by pyrudof: "
                             + " ".join(str(exc).split()),
                             hint="fix the shape in shapes/*.ttl, or use --engine pyshacl"
                             ) from None
        finally:
            del rudof
        conforms &= _merge(report, head, Graph().parse(data=text, format="nt"))
        _give_back_memory()
    report.add((head, RDF.type, SH.ValidationReport))
    report.add((head, SH.conforms, Literal(conforms)))
    return _with_shape_messages(report, shapes)


def _give_back_memory() -> None:
    """Return the memory a dropped session freed to the system (glibc's malloc_trim).

    pyrudof allocates in the validating thread's malloc arena, which the rest of the
    build (on the main thread) does not reuse: without this, the freed memory of the
    runs stays in the process's resident size. A no-op where libc has no malloc_trim.
    """
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    if trim is not None:
        trim(0)


def _merge(report: Graph, head: BNode, part: Graph) -> bool:
    """Copy *part*'s results under *head*; whether *part* conforms."""
    heads = set(part.subjects(RDF.type, SH.ValidationReport))
    conforms = all(part.value(h, SH.conforms) != Literal(False) for h in heads)
    for s, p, o in part:
        if s in heads:
            if p == SH.result:
                report.add((head, p, o))
        else:
            report.add((s, p, o))
    return conforms


def _with_shape_messages(report: Graph, shapes: Graph) -> Graph:
    """Give each result its shape's ``sh:message`` where pyrudof left only its own text.

    SHACL (§2.1.5): a result produced by a shape with ``sh:message`` values has them as
    ``sh:resultMessage``. pyrudof fills in the messages of SPARQL-based constraints but
    gives only a generic text for some core constraints (``sh:xone``, ``sh:or``,
    ``sh:uniqueLang``…).
    """
    for result in list(report.objects(None, SH.result)):
        messages = list(report.objects(result, SH.resultMessage))
        if any(isinstance(m, Literal) and m.language for m in messages):
            continue
        for node in (report.value(result, SH.sourceConstraint),
                     report.value(result, SH.sourceShape)):
            if node is not None:
                for message in shapes.objects(node, SH.message):
                    report.add((result, SH.resultMessage, message))
    return report
