"""Input formats to one normalised plain text: the text that candidates' line numbers and quotes cite.

Plain text (UTF-8, or GB18030 which covers GBK and GB2312), HTML, PDF (pypdf) and .docx
(python-docx).  Normalising means: one \\n per line break, no trailing blanks, no control
characters, no byte-order mark, and the radical code points that PDF fonts often map
ideographs to (⾃ U+2F83 for 自, ⺠ U+2EA0 for 民) read as the ideographs they print; the
words themselves are never changed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ftzgraph.errors import FtzError

MAX_BYTES = 50_000_000  # the largest report so far is 0.5 MB; 100× that is not a report
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\ufeff]")
# Kangxi radicals fold by NFKC; these CJK radicals supplement forms are whole simplified
# characters with no decomposition, so they are listed.
_RADICALS = {0x2E9F: "母", 0x2EA0: "民", 0x2EC4: "西", 0x2EC5: "见", 0x2EC6: "角", 0x2EC9: "贝", 0x2ECB: "车",
             0x2ED1: "長", 0x2ED3: "长", 0x2ED4: "门", 0x2ED8: "青", 0x2ED9: "韦", 0x2EDA: "页", 0x2EDB: "风",
             0x2EDC: "飞", 0x2EDD: "食", 0x2EE2: "马", 0x2EE4: "鬼", 0x2EE5: "鱼", 0x2EE6: "鸟", 0x2EE7: "卤",
             0x2EE8: "麦", 0x2EE9: "黄", 0x2EEA: "黾", 0x2EEC: "齐", 0x2EEE: "齿", 0x2EF0: "龙", 0x2EF3: "龟",
             **{cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}}
_HTML_HINT = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[\s>])", re.IGNORECASE)


@dataclass
class SourceText:
    """A document's normalised text and where it came from."""

    path: Path
    kind: str  # text, html, pdf, docx
    text: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def read_document(path: Path | str, max_bytes: int = MAX_BYTES) -> SourceText:
    """The normalised text of a file; an FtzError (one line) for anything that is not a readable document."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FtzError(f"cannot read {path}: not a regular file")
        if size > max_bytes:
            raise FtzError(f"{path} is too large ({size:,} bytes; the limit is {max_bytes:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise FtzError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise FtzError(f"{path} is empty")
    kind = _kind(path, data)
    raw = {"pdf": _pdf_text, "docx": _docx_text, "html": _html_text, "text": _plain_text}[kind](path, data)
    text = normalise(raw)
    if not text.strip():
        if kind == "pdf":
            raise FtzError(f"{path} has no text layer (a scanned PDF?); run OCR first, e.g. `ocrmypdf --language chi_sim`")
        raise FtzError(f"{path} has no text")
    return SourceText(path, kind, text)


def normalise(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n")).translate(_RADICALS)
    lines = [CONTROL.sub("", line).rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _kind(path: Path, data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if b"word/" in data[:4000] or path.suffix.lower() == ".docx":
            return "docx"
        raise FtzError(f"{path} is a zip archive, not a .docx document")
    if path.suffix.lower() in {".html", ".htm", ".xhtml"} or _HTML_HINT.match(data[:200]):
        return "html"
    if path.suffix.lower() == ".doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FtzError(f"{path} is a legacy Word .doc file; save it as .docx or text first")
    return "text"


def _plain_text(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # what Windows Notepad calls "Unicode"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FtzError(f"{path} starts as UTF-16 text but cannot be decoded as UTF-16") from exc
    if b"\x00" in data[:65536]:
        raise FtzError(f"{path} looks like a binary file, not text (it holds NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_text(text) and (encoding != "gb18030" or _reads_as_chinese(text)):
            return text
    raise FtzError(f"{path} is neither UTF-8 nor GB18030/GBK text: cannot decode it")


def _mostly_text(text: str) -> bool:
    """GB18030 decodes almost any byte string; real text has few control or private-use characters."""
    sample = text[:20000]
    odd = sum(1 for c in sample if unicodedata.category(c) in {"Cc", "Co", "Cn"} and c not in "\n\r\t\f")
    return odd <= len(sample) * 0.01


def _reads_as_chinese(text: str) -> bool:
    """Shift-JIS or Big5 bytes also decode as GB18030, but to rare characters: Chinese text in
    GBK is mostly (traditional text about 60 %) in the common GB2312 set; Shift-JIS gives almost none."""
    han = [c for c in text[:20000] if "\u4e00" <= c <= "\u9fff"]
    if len(han) < 20:
        return True
    common = 0
    for c in han:
        try:
            c.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= len(han) * 0.4


def _html_text(path: Path, data: bytes) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "title"}
        SKIP = {"script", "style", "noscript", "template"}

        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skipping = 0

        def handle_starttag(self, tag, attrs):
            if tag in self.SKIP:
                self.skipping += 1
            elif tag in self.BLOCKS:
                self.parts.append("\n")
            elif tag in {"td", "th"}:
                self.parts.append("\t")

        def handle_endtag(self, tag):
            if tag in self.SKIP:
                self.skipping = max(0, self.skipping - 1)
            elif tag in self.BLOCKS:
                self.parts.append("\n")

        def handle_data(self, data):
            if not self.skipping:
                self.parts.append(" ".join(data.split("\n")))

    declared = re.search(rb"charset=[\"']?([\w-]+)", data[:2000])
    encodings = [declared.group(1).decode("ascii")] if declared else []
    text = None
    for encoding in encodings + ["utf-8-sig", "gb18030"]:
        try:
            text = data.decode(encoding)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        raise FtzError(f"{path}: cannot decode the HTML")
    parser = Text()
    parser.feed(text)
    joined = "".join(parser.parts)
    lines = [re.sub(r"[ \u00a0]+", " ", line).strip(" ") for line in joined.split("\n")]
    return "\n".join(re.sub(r"\t\s*", "\t", line).strip("\t") for line in _collapse_blanks(lines))


def _collapse_blanks(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line)
    return out


def _pdf_text(path: Path, data: bytes) -> str:
    import io
    import logging

    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:
        raise FtzError("reading PDF needs pypdf: pip install pypdf") from exc
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd fonts are not the user's business
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FtzError(f"{path} is an encrypted PDF; decrypt it first")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise FtzError(f"{path} is a damaged PDF: {' '.join(str(exc).split())[:200]}") from exc


def _docx_text(path: Path, data: bytes) -> str:
    import io
    import zipfile

    try:
        import docx
    except ImportError as exc:
        raise FtzError("reading .docx needs python-docx: pip install python-docx") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FtzError(f"{path} is a damaged .docx: {' '.join(str(exc).split())[:200]}") from exc
    from docx.table import Table

    lines: list[str] = []
    for block in document.iter_inner_content():  # in reading order: an annex's table follows its heading
        if not isinstance(block, Table):
            lines.append(block.text)
            continue
        lines.append("")
        for row in block.rows:
            # A cell merged across columns comes once per column it spans: keep it once.  A cell
            # merged down rows repeats in each: the lead body of a merged column applies to every row.
            cells = row.cells
            kept = [cell for i, cell in enumerate(cells) if i == 0 or cell._tc is not cells[i - 1]._tc]
            lines.append("\t".join(" ".join(cell.text.split()) for cell in kept))
        lines.append("")
    return "\n".join(lines)
