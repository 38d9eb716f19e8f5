"""The ftzgraph command line: a thin layer over the Python API.

Heavy libraries (pyoxigraph, rdflib, networkx, pyvis, pyshacl) are imported inside
the commands that use them, so `ftzgraph --help` stays instant.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ftzgraph.errors import FtzError, UsageError

FORMATS = ("table", "csv", "tsv", "json", "md", "ttl", "nt", "jsonld")
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".md": "md", ".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld"}


class Group(click.Group):
    """Turns FtzError (and anything unexpected) into one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except FtzError as exc:
            if _debug(ctx):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # The reader has gone (`ftzgraph stats | head`): stop quietly, as Unix tools do;
            # stdout goes to devnull so that the interpreter's final flush cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:  # a bug: still one line, with --debug for the traceback
            if _debug(ctx):
                raise
            click.echo(f"Error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", err=True)
            ctx.exit(1)


def _debug(ctx: click.Context) -> bool:
    return bool((ctx.obj or {}).get("debug"))


def write_output(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temp file in the same folder, renamed into place."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FtzError(f"cannot write {path}: {exc.strerror}") from exc


def _graph(ctx: click.Context, endpoint: str | None = None):
    from ftzgraph.api import Graph

    return Graph(data_dir=ctx.obj.get("data"), endpoint=endpoint)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param takes key=value, not {item!r}")
        params[key.strip()] = value
    return params


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), envvar="FTZGRAPH_DATA",
              help="Use another data folder (e.g. a synthetic graph) instead of the shipped data.")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(package_name="ftzgraph")
@click.pass_context
def cli(ctx: click.Context, data: Path | None, debug: bool):
    """ftzgraph: the open knowledge graph of China's pilot free trade zones.

    \b
    Examples:
      ftzgraph queries                                   list the named queries
      ftzgraph query zones --lang zh                     run one
      ftzgraph query measures-by-body --param body=海关总署
      ftzgraph query "SELECT * WHERE { ?s a ftz:Zone }"  run your own SPARQL
      ftzgraph serve                                     a SPARQL endpoint on :7878
    """
    ctx.obj = {"data": data, "debug": debug}


@cli.command()
@click.option("--force", is_flag=True, help="Rebuild even if the cached store is up to date.")
@click.pass_context
def build(ctx: click.Context, force: bool):
    """Compile ontology + data into the cached Oxigraph store."""
    from ftzgraph import store

    graph = _graph(ctx)
    files = graph.files()
    total = sum(f.stat().st_size for f in files)
    if total > 5_000_000:
        with click.progressbar(length=total, label="Loading", file=sys.stderr) as bar:
            location = store.build(files, progress=lambda _p, size: bar.update(size), force=force)
    else:
        location = store.build(files, force=force)
    info = store.manifest(location)
    click.echo(f"{info['triples']} triples from {len(files)} files in {location}")


@cli.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False, path_type=Path), help="Read SPARQL from a file.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A named query's parameter; repeatable.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Output format (default: table, or ttl for graphs).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Which labels to show.")
@click.option("--limit", type=click.IntRange(min=0), help="Show at most this many rows.")
@click.option("--endpoint", metavar="URL", help="Run on a remote SPARQL endpoint instead of the local store.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file (atomically).")
@click.pass_context
def query(ctx, query, query_file, params, fmt, lang, limit, endpoint, output):
    """Run a named query, SPARQL text, or a .rq file.

    \b
      ftzgraph query zone-subareas --param zone=zone:fujian
      ftzgraph query -f my.rq --format csv -o out.csv
      ftzgraph query aligned-with --param target=provision:cptpp-ch5 --endpoint http://host/sparql
    """
    from ftzgraph.results import render

    if (query is None) == (query_file is None):
        raise UsageError("give a named query, SPARQL text, or -f FILE (one of them)")
    if query_file is not None:
        try:
            text = query_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise FtzError(f"cannot read {query_file}: {exc.strerror}") from exc
    else:
        text = query
    if fmt is None and output is not None:
        fmt = _EXTENSIONS.get(output.suffix.lower())
    result = _graph(ctx, endpoint).query(text, params=_parse_params(params), lang=lang, limit=limit)
    rendered = render(result, fmt)
    if output is not None:
        write_output(output, rendered)
    else:
        click.echo(rendered, nl=False)


