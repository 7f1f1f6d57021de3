"""The ``taoyu`` command: a thin layer over the Python API."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, get_args

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from taoyu.catalog import all_steps
from taoyu.executors.task import StrictModeError
from taoyu.io.tasks import InputNotFoundError
from taoyu.ledger import funnel
from taoyu.output import OutputConflictError, OutputDiskFullError, read_json
from taoyu.pipeline import ExecutorNotAvailableError, LedgerMismatchError, Pipeline
from taoyu.recipe import RecipeError, load_recipe
from taoyu.registry import UnknownStepError
from taoyu.steps.base import GlobalStep

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="taoyu (淘语): clean, deduplicated Chinese-first text corpora.",
)
console = Console()
err = Console(stderr=True)


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def run(
    recipe: Annotated[Path, typer.Argument(help="Recipe YAML file.")],
    input: Annotated[
        list[str] | None,
        typer.Option(
            "--input", "-i", help="Input file, folder or glob (repeatable); replaces the recipe's inputs."
        ),
    ] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Output folder.")] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes (0: one per core); on Ray, tasks at a time (0: every CPU)."),
    ] = None,
    executor: Annotated[str | None, typer.Option(help="local or ray.")] = None,
    address: Annotated[
        str | None,
        typer.Option(help="Ray cluster address, host:port or auto (default: RAY_ADDRESS, else auto)."),
    ] = None,
    strict: Annotated[
        bool | None, typer.Option("--strict/--no-strict", help="Stop at the first input error.")
    ] = None,
    keep_rejects: Annotated[
        bool | None,
        typer.Option("--keep-rejects/--no-keep-rejects", help="Also write dropped documents to rejects/."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option(help="Replace an output folder that holds a different run.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more detail to the console.")] = False,
) -> None:
    """Run a recipe: read the inputs, apply the steps, write dataset, ledger and stats."""
    _console_logging(verbose)
    try:
        pipeline = Pipeline.from_recipe(load_recipe(recipe))
        summary = pipeline.run(
            input,
            output,
            workers=workers,
            executor=executor,
            address=address,
            strict=strict,
            keep_rejects=keep_rejects,
            overwrite=overwrite,
            progress=console.is_terminal,
        )
    except (Exception, KeyboardInterrupt) as exc:
        _fail(*_run_failure(exc, output, recipe))
    f = summary.funnel
    verb = "resumed and finished" if summary.resumed else "finished"
    console.print(
        f"[green]{verb}[/] in {summary.seconds:.1f}s: {f.records_in:,} records in, {f.kept:,} kept, "
        f"{f.dropped:,} dropped, {f.input_errors:,} input errors → {summary.output}"
    )


_NOTHING_RAN = (
    RecipeError,
    UnknownStepError,
    InputNotFoundError,
    OutputConflictError,
    ExecutorNotAvailableError,
)
"""A mistake in the command or the recipe, found before any task ran."""


def _run_failure(exc: BaseException, output: str | None, recipe: Path) -> tuple[str, int]:
    """What to tell the user when a run stops, and the exit code: 2 for a mistake in the command or
    the recipe (nothing ran), 1 for a run that stopped (it resumes), 130 for Ctrl-C. An unexpected
    error is shown in one line; its traceback is in the run log."""
    if isinstance(exc, _NOTHING_RAN):
        return str(exc), 2
    if isinstance(exc, StrictModeError | LedgerMismatchError | OutputDiskFullError):
        return str(exc), 1
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted; run the same command again to resume", 130
    if isinstance(exc, OSError):
        return f"{exc}; rerun the same command to resume once it is fixed", 1
    log_hint = f" (details: {output or recipe_output(recipe)}/logs/run.log)"
    return f"the run failed: {type(exc).__name__}: {exc}{log_hint}; rerun the same command to resume", 1


@app.command()
def stats(output: Annotated[Path, typer.Argument(help="Output folder of a run.")]) -> None:
    """Print the funnel: records in, kept, and dropped by which step and why."""
    ledger_dir = output / "ledger"
    if not ledger_dir.is_dir():
        _fail(f"{output} has no ledger/: is it the output folder of a taoyu run?")
    complete = (output / "run.json").exists()
    run_info = read_json(output / "run.json") if complete else {}
    records_in = run_info.get("counts", {}).get("records_in")
    if records_in is None:  # an unfinished run: what its finished tasks read
        records_in = sum(
            read_json(m).get("records_in", 0) for m in (output / "_taoyu" / "markers").glob("phase0-*.json")
        )
    f = funnel(ledger_dir, records_in)
    table = Table(title=f"taoyu funnel: {output}", show_lines=False)
    table.add_column("outcome")
    table.add_column("step")
    table.add_column("reason")
    table.add_column("records", justify="right")
    table.add_column("share", justify="right")
    total = max(f.records_in, 1)
    table.add_row("[bold]records in", "", "", f"{f.records_in:,}", "100.0%")
    table.add_row("[green]kept", "", "", f"{f.kept:,}", f"{100 * f.kept / total:.1f}%")
    for (step, reason), n in sorted(f.dropped_by.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row("[yellow]dropped", step, reason, f"{n:,}", f"{100 * n / total:.1f}%")
    for step, n in sorted(f.errors_by.items()):
        table.add_row("[red]input error", step, "", f"{n:,}", f"{100 * n / total:.1f}%")
    console.print(table)
    if not complete:
        _fail(
            "the run is incomplete (no run.json): rerun it to finish; "
            "the figures above cover finished tasks only",
            1,
        )
    if f.reconciles:
        console.print(
            f"reconciles: {f.records_in:,} in = {f.kept:,} kept + {f.dropped:,} dropped"
            f" + {f.input_errors:,} input errors"
        )
    else:
        _fail(
            f"ledger does not reconcile: {f.records_in:,} in ≠ "
            f"{f.kept + f.dropped + f.input_errors:,} accounted for",
            1,
        )


@app.command()
def why(
    output: Annotated[Path, typer.Argument(help="Output folder of a run.")],
    doc_id: Annotated[str, typer.Argument(help="Document id (as in the dataset's id column or the ledger).")],
) -> None:
    """A document's full story: its source, each step's decision, and for duplicates the kept twin."""
    from taoyu.why import story

    if not (output / "ledger").is_dir():
        _fail(f"{output} has no ledger/: is it the output folder of a taoyu run?")
    found = story(output, doc_id)
    if found is None:
        _fail(f"no record with id {doc_id!r} in {output}/ledger")
    row = found.ledger
    where = f"{row['source_file']} record {row['source_index']}"
    if row["source_offset"] is not None:
        where += f", byte {row['source_offset']}"
    if row["warc_record_id"]:
        where += f", WARC-Record-ID {row['warc_record_id']}"
    console.print(Text.assemble(("document ", "bold"), (doc_id, "bold cyan")))
    console.print(Text(f"  source:  {where}"))
    console.print(
        Text(f"  outcome: {row['outcome']}" + (f" by {row['step']} ({row['reason']})" if row["step"] else ""))
    )
    for event in found.trace:
        line = f"  - {event['step']}: {event['action']}"
        if event.get("reason"):
            line += f" ({event['reason']})"
        if event.get("score") is not None:
            line += f", score {event['score']}" + (
                f" vs threshold {event['threshold']}" if event.get("threshold") is not None else ""
            )
        details = dict(event.get("details") or {})
        removed = details.pop("removed", None)  # lines a step cut out: one per row, not one dict
        if details:
            line += f", {details}"
        console.print(Text(line))
        for index, reason, text in removed or []:
            console.print(Text(f"      line {index} [{reason}] {text}"), highlight=False)
    if found.kept_twin is not None:
        console.print(
            Text(f"  kept twin: {found.kept_twin['id']} ({found.kept_twin.get('url') or 'no url'})")
        )
        if found.diff:
            console.print(Text("\n".join(found.diff)))
        elif found.text is None:
            console.print(Text("  (rerun with --keep-rejects to see the dropped text and a diff)"))


@app.command()
def sample(
    output: Annotated[Path, typer.Argument(help="Output folder of a run.")],
    n: Annotated[int, typer.Option("--n", "-n", help="How many documents to sample.")] = 50,
    kept: Annotated[bool, typer.Option("--kept", help="Only kept documents.")] = False,
    dropped: Annotated[bool, typer.Option("--dropped", help="Only dropped documents.")] = False,
    step: Annotated[str | None, typer.Option(help="Only documents this step dropped.")] = None,
    reason: Annotated[
        str | None, typer.Option(help="Only this reason, or reason family (spam matches spam:spliced).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same sample.")] = 0,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the sample (whole texts) to this JSON Lines file.")
    ] = None,
    chars: Annotated[int, typer.Option(help="Characters of each text to print.")] = 1500,
) -> None:
    """Read a random sample of a run's documents, kept or dropped, with their texts, to audit it."""
    from taoyu.sample import Criteria, render, write_jsonl
    from taoyu.sample import sample as draw_sample

    if not (output / "ledger").is_dir():
        _fail(f"{output} has no ledger/: is it the output folder of a taoyu run?")
    if kept and dropped:
        _fail("--kept and --dropped exclude each other: give one, or neither for both")
    if kept and (step or reason):
        _fail("--step and --reason select dropped documents: they cannot go with --kept")
    if n < 1:
        _fail(f"--n must be at least 1, not {n}")
    if chars < 1:
        _fail(f"--chars must be at least 1, not {chars}")
    criteria = Criteria("kept" if kept else "dropped" if dropped else None, step, reason)
    drawn = draw_sample(output, n, seed, criteria)
    docs = drawn.docs
    if out is not None:
        try:
            write_jsonl(docs, out)
        except OSError as exc:
            _fail(f"cannot write {out}: {exc.strerror or exc}", 1)
        with_text = sum(d.text is not None for d in docs)
        console.print(
            Text(
                f"wrote {len(docs)} of {drawn.matching:,} matching documents (seed {seed}, "
                f"{with_text} with text) to {out}"
            ),
            soft_wrap=True,
        )
        return
    if not docs:
        console.print(Text(f"no ledger rows of {output} match"))
        return
    console.print(
        Text(f"{len(docs)} of {drawn.matching:,} matching documents of {output}, seed {seed}", style="bold")
    )
    for number, doc in enumerate(docs, 1):
        console.print()
        console.print(render(doc, number, len(docs), chars), highlight=False, soft_wrap=True)


