"""Each benchmark owns one section of bench/RESULTS.md, between <!-- NAME:start --> and <!-- NAME:end -->."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(name: str, text: str, heading: str) -> None:
    """Replace the section ``name`` with ``text``, or append it under ``heading`` if it is new."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    report = RESULTS.read_text(encoding="utf-8")
    section = f"{start}\n{text.rstrip()}\n{end}\n"
    if start in report:
        report = re.sub(re.escape(start) + ".*?" + re.escape(end) + "\n?", lambda _m: section, report, flags=re.DOTALL)
    else:
        report = report.rstrip("\n") + f"\n\n## {heading}\n\n" + section
    RESULTS.write_text(report, encoding="utf-8")