@cli.command()
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]), default="table")
def queries(name: str | None, fmt: str):
    """List the named queries, or show one in full."""
    import json

    from ftzgraph import catalogue

    if name:
        named = catalogue.get(name)
        click.echo(f"{named.name}: {named.title}\n\n{named.description}\n")
        for param in named.params:
            default = "required" if param.required else f"default {param.default}"
            click.echo(f"  --param {param.name}=…  ({param.kind}, {default}) {param.doc}")
        for example in named.examples:
            click.echo(f"\n  $ {example}")
        click.echo("\n" + named.text)
        return
    items = list(catalogue.catalogue().values())
    if fmt == "json":
        click.echo(json.dumps([
            {"name": q.name, "title": q.title, "description": q.description, "examples": q.examples,
             "params": [{"name": p.name, "kind": p.kind, "default": p.default, "doc": p.doc} for p in q.params]}
            for q in items], ensure_ascii=False, indent=1))
        return
    if fmt == "md":
        click.echo("| query | what it answers | parameters |\n|---|---|---|")
        for q in items:
            params = ", ".join(p.name for p in q.params) or "—"
            click.echo(f"| `{q.name}` | {q.title} | {params} |")
        return
    width = max(len(q.name) for q in items)
    for q in items:
        params = " ".join(f"{p.name}=" for p in q.params if p.name != "lang")
        click.echo(f"{q.name.ljust(width)}  {q.title}" + (f"  [{params}]" if params else ""))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
def serve(ctx: click.Context, host: str, port: int):
    """Serve the graph as a read-only SPARQL 1.1 endpoint with a query UI."""
    from ftzgraph import server, store

    location = store.build(_graph(ctx).files())
    code = server.serve(
        location, host, port,
        on_ready=lambda url: click.echo(f"SPARQL endpoint at {url}query — query UI at {url}", err=True),
    )
    ctx.exit(code)


@cli.command()
@click.argument("url")
@click.option("--graph", "graph_iri", metavar="IRI", help="Load into this named graph (default: the default graph).")
@click.option("--append", is_flag=True, help="Add to the graph instead of replacing it.")
@click.pass_context
def push(ctx: click.Context, url: str, graph_iri: str | None, append: bool):
    """Load the graph into a remote store via the Graph Store HTTP Protocol.

    URL is the store's Graph Store endpoint, e.g. http://localhost:7878/store
    (Oxigraph) or http://localhost:3030/ds/data (Fuseki).
    """
    import tempfile

    import pyoxigraph as ox

    from ftzgraph import remote

    graph = _graph(ctx)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "graph.nt"
        graph.store.dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        remote.push(url, dump, graph=graph_iri, append=append)
        click.echo(f"pushed {len(graph.store)} triples to {url}")


@cli.command()
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes; run only the evidence checks.")
@click.pass_context
def validate(ctx: click.Context, no_shacl: bool):
    """Check the data: SHACL shapes, every evidence quote against its lines, labels, coverage."""
    from ftzgraph import paths
    from ftzgraph.validate import validate as run

    data_dir = ctx.obj.get("data") or paths.data_dir()
    problems = run(Path(data_dir), use_shacl=not no_shacl)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise FtzError(f"{len(problems)} problems")
    checked = "quote, label and core statement" if no_shacl else "SHACL shape, quote, label and core statement"
    click.echo(f"valid: every {checked} checks out")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "md", "json"]), default="table")
@click.pass_context
def stats(ctx: click.Context, fmt: str):
    """Counts by class and the evidence coverage of core statements."""
    from ftzgraph.results import render

    graph = _graph(ctx)
    click.echo(render(graph.query("class-counts"), fmt), nl=False)
    click.echo()
    click.echo(render(graph.query("evidence-coverage"), fmt), nl=False)


@cli.command()
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(["tree", "json", "md"]), default="tree")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file (atomically).")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also draw the trace as a self-contained HTML view.")
@click.pass_context
def trace(ctx, target, fmt, lang, output, html_file):
    """Trace a clause, agreement, measure, 文号, zone or body to everything linked.

    \b
      ftzgraph trace "CPTPP 5.3"
      ftzgraph trace "DEPA module 2" --format md
      ftzgraph trace 国函〔2024〕156号 --lang zh
      ftzgraph trace "CPTPP 5.3" --html trace.html
    Every edge shows its basis and evidence: source file, lines and quote.
    """
    from ftzgraph import trace as tracing

    graph = _graph(ctx)
    result = tracing.trace(graph, target)
    text = {"tree": tracing.render_tree, "md": tracing.render_md}.get(fmt, lambda t, _l: t.to_json() + "\n")(result, lang)
    if html_file is not None:
        from ftzgraph import render as presenters

        write_output(html_file, presenters.to_html(presenters.from_trace(graph, result), lang, graph))
    _emit(text, output)


