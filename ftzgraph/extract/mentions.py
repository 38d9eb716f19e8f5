"""Mentions of zones, sub-areas, bodies, documents, agreements, provisions and dates.

All matching runs on the document with its whitespace removed, because PDF extraction
breaks names across lines and puts spaces inside them ("商务部等 18 部门", "1 号"); every
position maps back to its line, and quotes are cut from the text as printed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ftzgraph import vocab
from ftzgraph.extract.gazetteer import FOLD, Entity, Gazetteer, squash

PARAGRAPH = "\u2029"  # stands for a blank line in the squashed text: no name or sentence runs across it
_CJK = "\u4e00-\u9fff"
# 文号: 国函〔2024〕156号, 中（沪）自贸保管〔2024〕3号; and announcements/orders: 海关总署公告2024年第32号
_NUMBER = re.compile(rf"(?P<code>[{_CJK}（）()]{{1,14}}?)[〔\[［【](?P<year>(?:19|20)\d\d)[〕\]］】]第?(?P<num>\d{{1,5}})号")
_NUMBER_YEARLY = re.compile(rf"(?P<code>[{_CJK}]{{2,16}}?(?:公告|令))(?P<year>(?:19|20)\d\d)年第(?P<num>\d{{1,5}})号")
# Words that end a run of characters before a 文号 code but are not part of it.
_NUMBER_LEAD = re.compile(r"^.*(?:印发|发布|出台|颁布|公布|下发|批复|的|和(?!国)|及|与|即|见|号|文|通知|意见|方案|决定|办法|规定|》)")
_DATE = re.compile(r"(?P<y>(?:19|20)\d\d)年(?:(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>3[01]|[12]\d|0?[1-9])日)?)?")
# Kinds of text a title names when it is a policy document (the graph's titles end like this).
_DOCUMENT_ENDINGS = re.compile(
    r"(通知|意见|方案|条例|规定|办法|措施|举措|决定|规范|批复|公告|纲要|要求|指南|指引|倡议|函|法|细则|目录|政策|报告|条件|通告|"
    r"规划|清单|计划|决议|复函|答复|指导目录|工作要点|实施方案)$")
# What a title may print after its kind of text: an edition, a period, (负面清单), (试行).
_TRAILING_BRACKETS = re.compile(r"(?:（[^（）]*）)+$")
# New bodies recognised by their form.  The name must stand between boundaries (see _BOUNDARY_*).
_BODY_FORM = re.compile(
    rf"(?:中共中央[{_CJK}]{{0,10}}?(?:办公厅|部|委员会)"
    rf"|国务院[{_CJK}]{{1,10}}?(?:办公室|委员会)"
    rf"|[{_CJK}]{{2,6}}?(?:省|市|自治区)人民政府(?:办公厅)?"
    rf"|(?:中央|国务院|国家)[{_CJK}]{{1,4}}?办"  # abbreviations: 中央台办, 国务院港澳办, 国家网信办
    rf"|[{_CJK}]{{2,6}}?(?:省|自治区)[{_CJK}]{{1,6}}?厅"  # a provincial department: 安徽省科技厅
    rf"|中国人民银行[{_CJK}]{{2,8}}?分行"
    rf"|(?:国家|中国)?[{_CJK}]{{1,8}}?(?:部|总局|局|委员会|常委会|总署|办公室|委|监会)"
    r"|办公厅|办公室)")  # alone: the office of the known body before it (see _new_bodies)
# A body-form name that wins over the known body inside it: a central organ, the office of a body.
_WHOLE_BODY = re.compile(r"^(?:中共中央|国务院)|办公厅$|办公室$|常委会$|分行$")
_OFFICE = re.compile(rf"办公厅|办公室|常委会|[{_CJK}]{{2,6}}分行")  # 全国人大 + 常委会, 中国人民银行 + 广东省分行: one body
# After 部, these make a word, not a body: 应急管理部门 "emergency departments", 部际 "inter-ministerial".
_NOT_BODY_AFTER = set("门际")
# Words after which a name may start although no punctuation stands between: 推动上海市财政局出台, 通过安徽省科技厅印发.
_LEAD_WORD = re.compile(r"(?:推动|通过|会同|联合|指导|支持|要求|协调|由|向)$")
# Two-character abbreviations (国办, 中办, 央行) stand at a boundary or after a particle, not inside a word: 跨国办.
_SHORT_NAME_BEFORE = set("由经与和及同向对在是从请将报")
_CENTRAL_ORGAN = re.compile(r"中共中央|国务院")  # what follows is an organ of it: 国务院新闻办公室
# A new body must say whose it is: a national one by its name or its kind of office, a local one by
# its place.  卫健委, 市场监管局, 公安分局 in a list of a district's offices name no one body.
_IDENTIFIABLE = re.compile(rf"^(?:国家|中国|中央|国务院|中共中央|全国)|^[{_CJK}]{{2,8}}?(?:省|市|自治区|自治州|州|盟|县|区)"
                           r"|(?:部|总局|总署|监会)(?:办公厅|办公室)?$")
# Words of bodies' names that hold a stop character: 中国证监会, 中央台办, 外交部, 国家外汇局.
_STOP_EXEMPT = re.compile(r"^(?:中共中央|中国|中央)|外交|外汇|外事|上海|内蒙古|中山|无锡")  # and places: 上海市财政局
_SUBAREA_FORM = re.compile(rf"[{_CJK}]{{2,8}}?片区")
# New agreements by their form: a 《title》 that names a treaty; a name printed with its acronym or
# English name in brackets, 东盟-中国自由贸易协定（ACFTA）, 加拿大与欧盟综合性经济贸易协议 CETA(…);
# an acronym with its kind, TRIPS协定, TIR公约.  协议 alone also ends domestic framework documents.
# 《国际…规则》 is an international code (《国际固体散装货物规则》); a domestic 《…规则》 is not.
_AGREEMENT_TITLE = re.compile(r"(?:协定|公约|条约)$|^国际.{2,}规则$")
_AGREEMENT_NAMED = re.compile(r"(?:协定|协议|公约)(?=(?P<acronym>[A-Z]{2,8})?（(?P<inner>[A-Za-z][A-Za-z-]*))")
_ACRONYM_AFTER = re.compile(r"（(?P<acronym>[A-Z]{2,8})）")  # 《中欧投资协定》（CAI）
_AGREEMENT_ACRONYM = re.compile(r"(?<![A-Za-z])(?P<acronym>[A-Z]{2,8})(?:协定|公约|(?<=[A-Z]{3})规则)")  # IGC规则
# Acronyms that say what they are: NAFTA, ACFTA (…EPA may be an arrangement the text does not identify:
# CEPA names two); or that are followed by their chapter or article: TPP知识产权章节, TPP第18章.
_AGREEMENT_ACRONYM_FORM = re.compile(r"(?<![A-Za-z])(?P<acronym>[A-Z]{1,6}FTA)(?![A-Za-z])")
_ACRONYM_WITH_PART = re.compile(rf"(?<![A-Za-z])(?P<acronym>[A-Z]{{2,8}})(?=第\d+(?:\.\d+)*[条章]|\d+\.\d+条|[{_CJK}]{{2,8}}?章节)")
# An agreement between two parties, printed alone or as the one example of a list: 欧盟与南方共同市场等自贸协定.
_AGREEMENT_BETWEEN = re.compile(rf"(?P<a>[{_CJK}]{{2,8}})与(?P<b>[{_CJK}]{{2,10}}?)等?(?P<kind>自由贸易协定|自贸协定)")
# China's free trade agreements in a list by their partners' short names: 中韩、中瑞士等自由贸易协定,
# 中智、中新加坡等升级自由贸易协定.  A one-character short name only where it names one partner
# (中新 may be Singapore or New Zealand); the graph's own 中国—X自由贸易协定 add their partners.
FTA_PARTNERS = ("东盟", "新加坡", "巴基斯坦", "新西兰", "智利", "秘鲁", "哥斯达黎加", "冰岛", "瑞士", "韩国",
                "澳大利亚", "格鲁吉亚", "马尔代夫", "毛里求斯", "柬埔寨", "尼加拉瓜", "塞尔维亚", "厄瓜多尔")
FTA_PARTNER_SHORT = {"韩": "韩国", "智": "智利", "瑞": "瑞士", "澳": "澳大利亚", "秘": "秘鲁", "冰": "冰岛",
                     "格": "格鲁吉亚", "柬": "柬埔寨", "毛": "毛里求斯", "巴": "巴基斯坦"}
_CHINA_FTA_LABEL = re.compile(r"^中国-(?P<partner>[\u4e00-\u9fff]{2,6})自由贸易协定$")
# Words a free-text name does not run back across (是, 即, 通过 …); 与 stays: 中国与欧亚经济联盟经贸合作协定.
# Provisions: right after the agreement's acronym; later in its clause only by numbers that cannot be
# anything else (a dotted article number, an article with its paragraph).
_DIRECT_ARTICLE = re.compile(r"(?:协定)?第(?P<num>\d+(?:\.\d+)*)(?P<unit>条|章)")
_LATER_ARTICLE = re.compile(r"第?(?P<dotted>\d+\.\d+)条|第(?P<article>\d+)条第(?P<paragraph>\d+)款")
_DEPA_MODULE = re.compile(r"DEPA模块(?P<mod>\d+)")
_SENTENCE_STOP = re.compile(rf"[。；！？{PARAGRAPH}]")
_CLAUSE_REACH = 60
_AGREEMENT_STOP = re.compile(r".*(?:[是即的在了对为将由等和及或并把被从向以其]|通过|根据|按照)")
_EDITION_AFTER = re.compile(r"（[^（）《》]{0,12}年版）")
_NUMBER_GAP = re.compile(r"(?:的通知)?[（，,]{0,2}")
_BODY_STOP = re.compile(r"[的在了是对为将由等与和及或并把被从向于以其各该本此每有无个位内外上下中部门]")
# Words that end like a body but are not one (布局 "layout", 格局, 总部 "headquarters", 西部 "the west" …).
_NOT_BODY = re.compile(r"([东西南北中]部|布局|格局|大局|全局|开局|新局|变局|结局|当局|总部|本部|(?<!安)全部|内部|外部|局部|干部|俱乐部|指挥部|司令部)$")
_BOUNDARY_BEFORE = set("，。；：、（）《》“”‘’\"'()[]〔〕【】·•　 \t" + PARAGRAPH) | set("0123456789")
_BOUNDARY_AFTER = re.compile(r"(?:[，。；：、（）《》“”()\[\]·]|关于|印发|发布|出台|公布|颁布|下发|联合|会同|牵头|负责|等|和|与|及|按职责|第|$|" + PARAGRAPH + ")")


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
    acronym: str | None = None  # the acronym an agreement is printed with


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
        wrapped = _wrapped_blank_lines(self.lines)
        chars, line_of, offset_of = [], [], []
        offset = 0
        for number, line in enumerate(self.lines, start=1):
            if not line.strip() and number - 1 not in wrapped:
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
        """The span as printed, line breaks dropped: Chinese that a line break split joins up again
        (率先开展, not 率先开 展); a space stays between Latin words and numbers."""
        end = max(start + 1, end)
        raw = self.text[self.offset_of[start]: self.offset_of[end - 1] + 1]
        quote = ""
        for part in (part.strip() for part in raw.split("\n")):
            if part:
                quote += ("" if not quote or (_wide(quote[-1]) and _wide(part[0])) else " ") + part
        return quote


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _wrapped_blank_lines(lines: list[str]) -> set[int]:
    """Blank lines that only wrap a sentence: PDF text often prints a blank line after every line, so
    a title or name breaks across one (《数字 / 经济伙伴关系协定》).  Where most lines are followed by
    one blank line, a single blank line after a full-width line that does not end a sentence is a line
    break; after a heading, a short last line or a sentence end it stays a paragraph break."""
    blank = [not line.strip() for line in lines]
    singles = [i for i in range(1, len(lines) - 1) if blank[i] and not blank[i - 1] and not blank[i + 1]]
    if len(singles) * 2 < len(lines) - sum(blank):
        return set()
    widths = [_width(line) for line in lines if _width(line) >= 16]
    if not widths:
        return set()
    full = max(set(widths), key=widths.count) - 2.5
    return {i for i in singles if _width(lines[i - 1]) >= full and lines[i - 1].rstrip()[-1] not in _SENTENCE_ENDS}


_SENTENCE_ENDS = set("。！？；：!?;:")


def _width(line: str) -> float:
    """The printed width of a line in full-width characters (an ASCII letter or space is half)."""
    return round(sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in line.strip()))


def find_mentions(document: Document, gazetteer: Gazetteer) -> list[Mention]:
    """Every mention, in text order; where two overlap, the known name and then the longer wins."""
    text = document.squashed
    found = _known_names(text, gazetteer)
    found += _known_names_across_breaks(text, gazetteer, found)
    found += [m for m in _documents(text, gazetteer) if not _overlaps_known(m, found)]
    taken = _coverage(found, len(text))
    # A title names its issuer (《生态环境部办公厅关于…》): new bodies may stand inside one, not across its edge.
    titles = [m for m in found if m.kind == "document"]
    names = _coverage([m for m in found if m.kind != "document"], len(text))
    for body in _new_bodies(text, gazetteer, [m for m in found if m.kind == "body"]):
        if any(t.start < body.end and body.start < t.end and not t.start <= body.start < body.end <= t.end for t in titles):
            continue
        if not any(names[body.start:body.end]):
            found.append(body)
        elif _WHOLE_BODY.search(body.text):  # 中共中央办公厅 is not 中共中央 followed by 办公厅
            inside = [m for m in found if m.kind != "document" and m.start < body.end and body.start < m.end]
            if all(m.kind == "body" and body.start <= m.start and m.end <= body.end for m in inside):
                found = [m for m in found if m not in inside] + [body]
    found += [m for m in _new_subareas(text, gazetteer) if not any(taken[m.start:m.end])]
    found += [m for m in _zone_lists(text, gazetteer) if not any(taken[m.start:m.end])]
    # An agreement may stand inside a document's title (《IGC规则港口国监督检查指南》), not across a name.
    names = _coverage([m for m in found if m.kind != "document"], len(text))
    agreements = [m for m in _new_agreements(text, gazetteer) + _china_fta_lists(text, gazetteer)
                  if not any(names[m.start:m.end]) and not _overlaps_title(m, titles)]
    found += agreements
    found += _provisions(text, gazetteer, {m.acronym for m in agreements if m.acronym})
    found += _dates(text)
    found.sort(key=lambda m: (m.start, -m.end))
    return found


def _overlaps_title(mention: Mention, titles: list[Mention]) -> bool:
    """The mention crosses a title's edge, or is the whole title (then it is that document)."""
    return any(t.start < mention.end and mention.start < t.end
               and not (t.start <= mention.start and mention.end <= t.end and (t.start, t.end) != (mention.start, mention.end))
               for t in titles)


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
        if _glued_body(text, match.start(), match.end()):
            continue
        entity = gazetteer.entities[gazetteer.by_label[label]]
        found.append(Mention(entity.kind, label, match.start(), match.end(), entity.iri, known=True, label=entity.pref))
    return found


