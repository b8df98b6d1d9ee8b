"""`pb-verify PATH --root-key KEYFILE [--json]`: exit 0 when every check passes, 1 when verification fails, 2 on a
usage error (missing export, unreadable key file)."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from verifier.report import report_json, report_text
from verifier.trusted_root import KeyFileError, load_root_key
from verifier.verification import verify_export

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pb-verify",
        description="Verify a pb-ledger export (docs/log-format.md): its shape, sequence, hash chain, signatures and "
        "key authorisations, ballots, the recount of every cycle against the announced results, and its "
        "Merkle checkpoints.",
        epilog="Exit status: 0 every check passed, 1 verification failed, 2 usage error.",
    )
    parser.add_argument("path", metavar="PATH", type=Path, help="the export file (`pb-ledger export --out PATH`)")
    parser.add_argument(
        "--root-key",
        metavar="KEYFILE",
        type=Path,
        required=True,
        help="the trusted root public key, obtained out of band: PEM (SubjectPublicKeyInfo) or the raw 32-byte "
        "Ed25519 key in base64 or hex",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the text report")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run pb-verify with `argv` (default: the process's arguments) and return the exit status."""
    args = build_parser().parse_args(argv)
    if not args.path.is_file():
        return _usage_error(f"no export file at {args.path}")
    try:
        root_key = load_root_key(args.root_key)
        report = verify_export(args.path, root_key)
    except KeyFileError as error:
        return _usage_error(str(error))
    except OSError as error:
        return _usage_error(f"cannot read export {args.path}: {error.strerror or error}")
    if args.json:
        print(json.dumps(report_json(report)))
    else:
        _print_text(report_text(report))
    return EXIT_OK if report.ok else EXIT_FAILED


def _usage_error(message: str) -> int:
    print(f"pb-verify: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _print_text(text: str) -> None:
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    print(text)