def _emit(text: str, output: Path | None) -> None:
    if output is not None:
        write_output(output, text)
    else:
        click.echo(text, nl=False)


def _rows_text(rows: list[dict], fmt: str) -> str:
    """Plain dict rows in the same table/csv/md/json formats as query results."""
    import csv
    import io
    import json

    from ftzgraph.results import format_table

    columns = list(rows[0]) if rows else []
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    cells = [["" if r[c] is None else str(r[c]) for c in columns] for r in rows]
    return format_table(columns, cells, markdown=fmt == "md")


@cli.command()
@click.argument("agreement")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "csv", "json"]), default="table")
@click.option("--matrix", "matrix_fmt", type=click.Choice(["csv", "md"]), help="Print the chapter × zone matrix instead.")
@click.option("--heatmap", type=click.Path(dir_okay=False, path_type=Path), help="Also draw the matrix as a PNG.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file (atomically).")
@click.pass_context
def gaps(ctx, agreement, fmt, matrix_fmt, heatmap, lang, output):
    """Coverage of an agreement: aligned measures, documents and zones per chapter and article.

    \b
      ftzgraph gaps CPTPP
      ftzgraph gaps DEPA --format md
      ftzgraph gaps RCEP --matrix csv --heatmap rcep.png
    """
    from ftzgraph import gaps as coverage

    graph = _graph(ctx)
    if matrix_fmt or heatmap:
        chapters, zones, cells = coverage.matrix(graph, agreement)
        if heatmap:
            tmp = heatmap.with_name(f".{heatmap.name}.tmp.png")
            try:
                coverage.heatmap(chapters, zones, cells, tmp, f"{agreement}: aligned measures per chapter and zone")
                os.replace(tmp, heatmap)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise FtzError(f"cannot write {heatmap}: {exc.strerror}") from exc
        if matrix_fmt:
            _emit(coverage.matrix_text(chapters, zones, cells, matrix_fmt), output)
        return
    report = coverage.coverage(graph, agreement, lang)
    rows = [{**r, "gap": "GAP" if r["gap"] else ""} for r in report["rows"]]
    summary = (f"{report['agreement']}: {report['chapters_covered']} of {report['chapters']} chapters/modules "
               f"have at least one aligned measure or document; "
               f"{report['aligned_with_agreement_only']} more align with the agreement as a whole")
    if fmt == "json":
        _emit(_rows_text([report], "json"), output)
    else:
        _emit(_rows_text(rows, fmt) + ("" if fmt == "csv" else summary + "\n"), output)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "md", "csv", "json"]), default="table")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file (atomically).")
@click.pass_context
def conflicts(ctx, fmt, lang, output):
    """Every recorded disagreement between or within the sources, with both claims' evidence."""
    from ftzgraph.results import render

    result = _graph(ctx).query("disagreements", lang=lang)
    _emit(render(result, fmt), output)


@cli.command()
@click.argument("analysis", type=click.Choice(["centrality", "communities", "diffusion", "similarity"]))
@click.option("--format", "fmt", type=click.Choice(["table", "md", "csv", "json"]), default="table")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many rows.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file (atomically).")
@click.option("--agreement", metavar="AGREEMENT", help="Centrality among the bodies behind this agreement's alignments only.")
@click.pass_context
def analyze(ctx, analysis, fmt, lang, limit, output, agreement):
    """Network analyses: body centrality, communities, zone-to-nation diffusion, zone similarity.

    \b
      ftzgraph analyze centrality --limit 10
      ftzgraph analyze centrality --agreement CPTPP --limit 5
      ftzgraph analyze communities --format json
    """
    from ftzgraph import networks

    if agreement is not None:
        if analysis != "centrality":
            raise UsageError("--agreement works with centrality only")
        rows = networks.centrality(_graph(ctx), lang, agreement)
    else:
        rows = networks.ANALYSES[analysis](_graph(ctx), lang)
    _emit(_rows_text(rows[:limit] if limit else rows, fmt), output)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv", "ttl", "nt", "jsonld"]), required=True)
