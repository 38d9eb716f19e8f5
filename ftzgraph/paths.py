"""Where the graph's files live: the source checkout, or the installed package."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def graph_root() -> Path:
    """The folder holding ontology/ and data/.

    A wheel carries them as package data under ftzgraph/_graph; a source checkout
    has them beside the package.  FTZGRAPH_DATA points data/ elsewhere (e.g. a
    synthetic graph) without touching the ontology.
    """
    bundled = _PACKAGE / "_graph"
    return bundled if (bundled / "ontology").is_dir() else _PACKAGE.parent


def data_dir() -> Path:
    override = os.environ.get("FTZGRAPH_DATA")
    return Path(override) if override else graph_root() / "data"


def ontology_dir() -> Path:
    return graph_root() / "ontology"


def sources_dir() -> Path:
    return data_dir() / "sources"


def queries_dir() -> Path:
    return _PACKAGE / "queries"
