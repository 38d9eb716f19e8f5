"""Relations a sentence states between its mentions: issuedBy, issuedOn, appliesTo, pilotedIn.

Only patterns that say the relation outright are used: "商务部、海关总署联合印发《…》" (issuedBy,
and the sentence's date as issuedOn), "《商务部关于…的通知》" (the title names its issuer),
"《中国（浙江）自由贸易试验区…方案》" (the title names the zone it applies to) and "在上海自贸试验区
率先开展…" (pilotedIn).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ftzgraph.extract.mentions import PARAGRAPH, Document, Mention

_SENTENCE_END = re.compile(rf"[。；！？{PARAGRAPH}]")
# 批复 counts only before a document with its 文号: the number is the reply's, which the approver issued.
_ISSUE = re.compile(r"(?:关于)?(?:联合|共同|正式|制定)?(?:印发|发布|出台|颁布|公布|下发|批复)(?:了|实施)?")
# What may stand between two issuers, or between the last issuer and the verb.
_JOIN = re.compile(r"^(?:[、，,和与及]|会同|联合|共同|等\d*个?部门|等)*$")
_TITLE_ISSUER = re.compile(r"^(?P<issuers>.+?)关于")
# Between two titles the verb issues together: 《A》（2024年版）和《B》, 《A》、《B》.
_TITLE_AND = re.compile(r"》?(?:（[^（）《》]{0,24}）)*(?:[、和与及]|以及)《")
_PILOT = re.compile(r"(?:率先|首次|首创|先行先试)")
_PILOT_TEXT = re.compile(r"(?:开展|实施|推出|探索|建立|推行|试点)?(?P<what>[^，。；！？、《》" + PARAGRAPH + r"]{4,40})")


@dataclass
class Relation:
    predicate: str  # issuedBy, issuedOn, appliesTo, pilotedIn
    subject: Mention | None  # None for pilotedIn's new measure, which `label` names
    object: Mention
    start: int  # the squashed span the evidence quotes
    end: int
    label: str = ""


def find_relations(document: Document, mentions: list[Mention]) -> list[Relation]:
    relations: list[Relation] = []
    text = document.squashed
    sentence_start = 0
    by_sentence: list[tuple[int, int]] = []
    for match in _SENTENCE_END.finditer(text + PARAGRAPH):
        by_sentence.append((sentence_start, match.start()))
        sentence_start = match.end()
    index = 0
    previous_date: Mention | None = None
    for start, end in by_sentence:
        inside = []
        while index < len(mentions) and mentions[index].start < end:
            if mentions[index].start >= start:
                inside.append(mentions[index])
            index += 1
        relations += _issued(text, start, end, inside, previous_date)
        relations += _titles_name(inside)
        relations += _piloted(text, end, inside)
        dates = [m for m in inside if m.kind == "date"]
        # A chronicle prints the date alone on the line before the entry it dates.
        previous_date = dates[0] if dates and len(text[start:end].replace("•", "")) <= len(dates[0].text) + 1 else None
    return relations


def _issued(text: str, start: int, end: int, inside: list[Mention], heading_date: Mention | None) -> list[Relation]:
    out = []
    documents = [m for m in inside if m.kind == "document"]
    for verb in _ISSUE.finditer(text, start, end):
        issuers = _issuers_before(text, verb.start(), inside, start)
        after = [d for d in documents if verb.end() <= d.start <= verb.end() + 4]
        if not issuers or not after:
            continue
        first = issuers[0].start
        dates = [m for m in inside if m.kind == "date" and m.end <= first]
        date = dates[-1] if dates else heading_date
        for document in _issued_together(text, after[0], documents):
            number = next((d for d in documents if document.end <= d.start <= document.end + 3 and d.number), None)
            if verb.group().endswith("批复") and not (document.number or number):
                break
            span_end = min(max(document.end + 1, number.end + 1 if number else 0), end)
            out += [Relation("issuedBy", document, issuer, first, span_end) for issuer in issuers]
            if date is not None and date.datatype.endswith(("date", "gYearMonth")):
                out.append(Relation("issuedOn", document, date, min(date.start, first), span_end))
    return out


def _issued_together(text: str, document: Mention, documents: list[Mention]) -> list[Mention]:
    """The title after the verb and the titles joined to it: 发布《A》（2024年版）和《B》."""
    together = [document]
    for following in (d for d in documents if d.start > document.end and d.text != d.number):
        if not _TITLE_AND.fullmatch(text, together[-1].end, following.start):
            break
        together.append(following)
    return together


def _issuers_before(text: str, position: int, inside: list[Mention], floor: int) -> list[Mention]:
    """The bodies that stand right before a verb, joined by 、 和 与 会同 等N部门."""
    issuers: list[Mention] = []
    bodies = [m for m in inside if m.kind == "body" and m.end <= position]
    for body in reversed(bodies):
        if body.end < floor or not _JOIN.match(text[body.end:position]):
            break
        issuers.insert(0, body)
        position = body.start
    return issuers


def _titles_name(inside: list[Mention]) -> list[Relation]:
    """《商务部关于…》 names its issuer; 《中国（浙江）自由贸易试验区…方案》 the zone it applies to."""
    out = []
    for document in (m for m in inside if m.kind == "document" and m.text != m.number):
        within = [m for m in inside if document.start <= m.start and m.end <= document.end and m is not document]
        match = _TITLE_ISSUER.match(document.text)
        if match:
            head = [m for m in within if m.kind == "body" and m.end <= document.start + match.end("issuers")]
            covered = "".join(m.text for m in head)
            rest = re.sub(r"[、和与及\s]|等\d*个?部门", "", match.group("issuers"))
            if head and rest == covered:
                out += [Relation("issuedBy", document, body, document.start, document.end) for body in head]
        for place in (m for m in within if m.kind in ("zone", "subarea")):
            out.append(Relation("appliesTo", document, place, document.start, document.end))
    return out


def _piloted(text: str, end: int, inside: list[Mention]) -> list[Relation]:
    """在<zone>率先/试点<what>: a new measure piloted in the zone."""
    out = []
    titles = [m for m in inside if m.kind == "document"]
    for place in (m for m in inside if m.kind in ("zone", "subarea")):
        if text[place.start - 1:place.start] != "在" or any(t.start <= place.start < t.end for t in titles):
            continue
        lead = _PILOT.match(text, place.end, end)
        if not lead:
            continue
        what = _PILOT_TEXT.match(text, lead.end(), end)
        if what:
            out.append(Relation("pilotedIn", None, place, place.start - 1, what.end(), label=what.group("what")))
    return out
