"""The ftzgraph command line: each command parses its arguments, calls one method of
ftzgraph.api.Graph and formats what it returns.

Heavy libraries (pyoxigraph, rdflib, networkx, pyvis, pyshacl) are imported inside
the commands that use them, so `ftzgraph --help` stays instant.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ftzgraph.errors import FtzError, UsageError
from ftzgraph.results import GRAPH_FORMATS, ROW_FORMATS  # a light module: csv, json, vocab

LANGS = ("en", "zh")
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".md": "md", ".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld"}


class OutputPath(click.Path):
    """A file to write: an empty path is refused here, before click would read it as '.'."""

    def __init__(self):
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("the output path is empty", param, ctx)
        if isinstance(value, str) and value.endswith(os.sep):
            self.fail(f"{value!r} names a folder, not a file", param, ctx)
        return super().convert(value, param, ctx)


class FolderPath(click.Path):
    """A folder: an empty path is refused here, before click would read it as '.' (the current folder)."""

    def __init__(self):
        super().__init__(file_okay=False, path_type=Path)

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("the folder path is empty", param, ctx)
        return super().convert(value, param, ctx)


class Seconds(click.FloatRange):
    """A number of seconds: finite (nan and inf pass a FloatRange)."""

    def convert(self, value, param, ctx):
        import math

        seconds = super().convert(value, param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return seconds


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
            message = " ".join(str(exc).split())
            click.echo(f"Error: {type(exc).__name__}: {message} (run with --debug for the traceback)", err=True)
            ctx.exit(1)


def _debug(ctx: click.Context) -> bool:
    return bool((ctx.find_root().obj or {}).get("debug"))


def output_options(formats: tuple[str, ...] = ROW_FORMATS, lang: bool = True, limit: bool = False):
    """The options every command that prints shares: --format, -o, and where they apply --lang and --limit."""

    def decorate(command):
        options = [
            click.option("--format", "fmt", type=click.Choice(formats), default=None,
                         help=f"Output format: {', '.join(formats)} (default: {formats[0]}, or the -o file's extension)."),
            click.option("-o", "--output", type=OutputPath(),
                         help="Write to this file (atomically: a failed write leaves no half file)."),
        ]
        if lang:
            options.append(click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
                                        help="Which labels to show."))
        if limit:
            options.append(click.option("--limit", type=click.IntRange(min=0, max=sys.maxsize),
                                        help="Show at most this many rows."))
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def emit(result_or_text, fmt: str | None, output: Path | None, formats: tuple[str, ...] = ROW_FORMATS) -> None:
    """Print or write a Result (in ``fmt``, else the output file's extension, else the first format) or text."""
    from ftzgraph import output as files

    if not isinstance(result_or_text, str):
        if fmt is None and output is not None and _EXTENSIONS.get(output.suffix.lower()) in formats:
            fmt = _EXTENSIONS[output.suffix.lower()]
        result_or_text = result_or_text.format(fmt)
    if output is not None:
        files.write(output, result_or_text)
    else:
        click.echo(result_or_text, nl=False)


def graph_of(ctx: click.Context):
    from ftzgraph.api import Graph

    options = ctx.find_root().obj
    return Graph(data_dir=options["data"], endpoint=options["endpoint"], user=options["user"], timeout=options["timeout"])


def read_text(path: Path) -> str:
    """A file's text, or standard input's for '-' (a UTF-8 byte-order mark is dropped)."""
    try:
        if str(path) == "-":
            return sys.stdin.buffer.read().decode("utf-8-sig")
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FtzError(f"cannot read {path}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise FtzError(f"cannot read {path}: {exc.strerror}") from exc


def _complete_query_names(_ctx, _param, incomplete: str):
    from click.shell_completion import CompletionItem

    from ftzgraph import catalogue

    return [CompletionItem(q.name, help=q.title) for q in catalogue.catalogue().values() if q.name.startswith(incomplete)]


def _distinct(first: Path | None, second: Path | None, what: str) -> None:
    """Refuse two paths that name one regular file: the second write would replace the first (or the input)."""
    if first is None or second is None or str(first) == "-":
        return
    try:
        same = first.resolve() == second.resolve() or os.path.samefile(first, second)
        special = same and second.exists() and not second.resolve().is_file()
    except OSError:
        return
    if same and not special:
        raise UsageError(f"{what} name the same file, {second}; choose another -o")


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param takes key=value, not {item!r}")
        params[key.strip()] = value
    return params


def _argv_is_text(args: list[str]) -> None:
    """Arguments that were not valid UTF-8 reach Python as lone surrogates; refuse them here."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise UsageError(f"an argument is not valid UTF-8 text: {arg.encode('utf-8', 'surrogateescape')!r}") from exc


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", type=FolderPath(), envvar="FTZGRAPH_DATA",
              help="Use another data folder (e.g. a synthetic graph) instead of the shipped data. Env: FTZGRAPH_DATA.")
@click.option("--endpoint", metavar="URL", envvar="FTZGRAPH_ENDPOINT",
              help="Read the graph from this SPARQL endpoint instead of the local store. Env: FTZGRAPH_ENDPOINT.")
@click.option("--user", metavar="NAME", envvar="FTZGRAPH_USER",
              help="User for the endpoint and push (HTTP Basic or Digest); the password comes from FTZGRAPH_PASSWORD or ~/.netrc.")
@click.option("--endpoint-timeout", type=Seconds(min=0.1), metavar="SECONDS",
              help="How long to wait for an endpoint's answer (default 60).")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(package_name="ftzgraph", help="Show the version and exit.")
@click.pass_context
def cli(ctx: click.Context, data: Path | None, endpoint: str | None, user: str | None, endpoint_timeout: float | None,
        debug: bool):
    """ftzgraph: the open knowledge graph of China's pilot free trade zones.

    \b
    Examples:
      ftzgraph queries                                   list the named queries
      ftzgraph query zones --lang zh                     run one
      ftzgraph query measures-by-body --param body=海关总署
      ftzgraph query "SELECT * WHERE { ?s a ftz:Zone }"  run your own SPARQL
      ftzgraph trace "CPTPP 5.3"                         a clause to the reforms behind it
      ftzgraph serve                                     a SPARQL endpoint on :7878
    """
    if endpoint is not None and not endpoint.strip():
        raise UsageError("--endpoint is empty; give an http(s) URL")
    ctx.obj = {"data": data, "endpoint": endpoint, "user": user, "timeout": endpoint_timeout, "debug": debug}
    _argv_is_text(sys.argv[1:])


@cli.command()
@click.option("--force", is_flag=True, help="Rebuild even if the cached store is up to date.")
@click.pass_context
def build(ctx: click.Context, force: bool):
    """Compile ontology + data into the cached Oxigraph store."""
    graph = graph_of(ctx)
    total = sum(f.stat().st_size for f in graph.files())
    if total > 5_000_000:
        with click.progressbar(length=total, label="Loading", file=sys.stderr) as bar:
            info = graph.build(force=force, progress=lambda _path, size: bar.update(size))
    else:
        info = graph.build(force=force)
    click.echo(f"{info.triples} triples from {info.files} files in {info.location}")


@cli.command()
@click.argument("query", required=False, shell_complete=_complete_query_names)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Read SPARQL from a file ('-' for standard input).")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A named query's parameter; repeatable.")
@output_options(ROW_FORMATS + GRAPH_FORMATS, limit=True)
@click.pass_context
def query(ctx, query, query_file, params, fmt, output, lang, limit):
    """Run a named query, SPARQL text, or a .rq file.

    \b
      ftzgraph query zone-subareas --param zone=zone:fujian
      ftzgraph query -f my.rq --format csv -o out.csv
      echo "SELECT * WHERE { ?z a ftz:FreeTradePort }" | ftzgraph query -f -
    Rows print as table, csv, tsv, md or json; CONSTRUCT and DESCRIBE as ttl, nt or jsonld.
    """
    if (query is None) == (query_file is None):
        raise UsageError("give a named query, SPARQL text, or -f FILE (one of them)")
    _distinct(query_file, output, "-f and -o")
    text = read_text(query_file) if query_file is not None else query
    result = graph_of(ctx).query(text, params=_parse_params(params), lang=lang, limit=limit)
    emit(result, fmt, output, ROW_FORMATS + GRAPH_FORMATS)


@cli.command()
@click.argument("name", required=False, shell_complete=_complete_query_names)
@output_options(lang=False)
def queries(name: str | None, fmt: str | None, output: Path | None):
    """List the named queries, or show one in full with its parameters and SPARQL."""
    from ftzgraph import catalogue

    emit(catalogue.get(name).help_text() if name else catalogue.listing(), fmt, output)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535), help="The port to listen on.")
@click.option("--timeout", default=30.0, show_default=True, type=Seconds(min=1),
              help="Seconds after which a query is stopped.")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE (federated queries): the server then fetches URLs that clients name.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, timeout: float, allow_service: bool):
    """Serve the graph as a read-only SPARQL 1.1 endpoint with a query UI.

    Queries that are too large or too deeply nested are refused, and so is SERVICE
    unless --allow-service; a query runs for at most --timeout seconds; a crashed
    server is restarted.
    """
    from ftzgraph import server

    location = graph_of(ctx).build().location
    code = server.serve(
        location, host, port, timeout=timeout, allow_service=allow_service,
        on_ready=lambda url: click.echo(f"SPARQL endpoint at {url}query — query UI at {url}", err=True),
    )
    ctx.exit(code)


@cli.command()
@click.argument("url")
@click.option("--graph", "graph_iri", metavar="IRI", help="Load into this named graph (default: the default graph).")
@click.option("--append", is_flag=True, help="Add to the graph instead of replacing it.")
@click.option("--chunk", type=click.IntRange(min=1000), metavar="TRIPLES",
              help="Send this many triples per request, for graphs too big for one (the first replaces, the rest append).")
@click.pass_context
def push(ctx: click.Context, url: str, graph_iri: str | None, append: bool, chunk: int | None):
    """Load the graph into a remote store via the Graph Store HTTP Protocol.

    URL is the store's Graph Store endpoint, e.g. http://localhost:7878/store
    (Oxigraph), http://localhost:3030/ds/data (Fuseki) or
    http://localhost:8890/sparql-graph-crud-auth (Virtuoso, with --user and --graph).
    The inferred triples (superclass types, zone-level statements, ftz:within) go along.
    """
    graph = graph_of(ctx)
    total = len(graph.store)
    if chunk and total > chunk:
        with click.progressbar(length=total, label="Pushing", file=sys.stderr) as bar:
            sent = graph.push(url, graph=graph_iri, append=append, chunk=chunk, progress=bar.update)
    else:
        sent = graph.push(url, graph=graph_iri, append=append, chunk=chunk)
    click.echo(f"pushed {sent} triples to {url}" + (f" (graph {graph_iri})" if graph_iri else ""))


@cli.command()
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes; run only the evidence checks.")
@click.pass_context
def validate(ctx: click.Context, no_shacl: bool):
    """Check the data: SHACL shapes, every evidence quote against its lines, labels, coverage."""
    problems = graph_of(ctx).validate(shacl=not no_shacl)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise FtzError(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
    checked = "quote, label and core statement" if no_shacl else "SHACL shape, quote, label and core statement"
    click.echo(f"valid: every {checked} checks out")


@cli.command()
@output_options(("table", "md", "json"), lang=False)
@click.pass_context
def stats(ctx: click.Context, fmt: str | None, output: Path | None):
    """Counts by class and the evidence coverage of core statements."""
    from ftzgraph.results import format_many

    classes, coverage = graph_of(ctx).stats()
    emit(format_many({"classes": classes, "coverage": coverage}, fmt or "table"), None, output)


@cli.command()
@click.argument("target")
@click.option("--html", "html_file", type=OutputPath(),
              help="Also draw the trace as a self-contained HTML view.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Stop the walk at this many nodes (the output then says it was truncated).")
@click.option("--full", is_flag=True, help="Show a treaty article's whole text, not only its first sentence.")
@output_options(("tree", "md", "json"))
@click.pass_context
def trace(ctx, target, html_file, max_nodes, full, fmt, output, lang):
    """Trace a clause, agreement, measure, 文号, zone or body to everything linked.

    \b
      ftzgraph trace "CPTPP 5.3"
      ftzgraph trace "DEPA module 2" --format md
      ftzgraph trace 国函〔2024〕156号 --lang zh
      ftzgraph trace "CPTPP 5.3" --html trace.html
      ftzgraph trace "CPTPP 5.7" --full
    Every edge shows its basis and evidence: source file, lines and quote.
    """
    from ftzgraph import output as files
    from ftzgraph import trace as tracing

    _distinct(html_file, output, "--html and -o")
    graph = graph_of(ctx)
    result = graph.trace(target, max_nodes=max_nodes)
    if result.truncated:
        click.echo(f"Warning: the trace stopped at {max_nodes} nodes (--max-nodes)", err=True)
    if html_file is not None:
        files.write(html_file, graph.render(result, lang=lang))
    if fmt == "json":
        emit(result.to_json() + "\n", None, output)
    else:
        emit({"md": tracing.render_md}.get(fmt, tracing.render_tree)(result, lang, full), None, output)


@cli.command()
@click.argument("agreement")
@click.option("--matrix", is_flag=True, help="Print the chapter × zone matrix of aligned measures instead.")
@click.option("--heatmap", type=OutputPath(), help="Also draw the matrix as a PNG (needs ftzgraph[plot]).")
@click.option("--level", type=click.Choice(("all", "chapter", "article")), default="all", show_default=True,
              help="Which provisions get a row: chapters (and modules), articles, or all of them.")
@output_options()
@click.pass_context
def gaps(ctx, agreement, matrix, heatmap, level, fmt, output, lang):
    """Coverage of an agreement: aligned measures, documents and zones per chapter and article.

    \b
      ftzgraph gaps CPTPP
      ftzgraph gaps CPTPP --level article --format csv -o cptpp-articles.csv
      ftzgraph gaps DEPA --format md
      ftzgraph gaps RCEP --matrix --format csv --heatmap rcep.png
    """
    _distinct(heatmap, output, "--heatmap and -o")
    graph = graph_of(ctx)
    if matrix or heatmap:
        grid = graph.gaps_matrix(agreement)
        if heatmap:
            grid.heatmap(heatmap)
        if matrix:
            emit(grid.result(), fmt, output)
        return
    emit(graph.gaps(agreement, lang, level), fmt, output)


@cli.command()
@click.argument("query", metavar="TEXT-OR-MEASURE")
@click.option("--agreement", default="CPTPP", show_default=True, help="The agreement whose articles are ranked.")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True, help="How many articles to show.")
@click.option("--accept", "rank", type=click.IntRange(min=1), metavar="RANK",
              help="Write the suggestion at this rank to the --review file, for a person to check (a measure only).")
@click.option("--review", "review_file", type=OutputPath(), default="suggestions-review.ttl", show_default=True,
              help="The review file --accept appends to; it must lie outside the data folder.")
@output_options(lang=False)
@click.pass_context
def suggest(ctx, query, agreement, top, rank, review_file, fmt, output):
    """Rank treaty articles that a measure, or a Chinese or English text, may answer.

    BM25 over the article texts, with Chinese carried into English by the glossary
    (data/glossary.ttl). A suggestion is never a fact: --accept writes it to a review
    file with basis "suggested", which validate refuses in data/ until a person has
    checked the treaty text and made it curated.

    \b
      ftzgraph suggest "对进口货物实施预裁定"
      ftzgraph suggest measure:gh2024-156-01 --top 3
      ftzgraph suggest measure:gh2024-156-01 --accept 1 --review review.ttl
    """
    graph = graph_of(ctx)
    if rank is not None:
        evidence = graph.accept_suggestion(review_file, query, rank, agreement)
        click.echo(f"wrote {evidence} to {review_file}", err=True)
        return
    emit(graph.suggest(query, agreement, top), fmt, output)


@cli.command()
@output_options(limit=True)
@click.pass_context
def conflicts(ctx, fmt, output, lang, limit):
    """Every recorded disagreement between or within the sources, with both claims' evidence."""
    emit(graph_of(ctx).conflicts(lang).head(limit), fmt, output)


@cli.command()
@click.argument("analysis", type=click.Choice(["centrality", "communities", "diffusion", "similarity"]))
@click.option("--agreement", metavar="AGREEMENT", help="Centrality among the bodies behind this agreement's alignments only.")
@output_options(limit=True)
@click.pass_context
def analyze(ctx, analysis, agreement, fmt, output, lang, limit):
    """Network analyses: body centrality, communities, zone-to-nation diffusion, zone similarity.

    \b
      ftzgraph analyze centrality --limit 10
      ftzgraph analyze centrality --agreement CPTPP --limit 5
      ftzgraph analyze communities --format json
    """
    emit(graph_of(ctx).analyze(analysis, lang=lang, agreement=agreement).head(limit), fmt, output)


@cli.command()
@click.argument("indicator")
@click.option("--area", metavar="ZONE", help="What the series is about: a zone, a sub-area, "
              "concept:area-all-ftz (default) or concept:area-china.")
@click.option("--by", type=click.Choice(("year", "zone")), default="year", show_default=True,
              help="Draw the indicator over time, or across the zones and sub-areas in one --year.")
@click.option("--year", type=click.IntRange(1900, 2100), metavar="YYYY", help="The year --by zone draws.")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True, help="Which labels to show.")
@click.option("-o", "--output", type=OutputPath(), required=True, help="The .png or .svg file to write (atomically).")
@click.pass_context
def chart(ctx, indicator, area, by, year, lang, output):
    """Draw an indicator over time or across zones as PNG or SVG (needs ftzgraph[plot]).

    \b
      ftzgraph chart concept:indicator-import-export-share -o share.svg
      ftzgraph chart 实际使用外资 --area zone:hainan --lang zh -o fdi.png
      ftzgraph chart concept:indicator-003-fdi-growth --by zone --year 2024 -o growth.png
    One bar per figure, labelled with its value; where the sources give several figures
    for one period, each is drawn and labelled with its source. The caption cites them.
    """
    drawn = graph_of(ctx).chart(indicator, output, area=area, by=by, year=year, lang=lang)
    click.echo(f"wrote {drawn.path}: {len(drawn.observations)} observations", err=True)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv", "ttl", "nt", "jsonld"]), required=True,
              help="graphml or gexf (Gephi, Cytoscape), csv (PATH.nodes.csv + PATH.edges.csv), or RDF: ttl, nt, jsonld.")
