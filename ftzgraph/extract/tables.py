"""Tables of replicated measures: numbered rows with an item, lead bodies (负责单位) and a scope.

Two layouts occur.  Tab-separated rows under a tab-separated header ("序号\\t改革事项\\t负责单位\\t
推广范围"), where a PDF sometimes put two rows on one line (003's 附表3: rows 15 and 23); and
rows whose columns the PDF extraction joined with spaces, continued on the next lines
("4 电信业务对外资开放政策 ( …国" / "内多方通信… ) 工业和信息化部 全国"), where the lead bodies
and the scope are read from the end of the row.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ftzgraph import vocab
from ftzgraph.extract.gazetteer import squash
from ftzgraph.extract.mentions import Document, Mention

_HEADER = re.compile(r"^\s*序号\s")
_LEAD_COLUMNS = ("负责单位", "牵头实施部门", "责任分工", "牵头部门", "责任单位", "牵头单位")
_ITEM_COLUMNS = ("改革事项", "试点措施", "事项", "措施", "名称", "标题")
_SCOPE_COLUMNS = ("推广范围", "复制推广范围", "适用范围")
_DOCUMENT_COLUMNS = ("发布文件",)
_ROW = re.compile(r"^\s*(\d{1,3})(?:\s+|\t)(\S.*)$")
_END = re.compile(r"^\s*(资料来源|附表|附件|注[:：]|EXPERIENCE)")
_PROSE = re.compile(r"[。；！？]")  # sentences end in these; table cells hardly ever do
_GROUP = re.compile(r"^\s*(第.{1,3}批.{0,12}|各部门.{0,20}|最佳实践案例|.{0,14}(经验|案例|措施))\s*$")
# The scope ends a spaced row: 全国, 自贸试验区, or a list of provinces.
_SCOPE_TAIL = re.compile(r"(全国自贸试验区|全部自由贸易试验区|自贸试验区|全国|海关特殊监管区域|符合条件的地区.*|[\u4e00-\u9fff、\s]{6,}(?:省|自治区|直辖市)\s*[)）]?)\s*$")
SCOPES = {"全国": "scope-national", "自贸试验区": "scope-ftz", "全部自由贸易试验区": "scope-ftz", "全国自贸试验区": "scope-ftz",
          "海关特殊监管区域": "scope-special-customs-areas"}


@dataclass
class Row:
    number: int
    item: str  # the measure's name as printed, whitespace removed
    item_span: tuple[int, int]  # squashed offsets of the item
    span: tuple[int, int]  # squashed offsets of the whole row
    leads: list[Mention] = field(default_factory=list)
    scope: str = ""
    scope_span: tuple[int, int] | None = None
    documents: list[Mention] = field(default_factory=list)  # the row's 发布文件, else the table's document

    @property
    def scope_iri(self) -> str | None:
        name = SCOPES.get(self.scope)
        return vocab.PREFIXES["concept"] + name if name else None


def find_rows(document: Document, mentions: list[Mention]) -> list[Row]:
    lines = document.lines
    locate = _Locator(document)
    rows: list[Row] = []
    i = 0
    while i < len(lines):
        if _HEADER.match(lines[i]) and any(c in lines[i] for c in _LEAD_COLUMNS + _SCOPE_COLUMNS):
            i, table = _read_table(lines, i, locate, mentions)
            rows += table
            continue
        i += 1
    return rows


class _Locator:
    """From (line, column) in the printed text to offsets in the squashed text."""

    def __init__(self, document: Document):
        self.document = document
        self.line_offsets = [0]
        for line in document.lines:
            self.line_offsets.append(self.line_offsets[-1] + len(line) + 1)

    def at(self, line_index: int, column: int) -> int:
        return bisect.bisect_left(self.document.offset_of, self.line_offsets[line_index] + column)


def _read_table(lines, header_at, locate, mentions):
    header = lines[header_at]
    tabbed = "\t" in header
    columns = [c.strip() for c in (header.split("\t") if tabbed else header.split())]
    has_scope = any(c in header for c in _SCOPE_COLUMNS)
    rows: list[Row] = []
    preamble: list[Mention] = []
    i = header_at + 1
    current: list[tuple[int, int, int]] = []  # (line index, start column, end column) of the row's text
    while i < len(lines):
        line = lines[i]
        if _END.match(line) or (_HEADER.match(line) and i > header_at):
            break
        row = _ROW.match(line)
        if row:
            if current and not tabbed:
                rows.append(_spaced_row(current, lines, locate, mentions))
            if tabbed:
                rows += _tabbed_rows(i, line, columns, locate, mentions)
            else:
                current = [(i, row.start(1), len(line))]
        elif not rows and not current and line.strip():
            start, end = locate.at(i, 0), locate.at(i, len(line))
            preamble += [m for m in mentions if m.kind == "document" and start <= m.start and m.end <= end]
        elif current and line.strip() and not _GROUP.match(line):
            if has_scope and _SCOPE_TAIL.search(lines[current[-1][0]]) and _PROSE.search(line):
                break  # the last row ended with its scope, and a sentence follows: the text after the table
            current.append((i, 0, len(line)))
        elif current and _GROUP.match(line):
            rows.append(_spaced_row(current, lines, locate, mentions))
            current = []
        i += 1
    if current:
        rows.append(_spaced_row(current, lines, locate, mentions))
    table_document = [m for m in preamble if m.number] or preamble[:1]
    for row in rows:
        if not row.documents:
            row.documents = table_document[:1]
    return i, rows


def _tabbed_rows(i, line, columns, locate, mentions) -> list[Row]:
    cells, starts, position = [], [], 0
    for cell in line.split("\t"):
        cells.append(cell)
        starts.append(position)
        position += len(cell) + 1
    width = len(columns)
    # Two rows merged on one line: split where a cell past the first row's width is a row number.
    groups, begin = [], 0
    for k in range(width, len(cells)):
        if k - begin >= width and cells[k].strip().isdigit():
            groups.append((begin, k))
            begin = k
    groups.append((begin, len(cells)))
    rows = []
    for begin, end in groups:
        by_column = {}
        for offset, k in enumerate(range(begin, end)):
            if offset < width:
                by_column[columns[offset]] = (cells[k].strip(), locate.at(i, starts[k]), locate.at(i, starts[k] + len(cells[k])))
        number = by_column.get("序号", ("",))[0]
        if not number.isdigit():
            continue
        item = _column(by_column, _ITEM_COLUMNS)
        if item is None:
            continue
        row = Row(int(number), "".join(item[0].split()), (item[1], item[2]),
                  (locate.at(i, starts[begin]), locate.at(i, starts[end - 1] + len(cells[end - 1]))))
        lead = _column(by_column, _LEAD_COLUMNS)
        if lead is not None:
            row.leads = [m for m in mentions if m.kind == "body" and lead[1] <= m.start and m.end <= lead[2]]
        scope = _column(by_column, _SCOPE_COLUMNS)
        if scope is not None:
            row.scope, row.scope_span = "".join(scope[0].split()), (scope[1], scope[2])
        issued = _column(by_column, _DOCUMENT_COLUMNS)
        if issued is not None:
            found = [m for m in mentions if m.kind == "document" and issued[1] <= m.start and m.end <= issued[2]]
            row.documents = [m for m in found if m.number] or found[:1]
        rows.append(row)
    return rows


def _column(by_column: dict, names: tuple[str, ...]):
    return next((by_column[n] for n in names if n in by_column), None)


def _spaced_row(parts, lines, locate, mentions) -> Row:
    first_line, first_col, _ = parts[0]
    last_line, _, last_end = parts[-1]
    start, end = locate.at(first_line, first_col), locate.at(last_line, last_end)
    text = locate.document.squashed[start:end]
    number = re.match(r"\d+", text).group()
    body_start = start + len(number)
    joined = " ".join(lines[i][a:b] for i, a, b in parts)
    scope_match = _SCOPE_TAIL.search(joined)
    scope_text = squash(scope_match.group(1)) if scope_match else ""
    scope_start = end - len(scope_text) if scope_text and text.endswith(scope_text) else end
    leads: list[Mention] = []
    cursor = scope_start
    tail = locate.document.squashed
    for body in sorted((m for m in mentions if m.kind == "body" and body_start < m.start and m.end <= scope_start),
                       key=lambda m: -m.start):
        gap = tail[body.end:cursor]
        if not re.fullmatch(r"[、，,]?", gap):
            break
        leads.insert(0, body)
        cursor = body.start
    if tail[cursor - 1:cursor] == "-" and not leads:
        cursor -= 1  # "-": the row names no lead body
    item_end = cursor
    row = Row(int(number), tail[body_start:item_end], (body_start, item_end), (start, end), leads=leads)
    if scope_text:
        row.scope, row.scope_span = scope_text, (scope_start, end)
    return row
