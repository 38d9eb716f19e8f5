"""Mentions of zones, sub-areas, bodies, documents, agreements, provisions and dates.

All matching runs on the document with its whitespace removed, because PDF extraction
breaks names across lines and puts spaces inside them ("商务部等 18 部门", "1 号"); every
position maps back to its line, and quotes are cut from the text as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ftzgraph import vocab
from ftzgraph.extract.gazetteer import FOLD, Gazetteer, squash

PARAGRAPH = "\u2029"  # stands for a blank line in the squashed text: no name or sentence runs across it
_CJK = "\u4e00-\u9fff"
# 文号: 国函〔2024〕156号, 中（沪）自贸保管〔2024〕3号; and announcements/orders: 海关总署公告2024年第32号
_NUMBER = re.compile(rf"(?P<code>[{_CJK}（）()]{{1,14}}?)[〔\[［【](?P<year>(?:19|20)\d\d)[〕\]］】]第?(?P<num>\d{{1,5}})号")
_NUMBER_YEARLY = re.compile(rf"(?P<code>[{_CJK}]{{2,16}}?(?:公告|令))(?P<year>(?:19|20)\d\d)年第(?P<num>\d{{1,5}})号")
# Words that end a run of characters before a 文号 code but are not part of it.
_NUMBER_LEAD = re.compile(r"^.*(?:印发|发布|出台|颁布|公布|下发|批复|的|和|及|与|即|见|号|文|通知|意见|方案|决定|办法|规定|》)")
_DATE = re.compile(r"(?P<y>(?:19|20)\d\d)年(?:(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>3[01]|[12]\d|0?[1-9])日)?)?")
# Kinds of text a title names when it is a policy document (the graph's titles end like this).
_DOCUMENT_ENDINGS = re.compile(
    r"(通知|意见|方案|条例|规定|办法|措施|决定|规范|批复|公告|纲要|要求|指南|指引|倡议|函|法|细则|目录|政策|报告|条件|通告|"
    r"规划|清单|计划|决议|复函|答复|指导目录|工作要点|实施方案)$")
_EDITION = re.compile(r"[（(][^（()）]*(?:年版|修订|试行|暂行)[^（()）]*[)）]$")
# New bodies recognised by their form.  The name must stand between boundaries (see _BOUNDARY_*).
_BODY_FORM = re.compile(
    rf"(?:中共中央[{_CJK}]{{0,10}}?(?:办公厅|部|委员会)"
    rf"|国务院[{_CJK}]{{1,10}}?(?:办公室|委员会)"
    rf"|[{_CJK}]{{2,6}}?(?:省|市|自治区)人民政府(?:办公厅)?"
    rf"|(?:国家|中国)?[{_CJK}]{{1,8}}?(?:部|总局|局|委员会|总署|办公室|委))")
_SUBAREA_FORM = re.compile(rf"[{_CJK}]{{2,8}}?片区")
_BODY_STOP = re.compile(r"[的在了是对为将由等与和及或并把被从向于以其各该本此每有无个位内外上下中部门]")
# Words that end like a body but are not one (布局 "layout", 格局, 总部 "headquarters" …).
_NOT_BODY = re.compile(r"(布局|格局|大局|全局|开局|新局|变局|结局|当局|总部|本部|全部|内部|外部|局部|干部|俱乐部|指挥部|司令部)$")
_BOUNDARY_BEFORE = set("，。；：、（）《》“”‘’\"'()[]〔〕【】·•　 \t" + PARAGRAPH) | set("0123456789")
_BOUNDARY_AFTER = re.compile(r"(?:[，。；：、（）《》“”()\[\]·]|关于|印发|发布|联合|会同|牵头|负责|等|和|与|及|按职责|$|" + PARAGRAPH + ")")


@dataclass
class Mention:
    kind: str  # zone, subarea, body, document, agreement, provision, date
    text: str  # squashed surface text
    start: int  # offsets in the squashed document
    end: int
    iri: str | None  # the entity's IRI: existing, or proposed for a new one
    known: bool = False  # the graph has it already
    label: str = ""  # the zh label proposed for a new entity
    number: str | None = None  # a document's 文号
    value: str | None = None  # a date's xsd lexical form
    datatype: str | None = None  # xsd:date, xsd:gYearMonth or xsd:gYear


@dataclass
class Document:
    """A source text, squashed for matching, with each character's line and printed offset."""

    text: str
    lines: list[str] = field(init=False)
    squashed: str = field(init=False)
    line_of: list[int] = field(init=False)
    offset_of: list[int] = field(init=False)

    def __post_init__(self):
        self.lines = self.text.split("\n")
        chars, line_of, offset_of = [], [], []
        offset = 0
        for number, line in enumerate(self.lines, start=1):
            if not line.strip():
                chars.append(PARAGRAPH)
                line_of.append(number)
                offset_of.append(offset)
            for i, ch in enumerate(line):
                ch = ch.translate(FOLD)
                if ch and not ch.isspace():
                    chars.append(ch)
                    line_of.append(number)
                    offset_of.append(offset + i)
            offset += len(line) + 1
        self.squashed = "".join(chars)
        self.line_of = line_of
        self.offset_of = offset_of

    def lines_of(self, start: int, end: int) -> tuple[int, int]:
        """The 1-based line range of a squashed span."""
        return self.line_of[start], self.line_of[max(start, end - 1)]

    def quote(self, start: int, end: int) -> str:
        """The span as printed, line breaks dropped: whitespace does not count when quotes are checked."""
        end = max(start + 1, end)
        raw = self.text[self.offset_of[start]: self.offset_of[end - 1] + 1]
        return " ".join(part.strip() for part in raw.split("\n") if part.strip())