@click.option("--class", "cls", metavar="CLASS", help="Only entities of this class, e.g. GovernmentBody.")
@click.option("--zone", metavar="ZONE", help="Only what a trace of this zone reaches.")
@click.option("--agreement", metavar="AGREEMENT", help="Only what a trace of this agreement reaches.")
@click.option("-o", "--output", type=OutputPath(), required=True, help="The file to write (atomically).")
@click.pass_context
def export(ctx, fmt, cls, zone, agreement, output):
    """Export the graph or a subgraph for Gephi, Cytoscape or another RDF store.

    \b
      ftzgraph export --format graphml -o ftz.graphml
      ftzgraph export --format gexf --agreement CPTPP -o cptpp.gexf
      ftzgraph export --format csv --class GovernmentBody -o bodies.csv
    """
    written = graph_of(ctx).export(fmt, output, cls=cls, zone=zone, agreement=agreement)
    click.echo("wrote " + ", ".join(str(p) for p in written), err=True)


@cli.command("render")
@click.argument("view", required=False, metavar="[VIEW]")
@click.argument("name", required=False, metavar="[NAME]")
@click.option("-o", "--output", type=OutputPath(), help="The HTML file to write (atomically).")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
              help="The labels the page opens with (it can switch).")
@click.option("--query", "query_file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Draw a CONSTRUCT, or a SELECT with ?source ?target [?label], from a .rq file ('-' for stdin).")
@click.option("--gallery", type=FolderPath(),
              help="Regenerate the whole gallery (and its index.html) in this folder.")