@click.option("--class", "cls", metavar="CLASS", help="Only entities of this class, e.g. GovernmentBody.")
@click.option("--zone", metavar="ZONE", help="Only what a trace of this zone reaches.")
@click.option("--agreement", metavar="AGREEMENT", help="Only what a trace of this agreement reaches.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_context
def export(ctx, fmt, cls, zone, agreement, output):
    """Export the graph or a subgraph for Gephi, Cytoscape or another RDF store.

    \b
      ftzgraph export --format graphml -o ftz.graphml
      ftzgraph export --format gexf --agreement CPTPP -o cptpp.gexf
      ftzgraph export --format csv --class GovernmentBody -o bodies.csv
    """
    import tempfile

    from ftzgraph import export as exporting

    graph = _graph(ctx)
    nodes = exporting.select_nodes(graph, cls, zone, agreement)
    if fmt in exporting.RDF_FORMATS:
        _emit(exporting.rdf_text(graph, fmt, nodes), output)
        return
    g = exporting.network(graph, nodes)
    if not output.parent.is_dir():
        raise FtzError(f"cannot write {output}: no such directory")
    with tempfile.TemporaryDirectory(dir=output.parent) as tmp:
        written = exporting.write_network(g, fmt, Path(tmp) / output.name)
        for path in written:
            os.replace(path, output.parent / path.name)
    click.echo(f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges → "
               + ", ".join(str(output.parent / p.name) for p in written), err=True)


@cli.command("render")
@click.argument("view", required=False, metavar="[VIEW]")
@click.argument("name", required=False, metavar="[NAME]")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="The HTML file to write.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Label language (the page can switch).")
@click.option("--query", "query_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Draw a CONSTRUCT, or a SELECT with ?source ?target [?label], from a .rq file.")
@click.option("--gallery", type=click.Path(file_okay=False, path_type=Path),
              help="Regenerate the whole gallery (and its index.html) in this folder.")
@click.pass_context
def render_command(ctx, view, name, output, lang, query_file, gallery):
    """Draw a view as one self-contained HTML file that works offline.

    \b
    Views: overview, zone NAME, body NAME, agreement NAME, trace TARGET.
      ftzgraph render overview -o overview.html
      ftzgraph render zone zone:shanghai -o shanghai.html --lang en
      ftzgraph render body 海关总署 -o gacc.html
      ftzgraph render trace provision:cptpp-5.3 -o trace.html
      ftzgraph render --query my.rq -o mine.html
      ftzgraph render --gallery visualizations/
    """
    from ftzgraph import render as presenters

    graph = _graph(ctx)
    if gallery is not None:
        if view or query_file or output:
            raise UsageError("--gallery takes only a folder")
        try:
            gallery.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FtzError(f"cannot create {gallery}: {exc.strerror}") from exc
        for filename, page in presenters.gallery(graph, lang).items():
            write_output(gallery / filename, page)
            click.echo(f"{gallery / filename}  {len(page.encode('utf-8')) // 1024} KiB")
        return
    if output is None:
        raise UsageError("give -o FILE.html (or --gallery DIR)")
    if query_file is not None:
        if view:
            raise UsageError("give a VIEW or --query FILE, not both")
        try:
            text = query_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise FtzError(f"cannot read {query_file}: {exc.strerror}") from exc
        drawn = presenters.query_view(graph, text)
    elif view:
        drawn = presenters.build_view(graph, view, name)
    else:
        raise UsageError(f"give a VIEW ({', '.join(presenters.VIEWS)}), --query FILE or --gallery DIR")
    write_output(output, presenters.to_html(drawn, lang, graph))
    click.echo(f"{output}: {len(drawn.nodes)} nodes, {len(drawn.edges)} edges", err=True)


@cli.command()
@click.option("--measures", "n", type=click.IntRange(min=1), required=True, metavar="N",
              help="How many measures; each brings about 33 triples, so 30000 ≈ 1 M triples.")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed writes the same bytes.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="An empty folder, or one an earlier synth wrote (its files are replaced).")
def synth(n, seed, output):
    """Write a synthetic graph in the real graph's shape, for benchmarks and scale tests.

    \b
      ftzgraph synth --measures 30000 --seed 1 -o /tmp/synth-1m
      ftzgraph --data /tmp/synth-1m query bodies-ranked
      FTZGRAPH_DATA=/tmp/synth-1m ftzgraph gaps CPTPP
    """
    from ftzgraph import synth as synthetic

    try:
        counts = synthetic.generate(n, seed, output)
    except OSError as exc:
        raise FtzError(f"cannot write {output}: {exc.strerror}" if exc.strerror else str(exc)) from exc
    click.echo(f"{output}: {counts['triples']:,} triples ({counts['measures']:,} measures, "
               f"{counts['documents']:,} documents, {counts['evidence']:,} evidence) in {counts['files']} files", err=True)


def main() -> None:
    cli(prog_name="ftzgraph")


if __name__ == "__main__":
    main()