def find_mentions(document: Document, gazetteer: Gazetteer) -> list[Mention]:
    """Every mention, in text order; where two overlap, the known name and then the longer wins."""
    text = document.squashed
    found = _known_names(text, gazetteer)
    found += [m for m in _documents(text, gazetteer) if not _overlaps_known(m, found)]
    taken = _coverage(found, len(text))
    found += [m for m in _new_bodies(text, gazetteer) if not any(taken[m.start:m.end])]
    found += [m for m in _new_subareas(text, gazetteer) if not any(taken[m.start:m.end])]
    found += [m for m in _zone_lists(text, gazetteer) if not any(taken[m.start:m.end])]
    found += _provisions(text, gazetteer)
    found += _dates(text)
    found.sort(key=lambda m: (m.start, -m.end))
    return found


def _coverage(mentions: list[Mention], size: int) -> bytearray:
    taken = bytearray(size)
    for m in mentions:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    return taken


def _overlaps_known(mention: Mention, found: list[Mention]) -> bool:
    """A title or 文号 that contains a known document's name is that document; one inside is not."""
    return any(f.kind == "document" and f.start <= mention.start and mention.end <= f.end for f in found)


def _known_names(text: str, gazetteer: Gazetteer) -> list[Mention]:
    found = []
    for match in gazetteer.pattern.finditer(text):
        label = match.group()
        if label.isascii() and _ascii_glued(text, match.start(), match.end()):
            continue
        entity = gazetteer.entities[gazetteer.by_label[label]]
        found.append(Mention(entity.kind, label, match.start(), match.end(), entity.iri, known=True, label=entity.pref))
    return found