@click.pass_context
def render_command(ctx, view, name, output, lang, query_file, gallery):
    """Draw a view as one self-contained HTML file that works offline (built with pyvis).

    \b
    Views: overview, map, timeline, zone NAME, body NAME, agreement NAME, trace TARGET.
      ftzgraph render overview -o overview.html
      ftzgraph render map -o map.html
      ftzgraph render timeline -o timeline.html
      ftzgraph render zone 上海 -o shanghai.html --lang zh
      ftzgraph render body 海关总署 -o gacc.html
      ftzgraph render trace "CPTPP 5.3" -o trace.html
      ftzgraph render --query my.rq -o mine.html
      ftzgraph render --gallery visualizations/
    """
    from ftzgraph import output as files

    graph = graph_of(ctx)
    if gallery is not None:
        if view or query_file or output:
            raise UsageError("--gallery takes only a folder")
        for path in graph.gallery(gallery, lang):
            click.echo(f"{path}  {path.stat().st_size // 1024} KiB")
        return
    if output is None:
        raise UsageError("give -o FILE.html (or --gallery DIR)")
    if query_file is not None:
        if view:
            raise UsageError("give a VIEW or --query FILE, not both")
        _distinct(query_file, output, "--query and -o")
        page = graph.render("query", read_text(query_file), lang=lang)
    elif view:
        page = graph.render(view, name, lang=lang)
    else:
        raise UsageError("give a VIEW (overview, map, timeline, zone, body, agreement, trace), --query FILE or --gallery DIR")
    files.write(output, page)
    click.echo(f"wrote {output}", err=True)


