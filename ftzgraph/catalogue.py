"""The catalogue of named, documented, parameterised SPARQL queries (ftzgraph/queries/*.rq).

Each .rq file opens with a header of comments::

    # title: Sub-areas of a zone
    # description: The sub-areas (片区) of a zone with their stated function.
    # param: zone iri = zone:shanghai | the zone: IRI, prefixed name or label
    # param: lang lang = en | label language
    # param: year int = * | optional: "*" leaves the parameter unbound
    # example: ftzgraph query zone-subareas --param zone=zone:guangdong

A parameter is bound by replacing its ``VALUES ?name { UNDEF }`` block with the
serialized RDF term, so the file runs unchanged in any SPARQL tool (where the
parameter is simply unbound) and a value can never change the query's shape.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ftzgraph import paths, vocab
from ftzgraph.errors import UsageError
from ftzgraph.names import as_iri

PARAM_KINDS = ("iri", "text", "int", "lang")
ANY = "*"  # the default of an optional parameter: leave it unbound
_HEADER = re.compile(r"^#\s*(title|description|param|example):\s?(.*)$")
_PARAM = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)\s+(?P<kind>\w+)(?:\s*=\s*(?P<default>[^|]*?))?\s*\|\s*(?P<doc>.*)$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")


@dataclass
class Param:
    name: str
    kind: str
    default: str | None
    doc: str

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass
class NamedQuery:
    name: str
    title: str
    description: str
    params: list[Param]
    examples: list[str]
    text: str
    path: Path | None = None
    _params_by_name: dict[str, Param] = field(default_factory=dict, repr=False)

    def help_text(self) -> str:
        """The query in full, as ``ftzgraph queries NAME`` shows it."""
        lines = [f"{self.name}: {self.title}", "", self.description, ""]
        for param in self.params:
            default = "required" if param.required else "optional" if param.default == ANY else f"default {param.default}"
            lines.append(f"  --param {param.name}=…  ({param.kind}, {default}) {param.doc}")
        lines += [f"\n  $ {example}" for example in self.examples]
        return "\n".join(lines) + "\n\n" + self.text

    def example_params(self) -> dict[str, str]:
        """The parameters of the first example, e.g. {"zone": "zone:guangdong"}."""
        import shlex

        words = shlex.split(self.examples[0]) if self.examples else []
        pairs = [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("--param", "-p")]
        return dict(pair.split("=", 1) for pair in pairs)

    def param(self, name: str) -> Param | None:
        if not self._params_by_name:
            self._params_by_name = {p.name: p for p in self.params}
        return self._params_by_name.get(name)

    def bind(self, values: dict[str, str], resolve_iri=None) -> str:
        """The query text with every parameter bound; values are raw strings.

        ``resolve_iri`` turns a label into an IRI for iri parameters; without it
        only IRIs and prefixed names are accepted.
        """
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            known = ", ".join(p.name for p in self.params) or "none"
            raise UsageError(f"unknown parameter {unknown[0]!r} for query {self.name} (parameters: {known})")
        text = self.text
        for param in self.params:
            raw = values.get(param.name, param.default)
            if raw is None:
                raise UsageError(f"query {self.name} needs --param {param.name}=… ({param.doc})")
            if raw == ANY:  # an optional parameter left out: its VALUES block stays UNDEF
                continue
            term = to_term(param, raw, resolve_iri)
            if param.kind == "lang":
                # A language tag is written into the text wherever ?lang stands: engines such as
                # Virtuoso do not see an outer VALUES binding inside a FILTER of an OPTIONAL.
                # Safe: to_term accepts only [a-z]{2,3}(-[A-Za-z0-9]+)* here.
                text = _marker(param.name).sub("", text)
                text = re.sub(r"[?$]" + re.escape(param.name) + r"\b", lambda _m, t=term: t, text)
            else:
                text = _marker(param.name).sub(lambda _m, t=term: f"VALUES ?{param.name} {{ {t} }}", text)
        return text


def _marker(name: str) -> re.Pattern:
    return re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{\s*UNDEF\s*\}")


def to_term(param: Param, raw: str, resolve_iri=None) -> str:
    """The N-Triples serialization of a parameter value, validated by its kind."""
    import pyoxigraph as ox

    raw = raw.strip() if param.kind != "text" else raw
    if param.kind == "iri":
        iri = as_iri(raw)
        if iri is None:
            if resolve_iri is None:
                raise UsageError(f"parameter {param.name}: {raw!r} is not an IRI or prefixed name")
            iri = resolve_iri(raw)
        try:
            return vocab.iri_term(iri)
        except UsageError as exc:
            raise UsageError(f"parameter {param.name}: {exc}") from exc
    if param.kind == "int":
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise UsageError(f"parameter {param.name}: {raw!r} is not a whole number")
        from ftzgraph.results import to_term as python_term

        return str(python_term(int(raw)))
    if param.kind == "lang":
        if not _LANG.fullmatch(raw):
            raise UsageError(f"parameter {param.name}: {raw!r} is not a language tag such as zh or en")
        return str(ox.Literal(raw.lower()))
    return str(ox.Literal(raw))


def parse(text: str, name: str, path: Path | None = None) -> NamedQuery:
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "example": []}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            last = match.group(1)
            fields[last].append(match.group(2).strip())
        elif last == "description" and line[1:].strip():
            fields["description"][-1] += " " + line[1:].strip()
    params = []
    for spec in fields["param"]:
        match = _PARAM.match(spec)
        if not match or match.group("kind") not in PARAM_KINDS:
            raise ValueError(f"{name}: bad param line {spec!r}")
        default = match.group("default")
        params.append(Param(match.group("name"), match.group("kind"), default or None, match.group("doc")))
    if not fields["title"]:
        raise ValueError(f"{name}: the header has no title")
    query = NamedQuery(
        name=name,
        title=fields["title"][0],
        description=" ".join(fields["description"]),
        params=params,
        examples=fields["example"],
        text=text,
        path=path,
    )
    for param in params:
        if not _marker(param.name).search(text):
            raise ValueError(f"{name}: parameter {param.name} has no 'VALUES ?{param.name} {{ UNDEF }}' block")
    return query


_CATALOGUE: dict[str, NamedQuery] | None = None


def catalogue() -> dict[str, NamedQuery]:
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = {}
        for path in sorted(paths.queries_dir().glob("*.rq")):
            _CATALOGUE[path.stem] = parse(path.read_text(encoding="utf-8"), path.stem, path)
    return _CATALOGUE


def listing():
    """The catalogue as rows: name, title, parameters (``lang`` left out: every query has it)."""
    from ftzgraph.results import Result

    return Result.from_dicts([
        {"name": q.name, "title": q.title, "parameters": " ".join(p.name for p in q.params if p.name != "lang")}
        for q in catalogue().values()
    ])


def get(name: str) -> NamedQuery:
    queries = catalogue()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `ftzgraph queries` lists them"
    raise UsageError(f"unknown named query {name!r}{hint}")


def looks_like_name(text: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9-]*", text.strip()))
