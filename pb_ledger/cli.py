"""The `pb-ledger` command line (DESIGN §9). Errors print `error [code]: message` and exit 2."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pb_ledger.config import Settings
from pb_ledger.logging_setup import configure_logging

EPILOG = (
    "Configuration: PB_LEDGER_DATA_DIR (default ./pb-data: the SQLite store and the key files, owner-only), "
    "PB_LEDGER_DATABASE_URL (a postgresql:// URL switches the store to PostgreSQL), PB_LEDGER_KEYS_DIR (default DATA_DIR/keys: one owner-only folder of key files per log), PB_LEDGER_LOG (the default log id), PB_LEDGER_LANG (ar or fr: also explain errors in that language)."
)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    level = os.environ.get("PB_LEDGER_LOG_LEVEL", "WARNING" if args.command != "serve" else "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        print(f"error [configuration]: PB_LEDGER_LOG_LEVEL={level!r}: use DEBUG, INFO, WARNING or ERROR",
              file=sys.stderr)
        return 2
    configure_logging(level)
    os.umask(0o077)  # everything we create under the data dir is owner-only
    try:
        settings = Settings.from_env()
        return int(args.run(settings, args) or 0)
    except Exception as e:  # noqa: BLE001 - turn every known refusal into a code and a message
        code = getattr(e, "code", None)
        if code is None and not isinstance(e, OSError):
            raise
        code = code or "file_error"
        print(f"error [{code}]: {getattr(e, 'message', None) or e}", file=sys.stderr)
        lang = os.environ.get("PB_LEDGER_LANG", "en")
        if lang in ("ar", "fr"):
            from pb_ledger.messages import message

            print(f"  {message(code, lang)}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pb-ledger", description="Participatory budgeting on a signed log.",
                                     epilog=EPILOG)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = _command(sub, "serve", "run the service (API and pages)", _serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="TCP port (default 8000)")
    serve.add_argument("--demo", action="store_true", help="load a demonstration cycle first if the log has none")
    imp = _command(sub, "import-pabulib", "load a real pabulib election as a whole cycle", _import)
    imp.add_argument("file", type=Path, metavar="FILE.pb")
    imp.add_argument("--tie-break", default="lower-cost", choices=["lower-cost", "lexicographic", "lottery"])
    imp.add_argument("--again", action="store_true", help="import a file this log already holds as a new cycle")
    exp = _command(sub, "export", "write the log (entries and a checkpoint) as in docs/log-format.md", _export)
    exp.add_argument("--out", type=Path, required=True)
    pbx = _command(sub, "export-pabulib", "write one cycle (vote closed) as a pabulib .pb file", _export_pabulib)
    pbx.add_argument("--cycle", required=True, help="the cycle id")
    pbx.add_argument("--out", type=Path, required=True, metavar="FILE.pb")
    pbx.add_argument("--country", help="META country when the cycle's source does not say it")
    pbx.add_argument("--language", help="META language (ISO 639-1) when the cycle's source does not say it")
    keys = sub.add_parser("keys", help="key files of a log").add_subparsers(dest="keys_command", required=True)
    root = _command(keys, "root-public", "write the root public key (PEM) that an auditor passes to pb-verify",
                    _root_public)
    root.add_argument("--out", type=Path, required=True)
    from pb_ledger.cli_transparency import add_transparency_parsers

    add_transparency_parsers(sub, keys, _command)
    _command(sub, "demo", "load a demonstration cycle (ideas, a rejection, ballots, results)", _demo)
    _add_proof_commands(sub)
    from pb_ledger.cli_staff import add_staff_parser

    add_staff_parser(sub, EPILOG, _command)
    from pb_ledger.cli_projections import add_projections_parser

    add_projections_parser(sub, EPILOG, _command)
    from pb_ledger.cli_reports import add_report_parsers

    add_report_parsers(sub, _command)
    from pb_ledger.cli_commands import add_cycle_parser

    add_cycle_parser(sub, EPILOG, _cycle)
    return parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1 to 65535)")
    return port


def _command(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_: str,
             run: Callable[[Settings, argparse.Namespace], int | None]) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_, description=help_, epilog=EPILOG)
    parser.add_argument("--log", help="log id (default: PB_LEDGER_LOG, else this data directory's log)")
    parser.set_defaults(run=run)
    return parser


def _open(settings: Settings, args: argparse.Namespace, create: bool = True):  # type: ignore[no-untyped-def]
    from pb_ledger.ledger.store import Ledger

    return Ledger(settings, args.log or settings.default_log_id(), create=create)


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from pb_ledger.importer import import_pabulib, prepare_import

    prepared = prepare_import(args.file, args.tie_break)  # a bad file is refused before the log is even created
    ledger = _open(settings, args)
    result = import_pabulib(_services(settings, ledger), prepared, again=args.again)
    print(f"log: {ledger.log_id}\ncycle: {result.cycle_id}\nprojects: {result.projects}\nballots: {result.ballots}")
    print(f"winners: {', '.join(result.winners)}")
    return 0


def _services(settings: Settings, ledger):  # type: ignore[no-untyped-def]
    from pb_ledger.personal_data import PersonalDataStore
    from pb_ledger.services import Services
    from pb_ledger.sqlstore import ReadStore

    from pb_ledger.eligibility import RegisterStore

    store = ReadStore(settings)
    return Services(ledger, PersonalDataStore(store, ledger.log_id), RegisterStore(store, ledger.log_id))


def _cycle(settings: Settings, args: argparse.Namespace) -> int:
    from pb_ledger.cli_commands import invoke

    result = invoke(_services(settings, _open(settings, args)), args)
    if result is None:
        print("ok")
    elif isinstance(result, list):
        print("\n".join(result))
    else:
        print(result)
    return 0


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from pb_ledger.ledger.export import export_log

    ledger = _open(settings, args, create=False)
    count = export_log(ledger, args.out)
    print(f"wrote {count} entries of log {ledger.log_id} to {args.out}")
    return 0


def _export_pabulib(settings: Settings, args: argparse.Namespace) -> int:
    from pb_ledger.pabulib_export import export_cycle_pabulib

    ledger = _open(settings, args, create=False)
    done = export_cycle_pabulib(ledger, args.cycle, args.out, country=args.country, language=args.language)
    selected = "no results announced" if done.selected is None else f"{len(done.selected)} selected"
    print(f"wrote cycle {args.cycle} of log {ledger.log_id} to {done.path}: {done.projects} projects, "
          f"{done.votes} votes, {selected}")
    return 0


def _root_public(settings: Settings, args: argparse.Namespace) -> int:
    ledger = _open(settings, args, create=False)
    args.out.write_bytes(ledger.keys.public_pem())
    os.chmod(args.out, 0o644)  # a public key: meant to be handed out
    print(f"wrote the root public key of log {ledger.log_id} ({ledger.keys.root.id}) to {args.out}")
    return 0


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from pb_ledger.demo import load_demo

    ledger = _open(settings, args)
    cycle_id = load_demo(_services(settings, ledger))
    print(f"log: {ledger.log_id}\ncycle: {cycle_id}")
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from pb_ledger.web.app import create_app

    log_id = args.log or settings.default_log_id()
    app = create_app(settings, log_id, demo=args.demo)
    print(f"pb-ledger: serving log {log_id} on http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_config=None)
    return 0



def _add_proof_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`proof inclusion`, `proof consistency` and `receipt` (docs/log-format.md §10 to §12)."""
    proof = sub.add_parser("proof", help="Merkle proofs over the log's entries").add_subparsers(
        dest="proof_command", required=True)
    inclusion = _command(proof, "inclusion", "print the inclusion proof of one entry (JSON, base64 hashes)",
                         _proof_inclusion)
    inclusion.add_argument("--seq", type=int, required=True, help="the entry's seq")
    inclusion.add_argument("--size", type=int, help="the tree size (default: every entry of the log)")
    consistency = _command(proof, "consistency", "print the consistency proof between two tree sizes (JSON)",
                           _proof_consistency)
    consistency.add_argument("--from", dest="old_size", type=int, required=True, help="the earlier tree size")
    consistency.add_argument("--to", dest="new_size", type=int, help="the later size (default: every entry)")
    receipt = _command(sub, "receipt", "write a receipt for one entry that pb-verify receipt checks offline",
                       _receipt)
    receipt.add_argument("--seq", type=int, required=True, help="the entry's seq")
    receipt.add_argument("--out", type=Path, required=True, metavar="FILE", help="the receipt file to write")


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()


def _proof_inclusion(settings: Settings, args: argparse.Namespace) -> int:
    import json

    ledger = _open(settings, args, create=False)
    found = ledger.inclusion_proof(args.seq, args.size)
    print(json.dumps({"log": ledger.log_id, "index": found.index, "size": found.size,
                      "leaf_hash": _b64(found.leaf_hash), "root": _b64(found.root),
                      "proof": [_b64(h) for h in found.hashes]}, indent=2))
    return 0


def _proof_consistency(settings: Settings, args: argparse.Namespace) -> int:
    import json

    ledger = _open(settings, args, create=False)
    found = ledger.consistency_proof(args.old_size, args.new_size)
    print(json.dumps({"log": ledger.log_id, "old_size": found.old_size, "new_size": found.new_size,
                      "old_root": _b64(found.old_root), "new_root": _b64(found.new_root),
                      "proof": [_b64(h) for h in found.hashes]}, indent=2))
    return 0


def _receipt(settings: Settings, args: argparse.Namespace) -> int:
    ledger = _open(settings, args, create=False)
    args.out.write_bytes(ledger.receipt(args.seq).encode("utf-8"))
    print(f"wrote the receipt of entry {args.seq} of log {ledger.log_id} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
