"""Namespaces and the core predicates that must carry evidence."""

from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, Namespace

FTZ = Namespace("https://w3id.org/ftzgraph/ontology#")
ID = "https://w3id.org/ftzgraph/id/"

# Prefix -> namespace, used when writing Turtle and in SPARQL prologues.
PREFIXES = {
    "ftz": str(FTZ),
    "zone": ID + "zone/",
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
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
}

CORE_PREDICATES = (
    FTZ.subAreaOf,
    FTZ.issuedBy,
    FTZ.leadBody,
    FTZ.pilotedIn,
    FTZ.alignsWith,
    FTZ.listedIn,
    FTZ.appliesTo,
)

__all__ = ["DCTERMS", "FTZ", "ID", "ORG", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SKOS", "XSD", "CORE_PREDICATES"]
