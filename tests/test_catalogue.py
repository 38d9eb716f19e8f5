"""The named query catalogue: documented, parseable, safely parameterised."""

import re

import pyoxigraph as ox
import pytest

from ftzgraph import catalogue
from ftzgraph.errors import UsageError

QUERIES = catalogue.catalogue()


def test_catalogue_has_at_least_twenty_documented_queries():
    assert len(QUERIES) >= 20
    for q in QUERIES.values():
        assert q.title and q.description, q.name
        assert q.examples and all(e.startswith(f"ftzgraph query {q.name}") for e in q.examples), q.name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_query_file_runs_unchanged_in_a_plain_sparql_engine(name):
    # No prefixes supplied: each .rq must declare its own, as YASGUI or curl would need.
    ox.Store().query(QUERIES[name].text)


def test_binding_replaces_only_the_values_block():
    q = catalogue.get("entity-search")
    hostile = '"} } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    bound = q.bind({"text": hostile})
    block = re.search(r"VALUES \?text \{ (.*) \}\n", bound).group(1)
    # Only the block differs from the same query bound with a plain value.
    assert bound.replace(block, '"plain"', 1) == q.bind({"text": "plain"})
    # The block is one literal whose value is exactly the hostile text.
    store = _store_with_labels(hostile)
    rows = list(store.query(bound))
    assert len(rows) == 1 and rows[0]["matched"].value == hostile


def test_braces_and_quotes_in_a_value_do_not_change_results():
    q = catalogue.get("entity-search")
    store = _store_with_labels("alpha", 'say "hi" {there}')
    assert [r["entity"].value for r in store.query(q.bind({"text": "{there}"}))] == ["http://x/b"]
    assert list(store.query(q.bind({"text": '"} UNION { ?entity ?p ?matched } #'}))) == []


def _store_with_labels(*labels):
    store = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for i, text in enumerate(labels):
        node = ox.NamedNode(f"http://x/{chr(ord('a') + i)}")
        store.add(ox.Quad(node, label, ox.Literal(text)))
        store.add(ox.Quad(node, rdf_type, ox.NamedNode("https://w3id.org/ftzgraph/ontology#Thing")))
    return store


def test_unknown_and_missing_parameters_are_usage_errors():
    with pytest.raises(UsageError, match="unknown parameter 'zonee'"):
        catalogue.get("zone-subareas").bind({"zonee": "zone:shanghai"})
    with pytest.raises(UsageError, match="needs --param text"):
        catalogue.get("entity-search").bind({})


def test_parameter_kinds_are_validated():
    q = catalogue.get("document-timeline")
    with pytest.raises(UsageError, match="not a whole number"):
        q.bind({"from": "2019 } ?x"})
    with pytest.raises(UsageError, match="not a language tag"):
        q.bind({"lang": 'en" }'})
    with pytest.raises(UsageError, match="invalid IRI"):
        catalogue.get("zone-subareas").bind({"zone": "<http://x/a b>"})


def test_unknown_query_suggests_close_names():
    with pytest.raises(UsageError, match="did you mean zone-subareas"):
        catalogue.get("zone-subarea")


def test_header_without_values_block_is_rejected():
    text = "# title: t\n# param: x iri | an iri\nSELECT * WHERE { ?s ?p ?x }\n"
    with pytest.raises(ValueError, match="has no 'VALUES"):
        catalogue.parse(text, "broken")
