"""`pb-verify PATH --root-key KEYFILE [--json]`: exit 0 when every check passes, 1 when verification fails, 2 on a
usage error (missing export, unreadable key file).

`pb-verify receipt FILE --root-key KEYFILE [--json]` checks one entry's receipt (log-format §12) offline, with the
same exit statuses. (An export file named `receipt` is verified as `pb-verify ./receipt …`.)"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from verifier.receipt import receipt_json, receipt_text, verify_receipt
from verifier.report import report_json, report_text
from verifier.trusted_root import KeyFileError, load_root_key
from verifier.verification import verify_export
from verifier.witness import main as witness_main

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pb-verify",
        description="Verify a pb-ledger export (docs/log-format.md): its shape, sequence, hash chain, signatures and "
        "key authorisations, ballots, the recount of every cycle against the announced results, and its "
        "Merkle checkpoints.",
        epilog="To check one entry's receipt instead: pb-verify receipt FILE --root-key KEYFILE [--json] "
        "(pb-verify receipt --help); to witness the log's checkpoints: pb-verify witness --help. "
        "Exit status: 0 every check passed, 1 verification failed, 2 usage error.",
    )
    parser.add_argument("path", metavar="PATH", type=Path, help="the export file (`pb-ledger export --out PATH`)")
    _add_root_key_and_json(parser)
    return parser


def build_receipt_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pb-verify receipt",
        description="Check a receipt for one entry (`pb-ledger receipt --seq N --out FILE`, docs/log-format.md §12) "
        "offline: the genesis entry it carries is signed by the trusted root key, the entry by a service key that "
        "the genesis authorises, the checkpoint by a key of the log, and the inclusion proof leads from the entry "
        "bytes to the checkpoint's root hash. Prints the entry's seq, event type and cycle, never its payload.",
        epilog="Exit status: 0 every check passed, 1 verification failed, 2 usage error.",
    )
    parser.add_argument("file", metavar="FILE", type=Path, help="the receipt file")
    _add_root_key_and_json(parser)
    return parser


def _add_root_key_and_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root-key",
        metavar="KEYFILE",
        type=Path,
        required=True,
        help="the trusted root public key, obtained out of band: PEM (SubjectPublicKeyInfo) or the raw 32-byte "
        "Ed25519 key in base64 or hex",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the text report")


def main(argv: Sequence[str] | None = None) -> int:
    """Run pb-verify with `argv` (default: the process's arguments) and return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["receipt"]:
        return receipt_main(arguments[1:])
    if arguments[:1] == ["witness"]:
        return witness_main(arguments[1:])
    args = build_parser().parse_args(arguments)
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


def receipt_main(argv: Sequence[str]) -> int:
    """Run `pb-verify receipt` with `argv` (the arguments after `receipt`) and return the exit status."""
    args = build_receipt_parser().parse_args(argv)
    try:
        root_key = load_root_key(args.root_key)
        data = args.file.read_bytes()
    except KeyFileError as error:
        return _usage_error(str(error))
    except OSError as error:
        return _usage_error(f"cannot read receipt {args.file}: {error.strerror or error}")
    report = verify_receipt(data, root_key)
    if args.json:
        print(json.dumps(receipt_json(report)))
    else:
        _print_text(receipt_text(report))
    return EXIT_OK if report.ok else EXIT_FAILED


def _usage_error(message: str) -> int:
    print(f"pb-verify: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _print_text(text: str) -> None:
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    print(text)
