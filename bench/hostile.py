"""What the hostile-input checks cost, against raw pyoxigraph in the same run.

    .venv/bin/python bench/hostile.py               # ~1M triples (generated)
    .venv/bin/python bench/hostile.py --agents 2170 # ~100k, quicker

- the literal checks of validation (ill-typed XSD literals, literals past the
  size limit) against pyoxigraph loading the same files and one bare scan of
  their literals;
- the SPARQL nesting check every query passes, against pyoxigraph running
  the same small query;
- the RDF/XML pre-scan (entities, element depth), against pyoxigraph parsing
  the same file.

Prints a Markdown section; the machine is shared, so read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from collabgraph.build.pipeline import graph_iri, source_files
from collabgraph.core.formats import rdf_format_for_path
from collabgraph.importers.generate import generate
from collabgraph.core.sourcecheck import prescan
from collabgraph.core.sparqltext import too_deep
from collabgraph.store.local import Store
from collabgraph.store.validation import literal_problems


def best(f, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agents", type=int, default=21700)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        graph = Path(tmp) / "graph"
        generate(args.agents, graph)
        files = source_files(graph)
        raw = ox.Store()
        load_raw = best(lambda: [raw.load(path=str(p), format=ox.RdfFormat.TURTLE,
                                           to_graph=ox.NamedNode(graph_iri(graph, p))) for p in files], 1)
        store = Store(raw)
        triples = store.count()
        file_of = {graph_iri(graph, p): str(p) for p in files}
        scan = best(lambda: list(raw.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER (isLiteral(?o)) }",
                                           use_default_graph_as_union=True)))
        literals = best(lambda: literal_problems(store, data_graphs=list(file_of), file_of_graph=file_of))

        query = "SELECT ?l WHERE { id:a1 rdfs:label ?l FILTER (LANG(?l) = \"en\") }"
        n = 2000
        plain = best(lambda: [list(raw.query(query, prefixes={"id": "https://w3id.org/collabgraph/id/",
                                                              "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}))
                              for _ in range(n)]) / n
        check = best(lambda: [too_deep(query) for _ in range(n)]) / n
        deep_text = "SELECT * WHERE { " + "FILTER ((((?a)))) " * 2000 + "}"
        check_long = best(lambda: too_deep(deep_text, 100))

        xml = Path(tmp) / "shard.rdf"
        xml.write_bytes(raw.dump(format=ox.RdfFormat.RDF_XML, from_graph=ox.NamedNode(graph_iri(graph, files[0]))))
        parse_xml = best(lambda: list(ox.parse(path=str(xml), format=ox.RdfFormat.RDF_XML)))
        scan_xml = best(lambda: prescan(xml, str(xml), rdf_format_for_path(xml)))
        xml_size = xml.stat().st_size

    print("## Hostile-input checks\n")
    print(f"`.venv/bin/python bench/hostile.py --agents {args.agents}` on {platform.machine()}, "
          f"{triples:,} triples; a machine shared with other jobs, so the ratios are what to read.\n")
    print("| check | time | baseline in the same run | ratio |")
    print("|---|---:|---|---:|")
    print(f"| literal checks (XSD lexical forms, size limit) | {literals:.2f} s | pyoxigraph loading the files: "
          f"{load_raw:.1f} s; one bare scan of the literals: {scan:.2f} s | {literals / load_raw:.0%} of the load, "
          f"{literals / scan:.1f}x the scan |")
    print(f"| SPARQL nesting check, small query | {check * 1e6:.0f} µs | pyoxigraph running it: {plain * 1e6:.0f} µs "
          f"| {check / plain:.0%} |")
    print(f"| SPARQL nesting check, {len(deep_text):,}-character query | {check_long * 1e3:.1f} ms | | |")
    print(f"| RDF/XML pre-scan ({xml_size:,} bytes, expat) | {scan_xml:.2f} s | "
          f"pyoxigraph parsing it: {parse_xml:.2f} s | {scan_xml / parse_xml:.0%} |")


if __name__ == "__main__":
    main()
