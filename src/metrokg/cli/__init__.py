"""The `metrokg` command line: one subcommand per pipeline step.

Exit codes:
  0   success
  2   bad input (file, record and field named in the message)
  3   validation failed: the data breaks a Violation rule
  4   no built dataset / store unreadable (run `metrokg build`)
  5   query error (syntax, unknown name, bad parameter, endpoint failure)
  70  internal error (a bug: please report it with --debug output)
  130 interrupted
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType

from ..errors import InputErrors, MetrokgError
from . import build, explore, generate, network, publish, push, query, serve, stats, validate, vocab

__all__ = ["MODULES", "main"]

MODULES: tuple[ModuleType, ...] = (
    build, validate, stats, vocab, network, explore, query, push, serve, publish, generate,
)
"""One module per subcommand: each has `register(subparsers)` and sets `run` on its parser."""


class _Version(argparse.Action):
    """``--version``, read only when asked for (the ontology module loads rdflib)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from ..mapping.ontology import version

        print(f"metrokg {version()}")
        parser.exit()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="metrokg",
        description="Build, check, query, analyse and publish the metrokg knowledge graph.",
        epilog=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    top.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in MODULES:
        module.register(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (the console script exits with it)."""
    args = parser().parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except MetrokgError as exc:
        for line in exc.lines() if isinstance(exc, InputErrors) else [str(exc)]:
            print(f"metrokg {args.command}: error: {line}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"metrokg {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the one place that catches everything: turn bugs into a line
        if args.debug:
            traceback.print_exc()
        print(f"metrokg {args.command}: internal error: {type(exc).__name__}: {exc} "
              "(a bug — rerun with --debug and report it)", file=sys.stderr)
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