@cli.command()
@click.option("--measures", "n", type=click.IntRange(min=1), required=True, metavar="N",
              help="How many measures; each brings about 33 triples, so 30000 ≈ 1 M triples.")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed writes the same bytes.")
@click.option("-o", "--output", type=FolderPath(), required=True,
              help="An empty folder, or one an earlier synth wrote (its files are replaced).")
def synth(n, seed, output):
    """Write a synthetic graph in the real graph's shape, for benchmarks and scale tests.

    \b
      ftzgraph synth --measures 30000 --seed 1 -o /tmp/synth-1m
      ftzgraph --data /tmp/synth-1m query bodies-ranked
    """
    from ftzgraph import synth as synthetic

    try:
        counts = synthetic.generate(n, seed, output)
    except OSError as exc:
        raise FtzError(f"cannot write {output}: {exc.strerror}" if exc.strerror else str(exc)) from exc
    click.echo(f"{output}: {counts['triples']:,} triples ({counts['measures']:,} measures, "
               f"{counts['documents']:,} documents, {counts['evidence']:,} evidence) in {counts['files']} files", err=True)


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=OutputPath(),
              help="Write the candidates (Turtle) here and the normalised text beside them; without it, only list them.")
@click.option("--source-id", metavar="ID", help="The new source's id, source:ID (default: from the file name).")
@click.option("--title", metavar="TEXT", help="The new source's title (default: its first line that is more than a date or number).")
@click.option("--evaluate", is_flag=True, help="Instead: leave-one-report-out precision and recall on the shipped reports.")
@click.pass_context
def extract(ctx, file, output, source_id, title, evaluate):
    """Propose candidate statements, with evidence, from a policy text (text, HTML, PDF, .docx).

    \b
      ftzgraph extract notice.txt -o notice.candidates.ttl
      ftzgraph extract --evaluate
    Nothing enters the graph here: `ftzgraph review` decides.
    """
    if evaluate == (file is not None):
        raise UsageError("give a FILE or --evaluate (one of them)")
    if evaluate and (output or source_id or title):
        raise UsageError("--evaluate takes no -o, --source-id or --title")
    result = graph_of(ctx).extract(file, output=output, source_id=source_id, evaluate=evaluate, title=title)
    emit(result.listing(), None, None)


@cli.command()
@click.argument("candidates", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--into", type=FolderPath(),
              help="The data folder to write into (default: the graph's); a new folder starts as a copy of it.")
@click.option("--accept-all-matched", is_flag=True,
              help="Accept, without asking, the statements whose entities are all in the graph; leave the rest open.")
@click.option("--reviewer", metavar="NAME", help="Who decides, recorded on each accepted statement (default: $USER).")
@click.pass_context
def review(ctx, candidates, into, accept_all_matched, reviewer):
    """Go through extracted candidates one at a time: accept, reject, edit, skip.

    \b
      ftzgraph review notice.candidates.ttl --into mygraph
    Decisions are kept beside the candidates, so a second run asks only what is open.
    """
    emit(graph_of(ctx).review(candidates, into, reviewer=reviewer, accept_all_matched=accept_all_matched).listing(),
         None, None)


def main() -> None:
    """The console entry point: click's usage errors, like ours, in one line."""
    try:
        code = cli.main(prog_name="ftzgraph", standalone_mode=False)
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "ftzgraph"
        click.echo(f"Error: {exc.format_message()} (see `{where} --help`)", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"Error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
