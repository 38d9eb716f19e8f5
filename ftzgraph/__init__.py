"""ftzgraph: the open knowledge graph of China's pilot free trade zones.

    >>> import ftzgraph
    >>> g = ftzgraph.open()
    >>> g.query("zone-subareas", zone="zone:fujian").dicts()
"""

__version__ = "0.2.0"
__all__ = ["FtzError", "Graph", "Result", "UsageError", "open", "__version__"]


def __getattr__(name: str):
    # Lazy, so that `import ftzgraph.cli` (and `ftzgraph --help`) stays instant.
    if name in ("Graph", "open"):
        from ftzgraph import api

        return getattr(api, name)
    if name in ("FtzError", "UsageError"):
        from ftzgraph import errors

        return getattr(errors, name)
    if name == "Result":
        from ftzgraph.results import Result

        return Result
    raise AttributeError(f"module 'ftzgraph' has no attribute {name!r}")
