"""Namespaces of the graph, as plain strings so that importing them is free."""

FTZ = "https://w3id.org/ftzgraph/ontology#"
ID = "https://w3id.org/ftzgraph/id/"

# Prefix -> namespace, for compact IRIs in output and SPARQL prologues.
PREFIXES = {
    "ftz": FTZ,
    "zone": ID + "zone/",
    "province": ID + "province/",
    "subarea": ID + "subarea/",
    "body": ID + "body/",
    "doc": ID + "doc/",
    "measure": ID + "measure/",
    "agreement": ID + "agreement/",
    "provision": ID + "provision/",
    "concept": ID + "concept/",
    "source": ID + "source/",
    "ev": ID + "evidence/",
    "dis": ID + "disagreement/",
    "obs": ID + "observation/",
    "event": ID + "event/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "qb": "http://purl.org/linked-data/cube#",
    "sh": "http://www.w3.org/ns/shacl#",
}

# Statements that must always carry at least one ftz:Evidence.
CORE_PREDICATES = ("subAreaOf", "issuedBy", "leadBody", "pilotedIn", "alignsWith", "listedIn", "appliesTo",
                   "value", "eventDate", "involves", "proposedIn", "producedStandard")

SPARQL_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def compact(iri: str) -> str:
    """zone:shanghai for https://w3id.org/ftzgraph/id/zone/shanghai; the IRI if no prefix fits."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        # Oxigraph's SPARQL parser rejects a local name with two dots (cptpp-5.7.1.d): keep those as IRIs
        if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith(".") and local.count(".") < 2:
            return f"{best}:{local}"
    return f"<{iri}>"


def expand(name: str) -> str | None:
    """The IRI of a prefixed name such as zone:shanghai, or None if it is not one."""
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return None


def iri_term(iri: str) -> str:
    """An IRI as a SPARQL/N-Triples term; anything that is not a valid IRI is a UsageError."""
    import pyoxigraph as ox

    from ftzgraph.errors import UsageError

    try:
        return str(ox.NamedNode(iri))
    except ValueError as exc:
        raise UsageError(f"invalid IRI {iri!r}: {exc}") from exc


def literal(text: str) -> str:
    """A string as a SPARQL/N-Triples literal, escaped by pyoxigraph."""
    import pyoxigraph as ox

    return str(ox.Literal(text))


def date_zh(value: str) -> str:
    """2024-03-05 as a Chinese report prints it: 2024年3月5日 (or 2024年3月, 2024年)."""
    parts = value.split("-")
    return "".join(f"{int(p) if i else p}{unit}" for i, (p, unit) in enumerate(zip(parts, "年月日")))
