"""The fast engine: pyrudof's native SHACL validator (Rust), SHACL-SPARQL included.

The data goes in as N-Triples text, the shapes as N-Triples of the shapes graph (SPARQL
targets already resolved to target nodes, see :mod:`.shapes`); the report comes back as
a SHACL validation report graph, read with rdflib like pyshacl's.
"""

from __future__ import annotations

from rdflib import Graph, Literal

from ..errors import InputError
from ..namespaces import SH

__all__ = ["run_rudof"]


def run_rudof(data: bytes, shapes: Graph) -> Graph:
    """The SHACL report of *shapes* on the N-Triples *data*."""
    import pyrudof  # a compiled extension: imported only when this engine runs

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    try:
        # a comment line first: pyrudof refuses an empty input, and no data is valid data
        rudof.read_data("# metrokg data\n" + data.decode("utf-8"),
                        format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
        rudof.read_shacl("# metrokg shapes\n" + shapes.serialize(format="nt"),
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
    return _with_shape_messages(Graph().parse(data=text, format="nt"), shapes)


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
