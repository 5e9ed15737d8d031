"""The fast engine: pyrudof's native SHACL validator (Rust), SHACL-SPARQL included.

The data goes in as N-Triples text, the shapes as N-Triples of the shapes graph (SPARQL
targets already resolved to target nodes, see :mod:`.shapes`); the report comes back as
a SHACL validation report graph, read with rdflib like pyshacl's.
"""

from __future__ import annotations

from rdflib import Graph

from ..errors import InputError

__all__ = ["run_rudof"]


def run_rudof(data: bytes, shapes: Graph) -> Graph:
    """The SHACL report of *shapes* on the N-Triples *data*."""
    import pyrudof  # a compiled extension: imported only when this engine runs

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    try:
        # a comment line first: pyrudof refuses an empty input, and no data is valid data
        rudof.read_data("# metrokg data\n" + data.decode("utf-8"), format=pyrudof.RDFFormat.NTriples,
                        reader_mode=pyrudof.ReaderMode.Strict)
        rudof.read_shacl(shapes.serialize(format="nt"), format=pyrudof.ShaclFormat.NTriples,
                         reader_mode=pyrudof.ReaderMode.Strict)
        rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
        text = rudof.serialize_shacl_validation_results(
            format=pyrudof.ResultShaclValidationFormat.NTriples)
    except pyrudof.RudofError as exc:
        raise InputError("shapes", "a shape cannot be run by pyrudof: "
                         + " ".join(str(exc).split()),
                         hint="fix the shape in shapes/*.ttl, or use --engine pyshacl"
                         ) from None
    return Graph().parse(data=text, format="nt")
