"""The compiled graph: ontology + data in an on-disk Oxigraph store, cached by content hash.

The first open after any change to the input files builds a new store under the
user cache dir; every later open reuses it read-only, which is what makes a cold
``ftzgraph query`` fast.

Safe under concurrency and faults:
- a store is built in a temporary folder and renamed into place as ``KEY.STAMP``, so
  no one ever sees half a store; builds of one cache take an exclusive lock;
- a rebuild (``--force``, or after corruption) makes a new folder and never touches
  the one other processes may be reading;
- every process that opens a store holds a shared lock on its manifest, and a store
  is removed only when no one holds it;
- a store that cannot be opened, or whose manifest is unreadable, is set aside and
  rebuilt, with a one-line warning.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ftzgraph import inference, paths
from ftzgraph.errors import FtzError

SHAPES_FILE = "shapes.ttl"  # SHACL shapes validate the graph; they are not part of it
MANIFEST = "ftzgraph.json"
KEEP_BUILDS = 3  # stores of older inputs are removed (when unused) to bound the cache's size
LOAD_THREADS = 4
STALE_TMP_SECONDS = 3600  # a temporary build folder this old, of a process that is gone, is removed


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


def warn(message: str) -> None:
    print(f"Warning: {message}", file=sys.stderr)


# -- building -------------------------------------------------------------------------------------

def build(files: list[Path] | None = None, progress: Callable[[Path, int], None] | None = None,
          force: bool = False, verify: bool = False) -> Path:
    """The folder of a healthy store of ``files``, built first if there is none (or ``force``).

    ``verify`` also counts the triples of an existing store against its manifest, which
    reads the whole store: `ftzgraph build` does it, a query does not.
    """
    files = files or input_files()
    key = fingerprint(files)
    root = _cache_dir()
    with _build_lock(root):
        current = None if force else _healthy(root, key, verify)
        if current is None:
            current = _build_new(root, key, files, progress)
        _prune(root, keep=current)
    return current


def _cache_dir() -> Path:
    root = cache_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FtzError(f"cannot create cache dir {root}: {exc.strerror}") from exc
    if not os.access(root, os.W_OK | os.X_OK):
        raise FtzError(f"cannot write to cache dir {root} (set FTZGRAPH_CACHE to a writable folder)")
    return root


@contextlib.contextmanager
def _build_lock(root: Path) -> Iterator[None]:
    try:
        handle = open(root / ".lock", "a+b")  # noqa: SIM115 - held for the block
    except OSError as exc:
        raise FtzError(f"cannot lock cache dir {root}: {exc.strerror}") from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _builds(root: Path, key: str | None = None) -> list[Path]:
    """Complete store folders (newest first), of one key if given."""
    found = [p for p in root.glob(f"{key}.*" if key else "*.*") if p.is_dir() and not p.name.startswith(".")]
    return sorted(found, key=lambda p: p.name.rsplit(".", 1)[-1], reverse=True)


def _healthy(root: Path, key: str, verify: bool) -> Path | None:
    """The newest store of ``key`` that opens and whose manifest reads; broken ones are set aside."""
    for location in _builds(root, key):
        problem = _check(location, verify)
        if problem is None:
            return location
        warn(f"the cached store {location.name} is damaged ({problem}); rebuilding it")
        _set_aside(location)
    return None


def _check(location: Path, verify: bool) -> str | None:
    import pyoxigraph as ox

    try:
        expected = manifest(location)["triples"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"unreadable manifest: {type(exc).__name__}"
    try:
        store = ox.Store.read_only(str(location))
        if verify and len(store) != expected:
            return f"{len(store)} triples, the manifest says {expected}"
    except (OSError, RuntimeError, ValueError) as exc:
        return " ".join(str(exc).split())[:120]
    return None


def _build_new(root: Path, key: str, files: list[Path], progress) -> Path:
    import pyoxigraph as ox

    stamp = f"{time.time_ns():020d}"
    tmp = root / f".{key}.{stamp}.{os.getpid()}.tmp"
    target = root / f"{key}.{stamp}"
    try:
        store = ox.Store(str(tmp))
        started = time.perf_counter()
        _load(store, files, progress)
        inference.materialise(store)
        store.optimize()
        info = {"files": [str(f) for f in files], "triples": len(store), "seconds": round(time.perf_counter() - started, 3)}
        del store
        (tmp / MANIFEST).write_text(json.dumps(info, indent=1), encoding="utf-8")
        os.rename(tmp, target)
    except OSError as exc:
        raise FtzError(f"cannot build the store in {root}: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


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
                raise FtzError(f"{path}: broken Turtle: {' '.join(str(exc).split())}") from exc
            except OSError as exc:
                raise FtzError(f"cannot read {path}: {exc}") from exc
            if progress:
                progress(path, sizes[path])


# -- who uses a store -------------------------------------------------------------------------------

def hold(location: Path):
    """A shared lock on a store for as long as the returned file stays open: the store
    is not removed meanwhile."""
    try:
        handle = open(location / MANIFEST, "rb")  # noqa: SIM115 - the caller keeps it
    except OSError as exc:
        raise FtzError(f"cannot open the compiled store {location}: {exc.strerror}") from exc
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def _unused(location: Path) -> bool:
    try:
        with open(location / MANIFEST, "rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
    except BlockingIOError:
        return False
    except OSError:
        return True  # no manifest: nobody can have opened it through us


def _set_aside(location: Path) -> None:
    """Take a damaged store out of use; remove it now if no one holds it, else on a later prune."""
    broken = location.with_name(f"{location.name}.broken")
    with contextlib.suppress(OSError):
        os.rename(location, broken)
        if _unused(broken):
            shutil.rmtree(broken, ignore_errors=True)


def _prune(root: Path, keep: Path) -> None:
    """Remove stores no one uses: older builds of a key, and keys beyond the newest KEEP_BUILDS."""
    newest: dict[str, Path] = {}
    for location in sorted(_builds(root), key=lambda p: p.stat().st_mtime, reverse=True):
        newest.setdefault(location.name.split(".", 1)[0], location)
    kept = {keep} | set(sorted(newest.values(), key=lambda p: p.stat().st_mtime, reverse=True)[:KEEP_BUILDS])
    for location in _builds(root):
        if location not in kept and _unused(location):
            shutil.rmtree(location, ignore_errors=True)
    for leftover in root.glob(".*.tmp"):
        pid = leftover.name.rsplit(".", 2)[-2]
        if not _alive(pid) and time.time() - leftover.stat().st_mtime > STALE_TMP_SECONDS:
            shutil.rmtree(leftover, ignore_errors=True)
    for broken in root.glob("*.broken"):
        if _unused(broken):
            shutil.rmtree(broken, ignore_errors=True)


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def manifest(location: Path) -> dict:
    return json.loads((location / MANIFEST).read_text(encoding="utf-8"))


# -- opening ------------------------------------------------------------------------------------

def open_store(files: list[Path] | None = None):
    """A read-only Oxigraph store of the current graph (built first if needed), and the
    lock that keeps it from being removed while it is open."""
    import pyoxigraph as ox

    for attempt in range(2):
        location = build(files)
        lock = hold(location)
        try:
            return ox.Store.read_only(str(location)), lock
        except (OSError, RuntimeError) as exc:
            lock.close()
            if attempt:
                raise FtzError(f"cannot open the compiled store {location}: {' '.join(str(exc).split())}") from exc
            warn(f"the cached store {location.name} is damaged; rebuilding it")
            with _build_lock(location.parent):
                _set_aside(location)
    raise AssertionError("unreachable")


def discard(location: Path) -> None:
    """Set a store aside after a query found it damaged; the next open rebuilds it."""
    with _build_lock(location.parent):
        _set_aside(location)
