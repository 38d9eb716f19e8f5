"""Query results and their formats: table, csv, tsv, json, md for rows; ttl, nt, jsonld for graphs."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field

from ftzgraph import vocab
from ftzgraph.errors import UsageError

ROW_FORMATS = ("table", "csv", "tsv", "json", "md")
GRAPH_FORMATS = ("ttl", "nt", "jsonld")
CELL_WIDTH = 80  # a table cell wider than this is cut, so a row stays on a terminal line
_NUMERIC = {vocab.PREFIXES["xsd"] + t: int for t in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger")}
_NUMERIC.update({vocab.PREFIXES["xsd"] + t: float for t in ("decimal", "double", "float")})


@dataclass
class Result:
    """The answer to a query: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE).

    Row values are pyoxigraph terms, or None where a variable is unbound.
    """

    kind: str  # "rows", "boolean" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    boolean: bool | None = None
    triples: list = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "rows" else len(self.triples)

    def __iter__(self):
        return iter(self.dicts())

    def dicts(self) -> list[dict]:
        """Rows as dicts of plain Python values: IRIs and literals as str, numbers as int/float."""
        return [{v: python_value(row.get(v)) for v in self.variables} for row in self.rows]

    def to_dataframe(self):
        """The rows as a pandas DataFrame (pandas is an optional dependency)."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise UsageError("to_dataframe needs pandas: pip install pandas") from exc
        return pd.DataFrame(self.dicts(), columns=self.variables)


def python_value(term):
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    if datatype is not None:
        cast = _NUMERIC.get(datatype.value)
        if cast is not None:
            try:
                return cast(term.value)
            except ValueError:
                return term.value
        if datatype.value == vocab.PREFIXES["xsd"] + "boolean":
            return term.value == "true"
    return term.value


def display(term) -> str:
    """A term as a person reads it: compact IRIs, bare literal values."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return vocab.compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _json_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != vocab.PREFIXES["xsd"] + "string":
        out["datatype"] = term.datatype.value
    return out


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clip(text: str, width: int) -> str:
    """The text cut to fit ``width`` columns, with an ellipsis where it was cut."""
    if _width(text) <= width:
        return text
    used, kept = 1, []  # the ellipsis takes one column
    for char in text:
        used += _width(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_rows(result: Result, fmt: str) -> str:
    if result.kind == "boolean":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    variables = result.variables
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in row.items() if t is not None} for row in result.rows]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":  # SPARQL 1.1 CSV: plain values
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in result.rows:
            writer.writerow(["" if row.get(v) is None else row[v].value for v in variables])
        return buffer.getvalue()
    if fmt == "tsv":  # SPARQL 1.1 TSV: terms in N-Triples syntax
        lines = ["\t".join("?" + v for v in variables)]
        for row in result.rows:
            lines.append("\t".join("" if row.get(v) is None else str(row[v]) for v in variables))
        return "\n".join(lines) + "\n"
    if fmt in ("table", "md"):
        cells = [[display(row.get(v)) for v in variables] for row in result.rows]
        return format_table(variables, cells, markdown=fmt == "md")
    raise UsageError(f"--format {fmt} is for graphs; rows take one of {', '.join(ROW_FORMATS)}")


def format_table(columns: list[str], cells: list[list[str]], markdown: bool = False) -> str:
    """An aligned text table (CJK characters count double), or a markdown table."""
    cells = [[c.replace("\n", " ") for c in row] for row in cells]
    if markdown:
        def md(text: str) -> str:
            return text.replace("|", "\\|")

        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in cells]
        return "\n".join(lines) + "\n"
    cells = [[_clip(c, CELL_WIDTH) for c in row] for row in cells]
    widths = [max([_width(v)] + [_width(row[i]) for row in cells]) for i, v in enumerate(columns)]
    lines = ["  ".join(_pad(v, w) for v, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def format_graph(result: Result, fmt: str) -> str:
    import pyoxigraph as ox

    formats = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
    if fmt not in formats:
        raise UsageError(f"a CONSTRUCT or DESCRIBE result takes --format {'|'.join(GRAPH_FORMATS)}, not {fmt}")
    prefixes = vocab.PREFIXES if fmt == "ttl" else None
    return ox.serialize(result.triples, format=formats[fmt], prefixes=prefixes).decode("utf-8")


def render(result: Result, fmt: str | None) -> str:
    if result.kind == "graph":
        return format_graph(result, fmt or "ttl")
    return format_rows(result, fmt or "table")
