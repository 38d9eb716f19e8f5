"""Presenters: self-contained HTML views of the graph, for people rather than programs.

    >>> g = ftzgraph.open()
    >>> Path("shanghai.html").write_text(g.render("zone", "上海", lang="zh"), encoding="utf-8")

``views`` decides what to show, ``layout`` places large views, ``page`` writes the HTML
and ``gallery`` the committed set in visualizations/.
"""