@app.command()
def steps() -> None:
    """List every registered step, with its parameters and what it does."""
    for name, cls in all_steps().items():
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        kind = next(k.__name__.lower() for k in cls.__mro__[1:] if k.__module__ == "taoyu.steps.base")
        kind = "globalstep" if issubclass(cls, GlobalStep) else kind
        line = Text.assemble((name, "bold cyan"), (f" ({kind})  ", "dim"), doc)
        console.print(line, highlight=False)
        for pname, field in cls.Params.model_fields.items():
            annotation = (
                str(field.annotation).replace("typing.", "")
                if get_args(field.annotation)
                else getattr(field.annotation, "__name__", str(field.annotation))
            )
            default = (
                "required"
                if field.is_required()
                else f"default {field.get_default(call_default_factory=True)!r}"
            )
            console.print(Text(f"    {pname}: {annotation} ({default})"), highlight=False)


@app.command()
def pii(
    file: Annotated[str, typer.Argument(help="Text file to scan, or - for standard input.")],
    redact_text: Annotated[
        bool, typer.Option("--redact", help="Print the redacted text instead of a report.")
    ] = False,
    mode: Annotated[
        str, typer.Option(help="placeholder (<手机号>) or pseudonym (<手机号1>).")
    ] = "placeholder",
) -> None:
    """Report the PII in a text file (types, lines, masked values), or print it redacted."""
    import sys

    from taoyu.pii import find_pii, redact

    if mode not in ("placeholder", "pseudonym"):
        _fail(f"--mode must be placeholder or pseudonym, not {mode!r}")
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {file}: {exc}")
    findings = find_pii(text)
    if redact_text:
        redacted, _ = redact(text, findings, mode)  # type: ignore[arg-type]
        sys.stdout.write(redacted)
        return
    table = Table(title=f"PII in {file}: {len(findings)} found")
    for column in ("line", "column", "type", "value (masked)"):
        table.add_column(column)
    for f in findings:
        line = text.count("\n", 0, f.start) + 1
        column = f.start - (text.rfind("\n", 0, f.start) + 1) + 1
        table.add_row(str(line), str(column), f.type, _mask(f.value))
    console.print(table)


