"""The compiled graph: ontology + data in an on-disk Oxigraph store, cached by content hash.

The first open after any change to the input files builds a new store under the
user cache dir; every later open reuses it read-only, which is what makes a cold
``ftzgraph query`` fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from ftzgraph import paths
from ftzgraph.errors import FtzError

SHAPES_FILE = "shapes.ttl"  # SHACL shapes validate the graph; they are not part of it
KEEP_BUILDS = 3  # older compiled stores are removed to bound the cache's size
LOAD_THREADS = 4


def cache_root() -> Path:
    override = os.environ.get("FTZGRAPH_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ftzgraph"


def data_files(data_dir: Path | None = None) -> list[Path]:
    """The Turtle files of a data folder, in a stable order; a missing or empty folder is an error."""
    data_dir = data_dir or paths.data_dir()
    if not data_dir.is_dir():
        raise FtzError(f"data directory not found: {data_dir}")
    files = sorted(data_dir.glob("*.ttl"))
    if not files:
        raise FtzError(f"no Turtle files in {data_dir}")
    return files


def input_files(data_dir: Path | None = None) -> list[Path]:
    """The Turtle files the graph is compiled from: the ontology, then the data folder."""
    ontology = [f for f in sorted(paths.ontology_dir().glob("*.ttl")) if f.name != SHAPES_FILE]
    return ontology + data_files(data_dir)


def fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError as exc:
            raise FtzError(f"cannot read {path}: {exc.strerror}") from exc
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def _load(store, files: list[Path], progress: Callable[[Path, int], None] | None) -> None:
    """Bulk-load the files from a few threads: Oxigraph parses each file in its own thread
    without the GIL, which takes a quarter off a large build on 2 cores."""
    from concurrent.futures import ThreadPoolExecutor

    import pyoxigraph as ox

    def load(path: Path) -> None:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)

    sizes = {path: path.stat().st_size for path in files}
    with ThreadPoolExecutor(max_workers=min(LOAD_THREADS, os.cpu_count() or 1)) as pool:
        futures = {path: pool.submit(load, path) for path in sorted(files, key=lambda f: -sizes[f])}
        for path in files:
            try:
                futures[path].result()
            except SyntaxError as exc:
                raise FtzError(f"{path}: broken Turtle: {exc.msg}") from exc
            except OSError as exc:
                raise FtzError(f"cannot read {path}: {exc}") from exc
            if progress:
                progress(path, sizes[path])


def build(
    files: list[Path] | None = None,
    progress: Callable[[Path, int], None] | None = None,
    force: bool = False,
) -> Path:
    """Compile the files into the cache and return the store's folder.

    The store is written to a temporary folder and renamed into place, so a
    failed or interrupted build never leaves a half-written store behind.
    """
    import pyoxigraph as ox

    files = files or input_files()
    key = fingerprint(files)
    root = cache_root()
    target = root / key
    if target.is_dir() and not force:
        return target
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FtzError(f"cannot create cache dir {root}: {exc.strerror}") from exc
    tmp = root / f".{key}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        store = ox.Store(str(tmp))
        started = time.perf_counter()
        _load(store, files, progress)
        store.optimize()
        manifest = {
            "files": [str(f) for f in files],
            "triples": len(store),
            "seconds": round(time.perf_counter() - started, 3),
        }
        del store
        (tmp / "ftzgraph.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if target.is_dir():
            shutil.rmtree(target)
        os.rename(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _prune(root, keep=target)
    return target


def _prune(root: Path, keep: Path) -> None:
    builds = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in builds[KEEP_BUILDS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def manifest(location: Path) -> dict:
    return json.loads((location / "ftzgraph.json").read_text(encoding="utf-8"))


def open_store(files: list[Path] | None = None):
    """A read-only Oxigraph store of the current graph, built first if needed."""
    import pyoxigraph as ox

    location = build(files)
    try:
        return ox.Store.read_only(str(location))
    except OSError as exc:
        raise FtzError(f"cannot open the compiled store {location}: {exc}") from exc