def _ascii_glued(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isascii() and before.isalnum() or after.isascii() and after.isalpha()


def _documents(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Documents by 文号 and by 《title》: a known one by its number or title, a new one with a proposed IRI."""
    found = []
    for pattern in (_NUMBER, _NUMBER_YEARLY):
        for match in pattern.finditer(text):
            code = _issuer_code(match.group("code"))
            if not code:
                continue
            start = match.start("code") + match.group("code").index(code)
            number = text[start:match.end()]
            known = gazetteer.lookup(number, "document")
            iri = known.iri if known else document_iri(code, match.group("year"), match.group("num"))
            found.append(Mention("document", number, start, match.end(), iri, known=bool(known),
                                 label=known.pref if known else "", number=number))
    numbers = {m.start: m for m in found}
    for start, end in _titles(text):
        title = text[start + 1:end - 1]
        known = gazetteer.lookup(title, "document")
        if known is None and (len(title) < 6 or not _DOCUMENT_ENDINGS.search(_EDITION.sub("", title))):
            continue  # 《…报告》 of a research institute, a journal, a treaty: not a policy document
        number = _number_after(text, end, numbers)
        if known is None and number is not None and number.known:
            known = gazetteer.entities[number.iri]
        if known is not None:
            found.append(Mention("document", title, start + 1, end - 1, known.iri, known=True, label=known.pref,
                                 number=number.number if number else None))
        else:
            iri = number.iri if number else document_iri_from_title(title)
            found.append(Mention("document", title, start + 1, end - 1, iri, label=title,
                                 number=number.number if number else None))
    return found


def _issuer_code(run: str) -> str:
    """The issuer code at the end of a run of characters: 通知（国办发 → 国办发, 中（沪）自贸保管 stays."""
    run = _NUMBER_LEAD.sub("", run)
    cut = max(run.rfind("（"), run.rfind("）") if not re.search(r"（.）", run) else -1)
    if cut >= 0 and not re.match(r"^.?（.）", run[max(0, cut - 1):]):
        run = run[cut + 1:]
    return run.strip("（）")


def _titles(text: str) -> list[tuple[int, int]]:
    """Spans of outermost 《…》, brackets included; an unclosed one ends at the paragraph."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0 and i - start > 2:
                spans.append((start, i + 1))
        elif ch == PARAGRAPH:
            depth = 0
    return spans


def _number_after(text: str, end: int, numbers: dict[int, Mention]) -> Mention | None:
    """The 文号 printed right after a title: 《…》（国函〔2024〕156号） or 《…》 国函〔2024〕156号."""
    for gap in range(0, 3):
        mention = numbers.get(end + gap)
        if mention is not None and set(text[end:end + gap]) <= set("（(，,"):
            return mention
    return None


def _new_bodies(text: str, gazetteer: Gazetteer) -> list[Mention]:
    found = []
    for match in _BODY_FORM.finditer(text):
        name, start, end = match.group(), match.start(), match.end()
        # The regex starts as early as it can; move the start to the last boundary inside the match.
        for i in range(end - 2, start, -1):
            if text[i - 1] in _BOUNDARY_BEFORE:
                start = i
                break
        name = text[start:end]
        if start and text[start - 1] not in _BOUNDARY_BEFORE:
            continue
        if len(name) < 3 or _BODY_STOP.search(name[:-1]) or _NOT_BODY.search(name) or not _BOUNDARY_AFTER.match(text, end):
            continue
        known = gazetteer.lookup(name, "body")
        if known is not None:
            found.append(Mention("body", name, start, end, known.iri, known=True, label=known.pref))
        else:
            found.append(Mention("body", name, start, end, vocab.PREFIXES["body"] + slug(name), label=name))
    return found


def _new_subareas(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Sub-areas by their form: 天津机场片区, 川南临港片区 (片区 after a name that starts at a boundary)."""
    found = []
    for match in _SUBAREA_FORM.finditer(text):
        start = match.start()
        for i in range(match.end() - 3, start, -1):
            if text[i - 1] in _BOUNDARY_BEFORE:
                start = i
                break
        name = text[start:match.end()]
        if (start and text[start - 1] not in _BOUNDARY_BEFORE) or _BODY_STOP.search(name[:-2]) or len(name) < 4:
            continue
        known = gazetteer.lookup(name, "subarea")
        found.append(Mention("subarea", name, start, match.end(), known.iri if known else
                             vocab.PREFIXES["subarea"] + slug(name[:-2]), known=bool(known), label=known.pref if known else name))
    return found


def _zone_lists(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Zones by their province's short name in a list: 上海、广东、天津、福建等自贸试验区; 海南自贸试验区."""
    shorts = {}
    for entity in gazetteer.entities.values():
        short = re.match(r"中国（(.+?)）自由贸易试验区$", entity.pref) if entity.kind == "zone" else None
        if short:
            shorts[short.group(1)] = entity
    if not shorts:
        return []
    name = "|".join(sorted(map(re.escape, shorts), key=len, reverse=True))
    pattern = re.compile(rf"(?:(?:{name})(?:、|和|与|及))*(?:{name})(?:等\d*个?)?(?=自贸试验区|自由贸易试验区|自贸区)")
    found = []
    for match in pattern.finditer(text):
        for part in re.finditer(name, match.group()):
            entity = shorts[part.group()]
            found.append(Mention("zone", part.group(), match.start() + part.start(), match.start() + part.end(),
                                 entity.iri, known=True, label=entity.pref))
    return found


def _provisions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Articles and chapters of a known agreement: CPTPP第5.3条, RCEP第十章 (Arabic numbers only), DEPA模块6."""
    from ftzgraph.names import candidate_iris

    acronyms = sorted({label for e in gazetteer.entities.values() if e.kind == "agreement"
                       for label in e.labels if label.isascii()}, key=len, reverse=True)
    if not acronyms:
        return []
    pattern = re.compile(rf"(?P<agr>{'|'.join(map(re.escape, acronyms))})(?:协定)?第(?P<num>\d+(?:\.\d+)*)(?P<unit>条|章)"
                         rf"|(?P<agr2>DEPA)模块(?P<mod>\d+)")
    found = []
    for match in pattern.finditer(text):
        if match.group("agr2"):
            target = f"DEPA module {match.group('mod')}"
        elif match.group("unit") == "章":
            target = f"{match.group('agr')} ch{match.group('num')}"
        else:
            target = f"{match.group('agr')} {match.group('num')}"
        iri = candidate_iris(target)[0]
        entity = gazetteer.entities.get(iri)
        found.append(Mention("provision", match.group(), match.start(), match.end(), iri, known=entity is not None,
                             label=entity.pref if entity else match.group()))
    return found


def _dates(text: str) -> list[Mention]:
    found = []
    for match in _DATE.finditer(text):
        y, m, d = match.group("y"), match.group("m"), match.group("d")
        if d:
            value, datatype = f"{y}-{int(m):02d}-{int(d):02d}", "date"
        elif m:
            value, datatype = f"{y}-{int(m):02d}", "gYearMonth"
        else:
            value, datatype = y, "gYear"
        found.append(Mention("date", match.group(), match.start(), match.end(), None, value=value,
                             datatype=vocab.PREFIXES["xsd"] + datatype))
    return found


def document_iri(code: str, year: str, num: str) -> str:
    """The project's rule: toneless pinyin of the issuer code, year, number (国函〔2024〕156号 → doc:guohan-2024-156)."""
    return vocab.PREFIXES["doc"] + f"{slug(code)}-{year}-{int(num)}"


def document_iri_from_title(title: str) -> str:
    """A document without a 文号: its year if the title has one, then the pinyin of a short title."""
    year = re.search(r"(?:19|20)\d\d", title)
    core = re.sub(r"[（(].*?[)）]", "", title)
    core = re.sub(r"^.*?关于", "", core.replace(year.group() if year else "\0", ""))
    return vocab.PREFIXES["doc"] + "-".join(filter(None, [year.group() if year else "", slug(core)[:60].strip("-")]))


def slug(text: str) -> str:
    """Toneless pinyin, ASCII letters and digits joined: 商自贸函 → shangzimaohan."""
    from pypinyin import lazy_pinyin

    spelled = "".join(lazy_pinyin(squash(text)))
    return re.sub(r"[^a-z0-9]+", "-", spelled.lower()).strip("-") or "x"