@app.command()
def export(
    output: Annotated[Path, typer.Argument(help="Output folder of a run labelled with the industry step.")],
    to: Annotated[Path, typer.Option("--to", help="Folder to write the export into.")],
    industry: Annotated[
        str | None, typer.Option(help="Industry codes to export, comma-separated (J,P,Q): a folder each.")
    ] = None,
    min_hq_bucket: Annotated[
        int | None,
        typer.Option(help="Only documents in this quality bucket or above (16 of 20: the best 20%)."),
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace export folders that are not empty.")] = False,
) -> None:
    """Write complete datasets (data, ledger slice, stats): per industry, or of the best-scored documents."""
    from taoyu.export import ExportError, export_industries, export_quality

    if industry is None and min_hq_bucket is None:
        _fail("name --industry codes, --min-hq-bucket, or both")
    try:
        if industry is None:
            n = export_quality(output, min_hq_bucket or 0, to, overwrite)
            console.print(f"{escape(str(to))}: {n:,} documents in quality bucket {min_hq_bucket} or above")
            return
        counts = export_industries(output, industry.split(","), to, overwrite, min_hq_bucket)
    except ExportError as exc:
        _fail(str(exc))
    for code, n in counts.items():
        if n:
            console.print(f"{escape(str(to / code))}: {n:,} documents")
        else:
            console.print(f"{escape(code)}: no document is labelled so; nothing written")


@app.command()
def card(output: Annotated[Path, typer.Argument(help="Output folder of a finished run.")]) -> None:
    """Write OUT/README.md (Hub front matter and prose) and OUT/croissant.json from the run's records."""
    from taoyu.publish.card import write_card
    from taoyu.publish.facts import FactsError

    try:
        readme, jsonld = write_card(output)
    except FactsError as exc:
        _fail(str(exc))
    console.print(f"wrote {escape(str(readme))} and {escape(str(jsonld))}")


@app.command()
def report(output: Annotated[Path, typer.Argument(help="Output folder of a finished run.")]) -> None:
    """Write OUT/report.html: one self-contained page of what the run kept, dropped and why."""
    from taoyu.publish.facts import FactsError
    from taoyu.publish.report import write_report

    try:
        path = write_report(output)
    except FactsError as exc:
        _fail(str(exc))
    console.print(f"wrote {escape(str(path))} ({path.stat().st_size / 1e6:.2f} MB)")


@app.command()
def inspect(
    output: Annotated[Path, typer.Argument(help="Output folder of a run.")],
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1; 0 picks a free one.")] = 0,
) -> None:
    """Browse what a run kept and dropped in a local web app (127.0.0.1 only, with a token)."""
    from taoyu.inspector.server import Inspector

    try:
        server = Inspector(output, port)
    except (ValueError, OSError) as exc:
        _fail(str(exc))
    print(f"taoyu inspect: open {server.url}", flush=True)
    print("(listening on 127.0.0.1 only; Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


quality_app = typer.Typer(no_args_is_help=True, help="The learned quality score (the quality_model step).")
app.add_typer(quality_app, name="quality")


@quality_app.command("train")
def quality_train(
    positives: Annotated[Path, typer.Option(help="JSON Lines of texts you call good (a 'text' field).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Model file to write (.npz).")],
    negatives: Annotated[
        Path | None,
        typer.Option(help="JSON Lines of texts you call bad; default: web junk made from the positives."),
    ] = None,
    field: Annotated[str, typer.Option(help="The field holding the text.")] = "text",
) -> None:
    """Train a quality scorer for your own idea of quality; name it in the recipe (quality_model: model:)."""
    import orjson

    from taoyu.hq.train import read_texts, train

    try:
        good = read_texts(positives, field)
        bad = read_texts(negatives, field) if negatives is not None else None
        model, report = train(good, bad)
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    report_path = output.with_name(output.name + ".report.json")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        model.save(output)
        report_path.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    held = report["held_out"]
    console.print(
        f"wrote {escape(str(output))}: held-out accuracy {held['accuracy']}, AUC {held['auc']} "  # type: ignore[index]
        f"({escape(str(report_path))})"
    )


@app.command()
def keygen(
    path: Annotated[Path, typer.Argument(help="Private key file to write; the public key goes to PATH.pub.")],
    overwrite: Annotated[bool, typer.Option(help="Replace an existing key pair.")] = False,
) -> None:
    """Make an Ed25519 key pair for signing output folders (taoyu sign, taoyu verify)."""
    from taoyu.publish.manifest import ManifestError
    from taoyu.publish.manifest import keygen as make_keys

    try:
        private, public = make_keys(path, overwrite)
    except ManifestError as exc:
        _fail(str(exc))
    console.print(f"private key: {escape(str(private))} (keep it secret)\npublic key:  {escape(str(public))}")


@app.command()
def sign(
    output: Annotated[Path, typer.Argument(help="Output folder of a run (run taoyu card and report first).")],
    key: Annotated[Path, typer.Option(help="Ed25519 private key (taoyu keygen).")],
) -> None:
    """Write OUT/manifest.intoto.json (every file's SHA-256 and the run's provenance) and its signature."""
    from taoyu.publish.manifest import MANIFEST, SIGNATURE, ManifestError
    from taoyu.publish.manifest import sign as sign_folder

    try:
        statement = sign_folder(output, key)
    except ManifestError as exc:
        _fail(str(exc))
    console.print(
        f"signed {len(statement['subject']):,} files: {escape(str(output / MANIFEST))}, "
        f"{escape(str(output / SIGNATURE))}"
    )


@app.command()
def verify(
    output: Annotated[Path, typer.Argument(help="A signed output folder.")],
    pub: Annotated[Path, typer.Option(help="The signer's Ed25519 public key (PATH.pub from taoyu keygen).")],
) -> None:
    """Check the signature, rehash every file and name each one that changed, went missing or appeared."""
    from taoyu.publish.manifest import ManifestError
    from taoyu.publish.manifest import verify as verify_folder

    try:
        result = verify_folder(output, pub)
    except ManifestError as exc:
        _fail(str(exc), code=1)
    if result.ok:
        console.print(f"OK: the signature holds and all {result.files:,} files are as signed")
        return
    for line in result.lines():
        console.print(escape(line), highlight=False)
    _fail(
        f"{len(result.changed)} changed, {len(result.missing)} missing, {len(result.extra)} extra "
        f"of {result.files:,} signed files",
        code=1,
    )


@app.command()
def label(
    text: Annotated[str, typer.Argument(help="A text, a text file, or - for standard input.")],
    model: Annotated[
        Path | None, typer.Option(help="A model from taoyu label-train (default: the built-in GB/T 4754).")
    ] = None,
    url: Annotated[str | None, typer.Option(help="The page's address, when it has one.")] = None,
    top: Annotated[int, typer.Option(help="How many labels to list with their probabilities.")] = 3,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a table.")
    ] = False,
) -> None:
    """Label one text with its industry and content type: a quick check of the labeller."""
    import sys

    import orjson

    from taoyu.industry import content_type
    from taoyu.industry.model import LabelModel

    if text == "-":
        text = sys.stdin.read()
    elif _is_file(text):
        try:
            text = Path(text).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"cannot read {text}: {exc}")
    try:
        labeller = LabelModel.load(model)
    except ValueError as exc:
        _fail(str(exc))
    probs = labeller.predict_proba([text], urls=[url])[0]
    prediction = labeller.prediction(probs)
    kind = content_type.classify(text, url=url)
    names = {lb.code: lb.name for lb in labeller.taxonomy.labels}
    ranked = sorted(zip(labeller.codes, probs.tolist(), strict=True), key=lambda x: -x[1])[: max(top, 1)]
    if as_json:
        out = {
            "industry": prediction.label,
            "industry_score": prediction.score,
            "industry_runner_up": prediction.runner_up,
            "content_type": kind.kind,
            "top": [{"label": c, "name": names[c], "probability": round(p, 4)} for c, p in ranked],
        }
        sys.stdout.write(orjson.dumps(out).decode() + "\n")
        return
    shown = names.get(prediction.label, "no label fits well enough")
    console.print(f"industry: [bold]{escape(prediction.label)}[/] {escape(shown)} ({prediction.score:.2f})")
    console.print(f"content type: [bold]{escape(kind.kind)}[/]")
    table = Table(title=f"{labeller.taxonomy.name}: most probable labels")
    for column in ("label", "name", "probability"):
        table.add_column(column)
    for code, p in ranked:
        table.add_row(escape(code), escape(names[code]), f"{p:.3f}")
    console.print(table)


