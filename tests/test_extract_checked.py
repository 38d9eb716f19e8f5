"""The hand checks behind the evaluation's checked precision (data/evaluation/extract-checked.tsv)
must stay anchored in the reports: each names text that is printed where it says, and a mention
judged "named" of an entity the graph has is printed under one of that entity's names."""

import pytest

from conftest import ROOT
from ftzgraph import vocab
from ftzgraph.extract.evaluate import CHECKED_FILE, Score, read_checked
from ftzgraph.extract.gazetteer import Gazetteer, squash

CHECKS = read_checked(ROOT / "data" / CHECKED_FILE)


def report_lines(report: str) -> list[str]:
    [path] = (ROOT / "data/sources").glob(f"{report}_*.txt")
    return path.read_text(encoding="utf-8").split("\n")


def test_there_are_checks_and_each_is_judged_once():
    assert len(CHECKS) >= 40
    keys = [(c.report, c.kind, c.key) for c in CHECKS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: f"{c.report}-{c.kind}-{c.key}")
def test_the_checked_text_is_printed_on_its_line(check):
    lines = report_lines(check.report)
    around = squash("".join(lines[check.line - 1: check.line + 3]))  # a name may wrap over blank lines
    assert squash(check.text) in around


def test_a_named_known_entity_is_printed_under_one_of_its_names(graph):
    gazetteer = Gazetteer.from_graph(graph)
    checked = 0
    for check in CHECKS:
        iri = vocab.expand(check.key) if check.kind != "issuedBy" else None
        entity = gazetteer.entities.get(iri) if iri else None
        if check.verdict == "named" and entity is not None and entity.kind != "document":
            assert any(label in squash(check.text) for label in entity.labels), check
            checked += 1
    assert checked >= 10


def test_checked_precision_counts_only_extras_judged_named():
    zone = vocab.PREFIXES["zone"]
    a, b, x, y, z = (zone + name for name in "abxyz")
    score = Score()
    score.add(gold={a, b}, predicted={a, x, y, z}, checks={"zone:x": "named", "zone:y": "wrong"})
    assert (score.matched, score.named) == (1, 1)
    assert score.precision == 0.25 and score.checked_precision == 0.5
    assert [key for key, _, _ in score.unchecked] == ["zone:z"]