def _glued_body(text: str, start: int, end: int) -> bool:
    """A body's name that is only part of a word: 应急管理部门, 跨国办."""
    if end < len(text) and text[end - 1] == "部" and text[end] in _NOT_BODY_AFTER:
        return True
    return (end - start == 2 and start > 0 and text[start - 1] not in _BOUNDARY_BEFORE
            and text[start - 1] not in _SHORT_NAME_BEFORE and "\u4e00" <= text[start - 1] <= "\u9fff")


def _known_names_across_breaks(text: str, gazetteer: Gazetteer, found: list[Mention]) -> list[Mention]:
    """A long known name that a blank line breaks, as the narrow columns of a PDF table print it:
    中国（安徽）自由贸易 / 试验区.  A name this long does not form by accident across a break."""
    if PARAGRAPH not in text:
        return []
    joined, kept = _without_breaks(text, _ANY_BREAK)
    taken = _coverage(found, len(text))
    out = []
    for match in gazetteer.pattern.finditer(joined):
        start, end = kept[match.start()], kept[match.end() - 1] + 1
        if end - start == len(match.group()) or len(match.group()) < _LONG_NAME or any(taken[start:end]):
            continue
        entity = gazetteer.entities[gazetteer.by_label[match.group()]]
        out.append(Mention(entity.kind, match.group(), start, end, entity.iri, known=True, label=entity.pref))
    return out


