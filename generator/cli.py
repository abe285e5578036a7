"""Command line: parse arguments, load settings, call the build. Nothing else.

Exit codes: 0 success; 1 a problem with the corpus, settings or build (every
problem is printed first); 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from generator import __version__, build, config
from generator.errors import BriefingError
from generator.evaluation.harness import KINDS

EPILOG = """exit codes:
  0  success
  1  problems with articles (with --strict or in `check`), settings or the build
  2  usage error
"""


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``briefing`` console script."""
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BriefingError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


def _settings(args: argparse.Namespace) -> config.Settings:
    scheduler = getattr(args, "scheduler", None)  # only generate and build take --scheduler
    return config.load(Path(args.config), strict=True if args.strict else None, scheduler=scheduler)


def _cmd_generate(args: argparse.Namespace) -> int:
    report = build.generate(_settings(args))
    return report.exit_code()


def _cmd_build(args: argparse.Namespace) -> int:
    report = build.build(_settings(args))
    return report.exit_code()


def _cmd_check(args: argparse.Namespace) -> int:
    report = build.check(_settings(args))
    return 1 if report.problems else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    build.serve(_settings(args), args.dev_addr)
    return 0


def _cmd_pdf(args: argparse.Namespace) -> int:
    since = date.fromisoformat(args.since) if args.since else None
    report = build.pdf(_settings(args), topic=args.topic, since=since, output=Path(args.output) if args.output else None)
    return report.exit_code()


def _cmd_eval(args: argparse.Namespace) -> int:
    from generator.evaluation import harness

    result = harness.run(args.kind, Path(args.data), limit=args.limit)
    print(json.dumps(result, indent=2) if args.json else harness.format_table(result))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Turn a folder of news articles into a searchable briefing site and a PDF briefing.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func: object, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name, help=help_text, description=help_text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        p.add_argument("--config", default="briefing.yml", help="settings file (default: %(default)s)")
        p.add_argument("--strict", action="store_true", help="treat warnings and refused articles as failure")
        p.set_defaults(func=func)
        return p

    for name, func, help_text in (
        ("build", _cmd_build, "generate the Markdown, build the site with MkDocs, then the PDF"),
        ("generate", _cmd_generate, "write the generated Markdown into docs/ only"),
    ):
        command(name, func, help_text).add_argument(
            "--scheduler", metavar="ADDRESS", help="run per-article analysis on the Dask cluster at ADDRESS (tcp://host:port)"
        )
    command("check", _cmd_check, "validate the corpus and report every problem; exit 1 if there are any")
    serve = command("serve", _cmd_serve, "generate, then preview the site with live reload")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    pdf = command("pdf", _cmd_pdf, "write the PDF briefing (all articles, one topic, or recent ones)")
    pdf.add_argument("--topic", help='only articles on this topic, e.g. "Power of Siberia"')
    pdf.add_argument("--since", help="only articles published on or after this date (YYYY-MM-DD)")
    pdf.add_argument("--output", help="where to write the PDF (default: SITE/briefing.pdf)")
    ev = command("eval", _cmd_eval, "score an analysis against reference data, every method side by side")
    ev.add_argument("kind", choices=KINDS, help="what to score: " + ", ".join(KINDS))
    ev.add_argument("data", help="JSON Lines file (see shared/eval/README.md for the format)")
    ev.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    ev.add_argument("--limit", type=int, help="use only the first N records")
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
