"""Hostile queries are refused before any SPARQL parser sees them.

Oxigraph's parser recurses once per nesting level: a 6 KB query nested 3,000 braces
deep overflows its stack and kills the process (the CLI segfaults; the server exits).
So queries are scanned first, in linear time and constant stack: too long, too deeply
nested, or (on the endpoint, unless allowed) calling out with SERVICE.

Measured on this machine (bench/RESULTS.md): depth 1,000 parses, depth 3,000 crashes;
the limits below leave a wide margin on both sides.
"""

from __future__ import annotations

import re

from ftzgraph.errors import UsageError

MAX_DEPTH = 256  # nested { } and ( ); real queries stay under 20
MAX_BYTES = 1_000_000  # a query's UTF-8 size; the catalogue's largest is 2 KB
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"[^\W\d]\w*")  # any letter: str.isalpha() below is true of 上 and é too
_STRING_QUOTES = ('"""', "'''", '"', "'")


def check(text: str, allow_service: bool = True, max_depth: int = MAX_DEPTH, max_bytes: int = MAX_BYTES) -> None:
    """Raise UsageError if the query is too large, too deeply nested, or uses SERVICE when not allowed."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise UsageError(f"query refused: {size:,} bytes, more than the limit of {max_bytes:,}")
    deepest, service = _scan(text)
    if deepest > max_depth:
        raise UsageError(f"query refused: nested {deepest} levels deep, more than the limit of {max_depth}")
    if service and not allow_service:
        raise UsageError("query refused: SERVICE (federated query) is disabled on this endpoint")


def _scan(text: str) -> tuple[int, bool]:
    """(deepest nesting, whether a SERVICE keyword occurs) outside strings, IRIs and comments."""
    depth = deepest = 0
    service = False
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if char in "\"'":
            i = _skip_string(text, i)
            continue
        if char == "<":
            match = _IRI.match(text, i)
            if match:
                i = match.end()
                continue
        if char in "{(":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})":
            depth -= 1
        elif char.isalpha() or char == "_":
            match = _WORD.match(text, i)
            word_start = i
            i = match.end()
            # a keyword, not ?service, $service, ex:service or service:x
            before = text[word_start - 1] if word_start else " "
            after = text[i] if i < n else " "
            if match.group().upper() == "SERVICE" and before not in "?$:" and after != ":":
                service = True
            continue
        i += 1
    return deepest, service


def _skip_string(text: str, start: int) -> int:
    for quote in _STRING_QUOTES:
        if text.startswith(quote, start):
            i = start + len(quote)
            while i < len(text):
                if text[i] == "\\":
                    i += 2
                    continue
                if text.startswith(quote, i):
                    return i + len(quote)
                if len(quote) == 1 and text[i] == "\n":
                    return i  # an unterminated short string: let the parser report it
                i += 1
            return len(text)
    return start + 1
