"""Query results and the one formatter every command's ``--format`` goes through.

Rows print as table, csv, tsv, md or json (SPARQL 1.1 Query Results JSON); graphs as
ttl, nt or jsonld.  Analyses, gaps and stats build their rows as plain dicts and are
formatted by the same code as a SPARQL SELECT.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field

from ftzgraph import vocab
from ftzgraph.errors import UsageError

ROW_FORMATS = ("table", "csv", "tsv", "md", "json")
GRAPH_FORMATS = ("ttl", "nt", "jsonld")
CELL_WIDTH = 80  # a table cell wider than this is cut, so a row stays on a terminal line
XSD = vocab.PREFIXES["xsd"]
_NUMERIC = {XSD + t: int for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
_NUMERIC.update({XSD + t: float for t in ("decimal", "double", "float")})


@dataclass
class Result:
    """The answer to a query: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE).

    Row values are pyoxigraph terms, or None where a variable is unbound.  ``note`` is a
    sentence printed under a table (e.g. the summary of a coverage report).
    """

    kind: str  # "rows", "boolean" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    boolean: bool | None = None
    triples: list = field(default_factory=list)
    note: str = ""

    @classmethod
    def from_oxigraph(cls, answer, limit: int | None = None) -> Result:
        """A Result from a pyoxigraph query answer, stopping after ``limit`` rows or triples."""
        import itertools

        import pyoxigraph as ox

        if isinstance(answer, ox.QueryBoolean):
            return cls("boolean", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            return cls("graph", triples=list(itertools.islice(answer, limit)))
        variables = [v.value for v in answer.variables]
        rows = [{v: solution[v] for v in variables} for solution in itertools.islice(answer, limit)]
        return cls("rows", variables=variables, rows=rows)

    @classmethod
    def from_dicts(cls, rows: list[dict], variables: list[str] | None = None, note: str = "") -> Result:
        """Rows of plain Python values (str, int, float, bool, None) as a Result."""
        variables = variables if variables is not None else (list(rows[0]) if rows else [])
        return cls("rows", variables=variables, rows=[{v: to_term(row.get(v)) for v in variables} for row in rows], note=note)

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
            raise UsageError("to_dataframe needs pandas: pip install 'ftzgraph[pandas]'") from exc
        return pd.DataFrame(self.dicts(), columns=self.variables)

    def head(self, limit: int | None) -> Result:
        """The first ``limit`` rows (all of them for None)."""
        if limit is None:
            return self
        return Result(self.kind, self.variables, self.rows[:limit], self.boolean, self.triples[:limit], self.note)

    def format(self, fmt: str | None = None) -> str:
        """The result as text: a row format for rows and booleans, a graph format for triples."""
        if self.kind == "graph":
            return _format_graph(self, fmt or "ttl")
        return _format_rows(self, fmt or "table")


def format_many(results: dict[str, Result], fmt: str) -> str:
    """Several named results in one output: tables one after another, or one JSON object
    whose members are SPARQL 1.1 Query Results JSON documents."""
    if fmt == "json":
        return "{\n" + ",\n".join(f"{json.dumps(name)}: {result.format('json').rstrip()}" for name, result in results.items()) + "\n}\n"
    return "\n".join(result.format(fmt) for result in results.values())


def to_term(value):
    """A plain Python value as a pyoxigraph term (None stays None: an unbound cell)."""
    import pyoxigraph as ox

    if value is None or isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    return ox.Literal(str(value))


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
        if datatype.value == XSD + "boolean":
            return term.value in ("true", "1")
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
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and fullwidth characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, width: int) -> str:
    """The text cut to fit ``width`` columns, with an ellipsis where it was cut."""
    if display_width(text) <= width:
        return text
    used, kept = 1, []  # the ellipsis takes one column
    for char in text:
        used += display_width(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _printable(text: str) -> str:
    """A cell on one line: line breaks and other control characters become spaces."""
    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def _format_rows(result: Result, fmt: str) -> str:
    what = "an ASK answer takes" if result.kind == "boolean" else "rows take"
    if fmt in GRAPH_FORMATS:
        raise UsageError(f"--format {fmt} is for graphs; {what} one of {', '.join(ROW_FORMATS)}")
    if fmt not in ROW_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; {what} one of {', '.join(ROW_FORMATS)}")
    if result.kind == "boolean":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    variables = result.variables
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in row.items() if t is not None} for row in result.rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":  # SPARQL 1.1 CSV (RFC 4180): plain values, CRLF line ends
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in result.rows:
            writer.writerow(["" if row.get(v) is None else row[v].value for v in variables])
        return buffer.getvalue()
    if fmt == "tsv":  # SPARQL 1.1 TSV: terms in N-Triples syntax
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if row.get(v) is None else str(row[v]) for v in variables) for row in result.rows]
        return "\n".join(lines) + "\n"
    cells = [[display(row.get(v)) for v in variables] for row in result.rows]  # table or md
    text = format_table(variables, cells, markdown=fmt == "md")
    return text + (result.note + "\n" if result.note else "")


def format_table(columns: list[str], cells: list[list[str]], markdown: bool = False) -> str:
    """An aligned text table (wide characters count double, long cells cut), or a markdown table."""
    cells = [[_printable(c) for c in row] for row in cells]
    if markdown:
        def md(text: str) -> str:
            return text.replace("\\", "\\\\").replace("|", "\\|")

        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in cells]
        return "\n".join(lines) + "\n"
    cells = [[clip(c, CELL_WIDTH) for c in row] for row in cells]
    widths = [max([display_width(v)] + [display_width(row[i]) for row in cells]) for i, v in enumerate(columns)]
    lines = ["  ".join(_pad(v, w) for v, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _format_graph(result: Result, fmt: str) -> str:
    import pyoxigraph as ox

    formats = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
    if fmt not in formats:
        raise UsageError(f"a CONSTRUCT or DESCRIBE result takes --format {'|'.join(GRAPH_FORMATS)}, not {fmt}")
    prefixes = vocab.PREFIXES if fmt == "ttl" else None
    return ox.serialize(result.triples, format=formats[fmt], prefixes=prefixes).decode("utf-8")
