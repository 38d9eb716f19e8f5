"""The baseline for a cold query: what one writes without ftzgraph.

    python bench/plain_rdflib_query.py DATA_DIR QUERY_FILE

Parses the ontology and every Turtle file of DATA_DIR with rdflib, runs the SPARQL in
QUERY_FILE and prints the rows as tab-separated values.
"""

import sys
from pathlib import Path

from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent


def main(data_dir: Path, query_file: Path) -> None:
    graph = Graph()
    ontology = [p for p in sorted((ROOT / "ontology").glob("*.ttl")) if p.name != "shapes.ttl"]
    for path in ontology + sorted(data_dir.glob("*.ttl")):
        graph.parse(path, format="turtle")
    for row in graph.query(query_file.read_text(encoding="utf-8")):
        print("\t".join("" if value is None else str(value) for value in row))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
