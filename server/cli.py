"""The ``sidenote`` command: serve the API, annotate files, reproduce the evaluation figures."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import multiprocessing
import os
import resource
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any, TextIO

import marshmallow as ma

from server.config import Config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sidenote",
        description="Serve the Sidenote API, annotate files, reproduce the evaluation figures.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=0,
        help="gunicorn worker processes; 0 (default) runs the development server",
    )

    annotate = commands.add_parser(
        "annotate", help="annotate a text file, or JSON lines with --jsonl"
    )
    annotate.add_argument("input", help="a file path, or - for standard input")
    annotate.add_argument(
        "--jsonl", action="store_true", help='input lines {"id", "text", "url"?, "title"?}'
    )
    annotate.add_argument("--url")
    annotate.add_argument("--title")
    annotate.add_argument("--features", help="comma-separated subset of opinions,quotes,outlets")
    annotate.add_argument("--offset-unit", choices=("codepoint", "utf16"), default="codepoint")
    annotate.add_argument(
        "--format",
        choices=("json", "w3c"),
        default="json",
        help="w3c: a W3C Web Annotation AnnotationPage (JSON-LD) per article, code-point offsets",
    )
    annotate.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="with --jsonl, articles annotated at once, one process each (0: one per CPU)",
    )

    evaluate = commands.add_parser("eval", help="score an analyzer on a data file")
    evaluate.add_argument(
        "analyzer",
        choices=("quotes", "opinions", "reader"),
        help="reader: the opinion highlights against the reader data's two annotators",
    )
    evaluate.add_argument("path", help="a JSONL file in the format of ../shared/data/<analyzer>/")
    evaluate.add_argument("--per-doc", action="store_true", help="reader: a line per article")

    feedback = commands.add_parser(
        "feedback", help="readers' feedback kept in Redis: export it as JSON lines, or clear it"
    )
    feedback.add_argument("action", choices=("export", "clear"))

    commands.add_parser("config", help="print every setting with its default")

    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve_http(args.host, args.port, args.workers)
    if args.command == "annotate":
        return annotate_files(args)
    if args.command == "feedback":
        return feedback_records(args.action)
    if args.command == "eval":
        evaluation = importlib.import_module(f"server.evaluation.{args.analyzer}")
        if args.analyzer == "reader":
            return evaluation.run(args.path, per_doc=args.per_doc)
        return evaluation.run(args.path)
    for variable, default, meaning in Config.table():
        print(f"{variable:28} {default:24} {meaning}")
    return 0


def serve_http(host: str, port: int, workers: int) -> int:
    if workers > 0:
        # Before prometheus_client is imported: it picks its storage mode then.
        os.environ.setdefault(
            "PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="sidenote-metrics-")
        )
    from server.app import create_app

    if workers <= 0:
        app = create_app()
        # Werkzeug's own access lines carry the request path, which can hold a page's URL
        # (/v1/outlets/<URL>); the app's access log says what is needed without it.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        app.run(host=host, port=port, threaded=True)
        return 0
    from gunicorn.app.base import BaseApplication
    from prometheus_client import multiprocess

    config = Config.from_env()

    class Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            # Threads, and bounds on slow clients: server/worker.py says why.
            self.cfg.set("worker_class", "server.worker.SidenoteWorker")
            self.cfg.set("threads", config.worker_threads)
            # The model loads once, before forking, and the workers share its memory.
            self.cfg.set("preload_app", True)
            self.cfg.set("timeout", int(config.time_budget * 4) + 10)
            self.cfg.set("graceful_timeout", 10)
            self.cfg.set("post_request", replace_when_large(config.worker_max_mb))
            self.cfg.set(
                "child_exit", lambda _server, worker: multiprocess.mark_process_dead(worker.pid)
            )

        def load(self) -> Any:
            return create_app()

    Gunicorn().run()
    return 0


def replace_when_large(max_mb: int) -> Callable[..., None]:
    """gunicorn's ``post_request`` hook: a worker whose peak resident memory passed ``max_mb``
    finishes its request and is replaced (uWSGI's reload-on-rss).

    What grows with use is memory (every new word enters spaCy's vocabulary), so memory, not a
    request count, decides: cache hits, which grow nothing, never cost a worker restart.
    """

    def post_request(worker: Any, _request: Any, _environ: Any, _response: Any) -> None:
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KiB on Linux
        if worker.alive and peak_mb > max_mb:
            worker.log.info("Replacing worker %s: %d MB resident at its peak", worker.pid, peak_mb)
            worker.alive = False

    return post_request


def feedback_records(action: str) -> int:
    """Export (oldest first, one JSON object a line) or delete the stored feedback."""
    from server.feedback import RedisFeedback

    config = Config.from_env()
    if not config.redis_url:
        print(
            "sidenote: feedback is kept in Redis; without REDIS_URL it lives in the service's "
            "memory only, until it restarts",
            file=sys.stderr,
        )
        return 2
    store = RedisFeedback.from_config(config)
    if action == "clear":
        print(f"deleted {store.clear()} feedback records", file=sys.stderr)
        return 0
    for record in store.export():
        print(json.dumps(record, ensure_ascii=False))
    return 0


def annotate_files(args: argparse.Namespace) -> int:
    unit = "codepoint" if args.format == "w3c" else args.offset_unit
    defaults: dict[str, Any] = {"offset_unit": unit}
    if args.features:
        defaults["features"] = args.features.split(",")
    _start_annotator(defaults, args.format)
    with _open(args.input) as stream:
        if not args.jsonl:
            request = {"text": stream.read(), "url": args.url, "title": args.title}
            try:
                output = _annotate(request)
            except ma.ValidationError as error:
                print(json.dumps({"error": error.messages}), file=sys.stderr)
                return 2
            indent = 2 if sys.stdout.isatty() else None
            print(json.dumps(output, ensure_ascii=False, indent=indent))
            return 0
        jobs = args.jobs if args.jobs > 0 else os.cpu_count() or 1
        failures = 0
        with contextlib.ExitStack() as stack:
            lines = _progress(stream)
            results: Iterator[tuple[Any, dict[str, Any]]]
            if jobs > 1:
                # Each process loads the model once; imap keeps the input order.
                context = multiprocessing.get_context("forkserver")
                pool = stack.enter_context(
                    context.Pool(jobs, _start_annotator, (defaults, args.format))
                )
                results = pool.imap(_annotate_line, lines, chunksize=4)
            else:
                results = map(_annotate_line, lines)
            for record_id, output in results:
                failures += "error" in output
                print(json.dumps(_named(record_id, output), ensure_ascii=False), flush=True)
        return 1 if failures else 0


# What every annotating process (this one, or each of --jobs) sets up once.
_annotator: dict[str, Any] = {}


def _start_annotator(defaults: dict[str, Any], output_format: str = "json") -> None:
    from server.api.schemas import AnnotateRequestSchema
    from server.pipeline import annotate

    _annotator.update(
        schema=AnnotateRequestSchema(), defaults=defaults, annotate=annotate, format=output_format
    )


def _annotate(record: dict[str, Any]) -> dict[str, Any]:
    """One request's response, as the API gives it uncached; raises on invalid fields."""
    fields = _annotator["schema"].load({**_annotator["defaults"], **record})
    call = _call(fields)
    body = _annotator["annotate"](**call)
    if _annotator["format"] == "w3c":
        from server.api.w3c import annotation_page
        from server.pipeline import without_lone_surrogates

        return annotation_page(body, without_lone_surrogates(call["text"]), call["url"])
    return {**body, "cached": False}


def _annotate_line(numbered: tuple[int, str]) -> tuple[Any, dict[str, Any]]:
    """One JSONL record; a bad line gets an error record, and the rest still run."""
    number, line = numbered
    try:
        record = json.loads(line)
    except ValueError:
        return number, {"error": {"_line": [f"line {number} is not JSON"]}}
    if not isinstance(record, dict):
        return number, {"error": {"_line": [f"line {number} is not a JSON object"]}}
    record_id = record.pop("id", number)
    try:
        return record_id, _annotate(record)
    except ma.ValidationError as error:
        return record_id, {"error": error.messages}


def _named(record_id: Any, output: dict[str, Any]) -> dict[str, Any]:
    """An output line carries its input's id; an AnnotationPage, which has an id of its own,
    carries it as ``inputId`` after its ``@context``."""
    if "@context" in output:
        return {"@context": output["@context"], "inputId": record_id, **output}
    return {"id": record_id, **output}


def _call(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": fields["text"],
        "url": fields["url"],
        "title": fields["title"],
        "features": tuple(fields["features"]),
        "offset_unit": fields["offset_unit"],
    }


def _progress(stream: TextIO) -> Iterator[tuple[int, str]]:
    """Numbered non-blank lines, with a progress bar only when a person watches stderr."""
    from tqdm import tqdm

    lines = ((n, line) for n, line in enumerate(stream, 1) if line.strip())
    yield from tqdm(lines, unit=" articles", disable=not sys.stderr.isatty(), file=sys.stderr)


def _open(path: str) -> TextIO:
    if path == "-":
        return sys.stdin
    return open(path, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
