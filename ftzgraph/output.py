"""The one way ftzgraph writes a file: whole or not at all.

A regular file is written to a temporary file in the same folder and renamed into
place, so a failed or interrupted write never leaves half a file and never harms
the file it would replace.  A special file (a FIFO, a character device such as
/dev/null or /dev/stdout) is written through, never replaced; a symlink is
followed, so the file it points to is replaced and the link stays.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ftzgraph.errors import FtzError, UsageError


def write(path: Path | str, data: str | bytes) -> None:
    """Write text (UTF-8) or bytes to ``path`` atomically."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as target:
        if target.is_fifo() or target.is_char_device():
            _write_through(target, payload)
        else:
            target.write_bytes(payload)


@contextlib.contextmanager
def atomic_path(path: Path | str, suffix: str = "") -> Iterator[Path]:
    """A temporary path to write to; renamed onto ``path`` when the block ends without error.

    ``suffix`` keeps an extension that a writer insists on (matplotlib picks the format
    from it).  For a special file the block gets the path itself.
    """
    destination = _destination(path)
    if _is_special(destination):
        try:
            yield destination
        except OSError as exc:  # a writer that opens the path itself (matplotlib, networkx)
            raise FtzError(f"cannot write {path}: {exc.strerror or exc}") from exc
        return
    tmp = destination.with_name(f".{destination.name}.{os.getpid()}.tmp{suffix}")
    try:
        yield tmp
        os.replace(tmp, destination)
    except OSError as exc:
        raise FtzError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


@contextlib.contextmanager
def atomic_folder(folder: Path | str) -> Iterator[Path]:
    """A temporary folder beside ``folder``'s files; each file written in it is moved into
    ``folder`` when the block ends without error, and nothing is left behind otherwise."""
    import shutil
    import tempfile

    folder = Path(folder)
    if not folder.is_dir():
        raise FtzError(f"cannot write into {folder}: no such directory")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".ftzgraph-", dir=folder))
    except OSError as exc:
        raise FtzError(f"cannot write into {folder}: {exc.strerror or exc}") from exc
    try:
        yield tmp
        for item in sorted(tmp.iterdir()):
            os.replace(item, folder / item.name)
    except OSError as exc:
        raise FtzError(f"cannot write into {folder}: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _destination(path: Path | str) -> Path:
    text = os.fsdecode(path)
    if not text.strip():
        raise UsageError("the output path is empty")
    destination = Path(text)
    try:
        if destination.is_symlink():
            destination = destination.resolve()
        if destination.is_dir():
            raise FtzError(f"cannot write {path}: it is a directory")
        if not destination.parent.is_dir():
            raise FtzError(f"cannot write {path}: no such directory {destination.parent}")
    except (OSError, RuntimeError) as exc:  # a name too long; a loop of symlinks (RuntimeError before Python 3.13)
        raise FtzError(f"cannot write {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    return destination


def _is_special(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


def _write_through(path: Path, payload: bytes) -> None:
    try:
        with path.open("wb") as handle:
            handle.write(payload)
    except OSError as exc:
        raise FtzError(f"cannot write {path}: {exc.strerror or exc}") from exc
