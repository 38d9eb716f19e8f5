"""The gallery: the committed set of views in visualizations/, and its index page."""

from __future__ import annotations

from pathlib import Path

from ftzgraph import output
from ftzgraph.errors import FtzError
from ftzgraph.render import page, views

THUMB_WIDTH, THUMB_HEIGHT = 240, 135

# file, view, name, caption (en, zh)
GALLERY = (
    ("overview.html", "overview", None,
     ("All zones, their sub-areas and the measures piloted most widely in each.", "全部自贸区、片区及各自试点范围最广的举措。")),
    ("agreement-cptpp.html", "agreement", "agreement:cptpp",
     ("CPTPP chapters and articles, the measures and documents aligned with them, and where they were piloted.",
      "CPTPP 的章节与条款、与之对接的举措和文件及其试点地区。")),
    ("agreement-rcep.html", "agreement", "agreement:rcep",
     ("RCEP chapters and articles with the measures and documents aligned with them.", "RCEP 的章节与条款及与之对接的举措和文件。")),
    ("agreement-depa.html", "agreement", "agreement:depa",
     ("DEPA modules with the measures and documents aligned with them.", "DEPA 各模块及与之对接的举措和文件。")),
    ("zone-shanghai.html", "zone", "zone:shanghai",
     ("Shanghai: sub-areas, measures, documents and bodies.", "上海：片区、举措、文件与机构。")),
    ("zone-hainan-ftp.html", "zone", "zone:hainan-ftp",
     ("Hainan Free Trade Port: sub-areas, measures, documents and bodies.", "海南自由贸易港：片区、举措、文件与机构。")),
    ("zone-guangdong.html", "zone", "zone:guangdong",
     ("Guangdong: sub-areas, measures, documents and bodies.", "广东：片区、举措、文件与机构。")),
    ("zone-tianjin.html", "zone", "zone:tianjin",
     ("Tianjin: sub-areas, measures, documents and bodies.", "天津：片区、举措、文件与机构。")),
    ("body-gacc.html", "body", "body:gacc",
     ("The General Administration of Customs: the measures it leads, its documents and co-issuers, and their zones.",
      "海关总署：牵头的举措、发布的文件、联合发文机关及试点地区。")),
    ("trace-cptpp-14.17.html", "trace", "provision:cptpp-14.17",
     ("A trace from CPTPP Article 14.17 (source code) to the pilot measure aligned with it, the nine bodies that lead it, "
      "its documents and the zones where it is piloted.",
      "从 CPTPP 第14.17条（源代码）追溯到与之对接的试点措施、牵头的九个部门、相关文件及试点自贸区。")),
    ("map.html", "map", None,
     ("Where the zones and their sub-areas are, at approximate city coordinates.", "自贸区与片区的大致地理位置。")),
    ("timeline.html", "timeline", None,
     ("Zones by establishment batch, documents and replicated reforms, year by year.", "按年份排列的自贸区设立批次、政策文件与复制推广的改革。")),
)


def pages(graph, lang: str = "en") -> dict[str, str]:
    """Every gallery page and index.html, by file name."""
    built: dict[str, str] = {}
    entries = []
    for filename, kind, name, caption in GALLERY:
        view = views.build_view(graph, kind, name)
        built[filename], net = page.write(view, lang, gallery="index.html", graph=graph)
        entries.append({"file": filename, "title": view.title, "caption": dict(zip(("en", "zh"), caption)),
                        "nodes": len(view.nodes), "edges": len(view.edges), "thumbnail": thumbnail(net)})
    built["index.html"] = page.template("index.html").render(lang=lang, entries=entries)
    return built


def thumbnail(net) -> dict:
    """A small picture of the page as it opens (groups closed): its nodes in their class shapes and
    colours (SVG path data) and its links as lines, scaled into THUMB_WIDTH × THUMB_HEIGHT, for an inline SVG."""
    shown = {n["id"]: n for n in net.nodes if "member_of" not in n}
    if not shown:
        return {"shapes": [], "lines": []}
    xs = [n["x"] for n in shown.values()]
    ys = [n["y"] for n in shown.values()]
    pad = 8
    scale = min((THUMB_WIDTH - 2 * pad) / max(max(xs) - min(xs), 1), (THUMB_HEIGHT - 2 * pad) / max(max(ys) - min(ys), 1))
    left = (THUMB_WIDTH - scale * (max(xs) - min(xs))) / 2
    top = (THUMB_HEIGHT - scale * (max(ys) - min(ys))) / 2

    def at(n) -> tuple[float, float]:
        return round(left + scale * (n["x"] - min(xs)), 1), round(top + scale * (n["y"] - min(ys)), 1)

    lines = [(*at(shown[e["from"]]), *at(shown[e["to"]]), e["color"]) for e in net.edges
             if e["from"] in shown and e["to"] in shown]
    shapes = []
    for n in shown.values():
        colour, shape, _glyph = page.CLASS_STYLES.get(n["group"], page.CLASS_STYLES["Thing"])
        shapes.append((path_data(page.OUTLINES[shape], *at(n), max(1.5, min(6.0, n["size"] * scale * 0.8))), colour))
    return {"shapes": shapes, "lines": lines}


def path_data(outline: list, x: float, y: float, size: float) -> str:
    """SVG path data for an outline of page.OUTLINES drawn at x, y (fill it even-odd)."""
    parts = []
    for part in outline:
        if isinstance(part, (int, float)):  # a circle: two half arcs
            r = round(part * size, 1)
            parts.append(f"M{round(x + r, 1)} {y}a{r} {r} 0 1 0 {-2 * r} 0a{r} {r} 0 1 0 {2 * r} 0Z")
        else:
            parts.append("M" + "L".join(f"{round(x + px * size, 1)} {round(y + py * size, 1)}" for px, py in part) + "Z")
    return "".join(parts)


def write(graph, folder: Path, lang: str = "en") -> list[Path]:
    """Write every gallery page into ``folder`` (created if need be); the files written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FtzError(f"cannot create {folder}: {exc.strerror}") from exc
    written = []
    for filename, text in pages(graph, lang).items():
        output.write(folder / filename, text)
        written.append(folder / filename)
    return written