_LONG_NAME = 8
_ANY_BREAK = re.compile(PARAGRAPH + "+")
# A blank line inside 片区 or right before it only breaks a table cell: 高端产业 / 片区, 杭州片 / 区.
_SUBAREA_BREAK = re.compile(f"(?<=片){PARAGRAPH}+(?=区)|{PARAGRAPH}+(?=片区)")


def _without_breaks(text: str, breaks: re.Pattern) -> tuple[str, list[int]]:
    """The text less the blank-line marks ``breaks`` matches, and each kept character's offset in ``text``."""
    dropped = bytearray(len(text))
    for match in breaks.finditer(text):
        dropped[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    kept = [i for i in range(len(text)) if not dropped[i]]
    return "".join(text[i] for i in kept), kept


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
        edition = _EDITION_AFTER.match(text, end)  # 《…（负面清单）》（2024年版）: the edition is part of the name
        known = (gazetteer.lookup(title + edition.group(), "document") if edition else None) or gazetteer.lookup(title, "document")
        if known is None and (len(title) < 6 or not _DOCUMENT_ENDINGS.search(_TRAILING_BRACKETS.sub("", title))):
            continue  # 《…报告》 of a research institute, a journal, a treaty: not a policy document
        number = _number_after(text, edition.end() if edition else end, numbers)
        name = title + edition.group() if edition else title
        if known is None and number is not None and number.known:
            known = gazetteer.entities[number.iri]
        if known is not None:
            found.append(Mention("document", title, start + 1, end - 1, known.iri, known=True, label=known.pref,
                                 number=number.number if number else None))
        else:
            iri = number.iri if number else document_iri_from_title(name)
            found.append(Mention("document", title, start + 1, end - 1, iri, label=name,
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
    """The 文号 printed right after a title: 《…》（国函〔2024〕156号）, 《…》 国函〔2024〕156号, or after
    the notice that sent it out: 印发《…》的通知（国市监注发〔2024〕84号）."""
    gap = _NUMBER_GAP.match(text, end)
    return numbers.get(gap.end()) if gap else None


def _new_bodies(text: str, gazetteer: Gazetteer, known: list[Mention]) -> list[Mention]:
    """Bodies by their form, between boundaries.  A known body's edges are boundaries too, as in a
    list the PDF printed with spaces: 中国人民银行 金融监管总局 中国证监会; so are the edges of the
    names of the form around it.  An office right after a known body is that body's office: 中共中央办公厅."""
    known_ends = {m.end: m.start for m in known}
    spans = []
    for match in _BODY_FORM.finditer(text):
        start, end = match.start(), match.end()
        # The regex starts as early as it can; move the start to the last boundary inside the match.
        for i in range(end - 2, start, -1):
            if text[i - 1] in _BOUNDARY_BEFORE or i in known_ends or _LEAD_WORD.search(text, max(0, i - 2), i):
                start = i
                break
        if start in known_ends and (_OFFICE.fullmatch(text, start, end) or _CENTRAL_ORGAN.fullmatch(text, known_ends[start], start)):
            start = known_ends[start]
        spans.append((start, end))
    next_starts = {m.start for m in known} | {start for start, _ in spans}
    previous_ends = set(known_ends) | {end for _, end in spans}
    known_starts = set(known_ends.values())  # a known body starts a name wherever it stands: 十三届全国人大常委会
    found = []
    for start, end in spans:
        name = text[start:end]
        if (start and text[start - 1] not in _BOUNDARY_BEFORE and start not in previous_ends | known_starts
                and not _LEAD_WORD.search(text, max(0, start - 2), start)):
            continue
        core = name[:-3] if len(name) > 3 and _OFFICE.fullmatch(name, len(name) - 3) else name  # 生态环境部|办公厅
        if (len(name) < 3 or _BODY_STOP.search(_STOP_EXEMPT.sub("", core)[:-1]) or _NOT_BODY.search(name)
                or _glued_body(text, start, end) or not (end in next_starts or _BOUNDARY_AFTER.match(text, end))):
            continue
        entity = gazetteer.lookup(name, "body")
        if entity is not None:
            found.append(Mention("body", name, start, end, entity.iri, known=True, label=entity.pref))
        elif _IDENTIFIABLE.search(name):
            found.append(Mention("body", name, start, end, vocab.PREFIXES["body"] + slug(name), label=name))
    return found


def _new_subareas(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Sub-areas by their form: 天津机场片区, 川南临港片区 (片区 after a name that starts at a boundary),
    also where a table cell breaks 片区 off its name."""
    found = []
    text, kept = _without_breaks(text, _SUBAREA_BREAK)
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
        found.append(Mention("subarea", name, kept[start], kept[match.end() - 1] + 1, known.iri if known else
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


def _new_agreements(text: str, gazetteer: Gazetteer) -> list[Mention]:
    found = []
    for start, end in _titles(text):
        title = text[start + 1:end - 1]
        if _AGREEMENT_TITLE.search(_TRAILING_BRACKETS.sub("", title)):
            acronym = _ACRONYM_AFTER.match(text, end) or re.match(r"(?P<acronym>[A-Z]{2,8})(?=[\u4e00-\u9fff])", title)
            found.append(_agreement(title, start + 1, gazetteer, acronym.group("acronym") if acronym else None))
    for match in _AGREEMENT_NAMED.finditer(text):
        start = match.start()
        while start > 0 and start > match.end() - 24 and text[start - 1] not in _BOUNDARY_BEFORE:
            start -= 1
        name = _AGREEMENT_STOP.sub("", text[start:match.end()])
        inner = match.group("inner")
        acronym = match.group("acronym") or (inner if re.fullmatch(r"[A-Z]{2,8}", inner) else None)
        if len(name) >= 4:
            found.append(_agreement(name, match.end() - len(name), gazetteer, acronym))
    for match in _AGREEMENT_ACRONYM.finditer(text):
        if not _ascii_glued(text, match.start(), match.start() + len(match.group("acronym"))):
            found.append(_agreement(match.group(), match.start(), gazetteer, match.group("acronym")))
    for pattern in (_AGREEMENT_ACRONYM_FORM, _ACRONYM_WITH_PART):
        for match in pattern.finditer(text):
            acronym = match.group("acronym")
            chapter_words = text[match.end():match.end() + 8].split("章")[0]  # 知识产权 of TPP知识产权章节
            if pattern is _AGREEMENT_ACRONYM_FORM or not _BODY_STOP.search(chapter_words):
                found.append(_agreement(acronym, match.start(), gazetteer, acronym))
    for match in _AGREEMENT_BETWEEN.finditer(text):
        first = _AGREEMENT_STOP.sub("", match.group("a"))
        if len(first) >= 2 and not _AGREEMENT_STOP.match(match.group("b")):
            name = f"{first}与{match.group('b')}{match.group('kind')}"
            mention = _agreement(name, match.end("a") - len(first), gazetteer, None)
            mention.end, mention.text = match.end(), text[mention.start:match.end()]
            found.append(mention)
    return found


def _china_fta_lists(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """China's FTAs named by their partners in a list: 中韩、中瑞士等自由贸易协定 → 中国—韩国自由贸易协定 …"""
    partners = {name: name for name in FTA_PARTNERS} | FTA_PARTNER_SHORT
    for entity in gazetteer.entities.values():
        for label in entity.labels if entity.kind == "agreement" else ():
            known = _CHINA_FTA_LABEL.match(label)
            if known:
                partners.setdefault(known.group("partner"), known.group("partner"))
    names = "|".join(sorted(map(re.escape, partners), key=len, reverse=True))
    part = re.compile(rf"中(?P<partner>{names})")
    listed = re.compile(rf"(?:中(?:{names})(?:、|和|与|及))*中(?:{names})等?(?:升级)?(?:自由贸易协定|自贸协定)")
    found = []
    for match in listed.finditer(text):
        for item in part.finditer(text, match.start(), match.end()):
            name = f"中国—{partners[item.group('partner')]}自由贸易协定"
            known = gazetteer.lookup(name, "agreement")
            found.append(Mention("agreement", item.group(), item.start(), item.end(),
                                 known.iri if known else vocab.PREFIXES["agreement"] + slug(name),
                                 known=bool(known), label=known.pref if known else name))
    return found


def _agreement(name: str, start: int, gazetteer: Gazetteer, acronym: str | None) -> Mention:
    """An agreement by its printed name: a known one by name or acronym, a new one under its acronym or pinyin."""
    known = gazetteer.lookup(name, "agreement") or (gazetteer.lookup(acronym, "agreement") if acronym else None)
    if known is not None:
        return Mention("agreement", name, start, start + len(name), known.iri, known=True, label=known.pref)
    iri = vocab.PREFIXES["agreement"] + (acronym.lower() if acronym else slug(name))
    return Mention("agreement", name, start, start + len(name), iri, label=name, acronym=acronym)


def _provisions(text: str, gazetteer: Gazetteer, printed: set[str]) -> list[Mention]:
    """Articles and chapters of an agreement known by its acronym, or printed with one in this text:
    CPTPP第5.3条, RCEP第十章 (Arabic numbers only), DEPA模块6; and further on in the clause,
    TPP知识产权章节18.68条、18.69条 and CETA第6节…第10条第17款; a chapter by its title after the name,
    CPTPP“快运货物”条款, TPP知识产权章节.  A section headed （三）投资 that cites CPTPP names no chapter: that is inferred."""
    from ftzgraph.names import candidate_iris

    acronyms = sorted(printed | {label for e in gazetteer.entities.values() if e.kind == "agreement"
                                 for label in e.labels if label.isascii()}, key=len, reverse=True)
    if not acronyms:
        return []
    agreement = re.compile(rf"(?<![A-Za-z])(?:{'|'.join(map(re.escape, acronyms))})(?![A-Za-z])")
    found = []

    def add(target: str, start: int, end: int) -> None:
        iri = candidate_iris(target)[0]
        entity = gazetteer.entities.get(iri)
        found.append(Mention("provision", text[start:end], start, end, iri, known=entity is not None,
                             label=entity.pref if entity else text[start:end]))

    titled = {}
    for acronym, titles in _provision_titles(gazetteer).items():
        alternatives = "|".join(map(re.escape, sorted(titles, key=len, reverse=True)))
        titled[acronym] = (re.compile(rf"(?P<lead>等[{_CJK}]{{0,3}}?|中?的)?(?P<quote>“)?(?P<title>{alternatives})(?(quote)”)"
                                      rf"(?P<rest>[^\W\d_a-zA-Z是即的在了对为将由等和及或并把被从向以其与]{{0,8}}?)(?P<kind>章节|章|条款|部分|规则)"),
                           titles)
    for match in _DEPA_MODULE.finditer(text):
        add(f"DEPA module {match.group('mod')}", match.start(), match.end())
    names = list(agreement.finditer(text))
    for index, name in enumerate(names):
        clause_end = min(name.end() + _CLAUSE_REACH, names[index + 1].start() if index + 1 < len(names) else len(text))
        sentence = _SENTENCE_STOP.search(text, name.end(), clause_end)
        clause_end = sentence.start() if sentence else clause_end
        direct = _DIRECT_ARTICLE.match(text, name.end(), clause_end)
        if direct:
            unit = " ch" if direct.group("unit") == "章" else " "
            add(f"{name.group()}{unit}{direct.group('num')}", name.start(), direct.end())
        elif name.group() in titled:
            direct = titled[name.group()][0].match(text, name.end(), clause_end)
            if direct:
                titles = titled[name.group()][1]
                title = direct.group("title")
                # A known part names its chapter too: 知识产权边境保护 is in 知识产权.
                outer = max((t for t in titles if t != title and title.startswith(t)), key=len, default=None)
                for provision in ([titles[outer]] if outer else []) + [titles[title]]:
                    found.append(Mention("provision", text[name.start():direct.end()], name.start(), direct.end(), provision.iri,
                                         known=True, label=provision.pref))
                part = direct.group("title") + direct.group("rest")
                if direct.group("rest") and not direct.group("lead") and not direct.group("quote") and direct.group("kind") == "条款":
                    found.append(_provision_named(f"{name.group()}{part}条款", name.start(), direct.end(), gazetteer))
        for match in _LATER_ARTICLE.finditer(text, direct.end() if direct else name.end(), clause_end):
            number = match.group("dotted") or f"{match.group('article')}.{match.group('paragraph')}"
            add(f"{name.group()} {number}", match.start(), match.end())
    return found


# What a provision's label prints before its title: CPTPP第5.7条, RCEP第四章, DEPA模块4, MARPOL公约附则VI第14条.
_PROVISION_NUMBER = re.compile(r"^[A-Z]+(?:公约)?(?:附则[IVX]+)?(?:第[\d.]+[条章]|第[一二三四五六七八九十]+章|模块\d+|附件[\dA-Z-]+)?")
_PROVISION_KIND = re.compile(r"(?:章节|章|条款)$")


def _provision_titles(gazetteer: Gazetteer) -> dict[str, dict[str, Entity]]:
    """Agreement acronym -> the titles of its chapters and articles in the graph (快运货物 → CPTPP第5.7条),
    each title that names one provision of that agreement."""
    owners: dict[str, dict[str, set[str]]] = {}
    for entity in gazetteer.entities.values():
        acronym = re.match(r"[A-Z]+", entity.pref) if entity.kind == "provision" else None
        if not acronym:
            continue
        for label in entity.labels:
            title = _PROVISION_KIND.sub("", _PROVISION_NUMBER.sub("", label) if label.startswith(acronym.group()) else label)
            if len(title) >= 2 and "第" not in title and not re.search(r"[（）A-Za-z]", title):
                owners.setdefault(acronym.group(), {}).setdefault(title, set()).add(entity.iri)
    return {acronym: {title: gazetteer.entities[next(iter(iris))] for title, iris in titles.items() if len(iris) == 1}
            for acronym, titles in owners.items()}


def _provision_named(label: str, start: int, end: int, gazetteer: Gazetteer) -> Mention:
    """A part of an agreement named by its subject, CPTPP知识产权边境保护条款: known by its label, or new."""
    known = gazetteer.lookup(label, "provision")
    if known is not None:
        return Mention("provision", label, start, end, known.iri, known=True, label=known.pref)
    acronym = re.match(r"[A-Z]+", label).group()
    return Mention("provision", label, start, end, vocab.PREFIXES["provision"] + f"{acronym.lower()}-{slug(label[len(acronym):])}",
                   label=label)


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