def _is_file(text: str) -> bool:
    """Whether ``text`` names a file (a paragraph is too long a name for the file system to say)."""
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


@app.command("label-train")
def label_train(
    taxonomy: Annotated[Path, typer.Argument(help="Taxonomy YAML: labels with descriptions and seed words.")],
    input_paths: Annotated[
        list[str],
        typer.Option(
            "--input",
            "-i",
            help="Unlabelled text to learn from: JSONL, Parquet, .txt files, "
            "folders of them, or a taoyu output folder. Repeat for several.",
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the model (.npz).")],
    max_texts: Annotated[int, typer.Option(help="Texts taken from each --input at most.")] = 20000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same model.")] = 0,
) -> None:
    """Train a labeller for your own taxonomy from its seed words and your unlabelled corpus."""
    import itertools

    import orjson

    from taoyu.industry.taxonomy import TaxonomyError, load
    from taoyu.industry.train import TrainConfig, read_texts, train

    try:
        labels = load(taxonomy)
        corpus = [t for path in input_paths for t in itertools.islice(read_texts([path]), max_texts)]
    except (TaxonomyError, FileNotFoundError, ValueError) as exc:
        _fail(str(exc))
    if not corpus:
        _fail(f"no text found in {', '.join(input_paths)} (JSONL or Parquet with a 'text' field, or .txt)")
    model, report = train(labels, corpus, TrainConfig(seed=seed), log=lambda m: err.print(escape(m)))
    output.parent.mkdir(parents=True, exist_ok=True)
    model.save(output)
    output.with_suffix(".report.json").write_bytes(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2))
    console.print(
        f"wrote {output}: {len(labels.labels)} labels from {report.corpus_texts} texts "
        f"({sum(report.weak.values())} with weak labels); held-out accuracy {report.holdout_accuracy:.2f} "
        f"on texts with their seed words cut out; 'other' below {report.threshold:.2f}"
    )
    table = Table(title="how the model labels your corpus")
    for column in ("label", "texts", "weak labels"):
        table.add_column(column)
    for code, n in sorted(report.corpus_labels.items(), key=lambda x: -x[1]):
        table.add_row(escape(code), str(n), str(report.weak.get(code, "")))
    console.print(table)
    console.print("confidence of the winning label: " + ", ".join(
        f"{band}: {n}" for band, n in report.confidence_bands.items()))  # fmt: skip


def _mask(value: str) -> str:
    """Enough to recognise a finding in your own file, not enough to leak it from a report."""
    if len(value) <= 4:
        return "*" * len(value)
    keep = max(1, len(value) // 5)
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


def recipe_output(recipe_path: Path) -> str:
    try:
        return load_recipe(recipe_path).output.path
    except RecipeError:
        return "OUTPUT"


def _console_logging(verbose: bool) -> None:
    logger = logging.getLogger("taoyu")
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    if verbose:
        from rich.logging import RichHandler

        logger.addHandler(RichHandler(console=err, show_path=False))


if __name__ == "__main__":
    app()
