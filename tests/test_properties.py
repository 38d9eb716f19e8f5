"""Properties that must hold for any input: parameter binding, table layout, prefixed names."""

import pyoxigraph as ox
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ftzgraph import catalogue, vocab
from ftzgraph.catalogue import ANY
from ftzgraph.results import CELL_WIDTH, Result, clip, display_width, format_table

ECHO = catalogue.parse(
    "# title: echo\n# param: value text | any text\nSELECT ?value WHERE { VALUES ?value { UNDEF } }\n", "echo"
)
ECHO_INT = catalogue.parse(
    "# title: echo\n# param: n int | a number\nSELECT ?n WHERE { VALUES ?n { UNDEF } }\n", "echo-int"
)
STORE = ox.Store()
# Any Unicode a person might paste, surrogates excluded (they cannot be UTF-8 at all).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_a_text_parameter_comes_back_from_the_engine_unchanged(raw):
    assume(raw != ANY)  # "*" is the documented way to leave an optional parameter unbound
    text = ECHO.bind({"value": raw})
    rows = list(STORE.query(text))
    assert len(rows) == 1 and rows[0]["value"].value == raw
    # and the query keeps its shape: one VALUES block, no text outside the literal
    assert text.count("VALUES") == 1 and text.endswith("} }\n")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**30, max_value=10**30))
def test_an_int_parameter_round_trips(number):
    rows = list(STORE.query(ECHO_INT.bind({"n": str(number)})))
    assert int(rows[0]["n"].value) == number


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=2, max_value=120))
def test_clip_fits_the_width_and_keeps_a_prefix(text, width):
    cut = clip(text, width)
    assert display_width(cut) <= max(width, display_width(text) if cut == text else width)
    if cut != text:
        assert cut.endswith("…") and text.startswith(cut[:-1]) and display_width(cut) <= width


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(TEXT, min_size=3, max_size=3), max_size=8), st.lists(st.from_regex(r"[a-z]{1,12}", fullmatch=True), min_size=3, max_size=3, unique=True))
def test_table_columns_line_up_for_any_unicode(rows, columns):
    lines = format_table(columns, rows).rstrip("\n").split("\n")
    assert lines[-1] == f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    header, rule, body = lines[0], lines[1], lines[2:-1]
    widths = [len(dashes) for dashes in rule.split("  ")]
    assert len(body) == len(rows) and len(widths) == 3
    for line in [header, *body]:
        assert "\n" not in line and display_width(line) <= sum(widths) + 2 * (len(widths) - 1)
    assert all(w <= max(CELL_WIDTH, len(c)) for w, c in zip(widths, columns))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(TEXT, min_size=2, max_size=2), max_size=6))
def test_markdown_tables_keep_one_line_per_row(rows):
    lines = format_table(["a", "b"], rows, markdown=True).rstrip("\n").split("\n")
    assert len(lines) == len(rows) + 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({"name": TEXT, "n": st.integers(), "ok": st.booleans()}), max_size=5))
def test_plain_rows_survive_the_formatter(rows):
    result = Result.from_dicts(rows, ["name", "n", "ok"])
    assert result.dicts() == rows
    csv_lines = result.format("csv").split("\r\n")
    assert csv_lines[0] == "name,n,ok"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(vocab.PREFIXES)), st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,30}", fullmatch=True))
def test_compact_and_expand_are_inverse(prefix, local):
    iri = vocab.PREFIXES[prefix] + local
    short = vocab.compact(iri)
    if short.startswith("<"):
        assert short == f"<{iri}>"
    else:
        assert vocab.expand(short) == iri


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_compact_of_any_iri_names_that_iri(tail):
    iri = "https://w3id.org/ftzgraph/id/zone/" + tail
    short = vocab.compact(iri)
    assert short == f"<{iri}>" or vocab.expand(short) == iri
