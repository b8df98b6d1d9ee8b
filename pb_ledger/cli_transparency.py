"""`pb-ledger checkpoint`, `pb-ledger keys authorise|rotate|retire|list|history` and `pb-ledger witnesses
add|remove|list|cosignature`: the transparency layer and the key lifecycle from the command line (docs/log-format.md
§3.1, §7, §14; docs/operations.md). The same service code as the API's."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pb_ledger.config import Settings
from pb_ledger.domain.errors import DomainError

SubParsers = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_transparency_parsers(sub: SubParsers, keys: SubParsers,
                             command: Callable[..., argparse.ArgumentParser]) -> None:
    checkpoint = command(sub, "checkpoint", "sign a checkpoint over the whole log now (or show one the service signed) "
                         "and print it as a signed note with its cosignatures", _checkpoint)
    checkpoint.add_argument("--size", type=int, help="show the checkpoint of this size the service signed")
    checkpoint.add_argument("--list", action="store_true", help="list every checkpoint the service signed")
    checkpoint.add_argument("--out", type=Path, metavar="FILE", help="write the note to FILE instead of printing it")

    authorise = command(keys, "authorise", "authorise a new service key (root-signed entry); the service signs with "
                        "it from the next entry", _authorise)
    authorise.add_argument("--reason", default="", help="a public sentence written in the log")
    rotate = command(keys, "rotate", "replace a service key by a new one in one root-signed entry", _rotate)
    rotate.add_argument("--reason", required=True, help="a public sentence written in the log")
    rotate.add_argument("--old", metavar="KEYID", help="the key to replace (default: the one the service signs with)")
    retire = command(keys, "retire", "retire a service key: it signs nothing after the entry", _retire)
    retire.add_argument("key", metavar="KEYID")
    retire.add_argument("--reason", required=True, help="a public sentence written in the log")
    for parser in (authorise, rotate, retire):
        parser.add_argument("--root-key", type=Path, metavar="FILE", help="the root key's file, when it is kept off "
                            "this server (default: keys/<log>/root.key)")
    command(keys, "list", "list the service keys the log authorised, with their windows", _keys_list)
    history = command(keys, "history", "write the genesis and key entry lines (what a witness needs with the root "
                      "key to check checkpoint signatures)", _keys_history)
    history.add_argument("--out", type=Path, required=True, metavar="FILE")

    witnesses = sub.add_parser("witnesses", help="the witnesses whose cosignatures the log accepts and publishes")
    actions = witnesses.add_subparsers(dest="witnesses_command", required=True, metavar="ACTION")
    add = command(actions, "add", "accept cosignatures from a witness (written in the log)", _witness_add)
    add.add_argument("name", metavar="NAME", help="the witness's name, e.g. witness.example.org/w1")
    add.add_argument("key", metavar="KEY", help="its verifier key (NAME+hash+key, from pb-verify witness init) or "
                     "its Ed25519 public key in base64")
    add.add_argument("--reason", default="", help="a public sentence written in the log")
    remove = command(actions, "remove", "stop accepting a witness's cosignatures (written in the log)", _witness_remove)
    remove.add_argument("name", metavar="NAME")
    remove.add_argument("--reason", required=True, help="a public sentence written in the log")
    command(actions, "list", "list the witnesses and their verifier keys", _witness_list)
    cosignature = command(actions, "cosignature", "publish a witness's cosignature of a checkpoint, read from a file "
                          "(pb-verify witness --cosignature-out)", _witness_cosignature)
    cosignature.add_argument("file", type=Path, metavar="FILE", help="a file of cosignature lines")
    cosignature.add_argument("--size", type=int, required=True, help="the size of the checkpoint it cosigns")


def _services(settings: Settings, args: argparse.Namespace) -> Any:
    from pb_ledger.ledger.store import Ledger
    from pb_ledger.services import Services

    return Services(Ledger(settings, args.log or settings.default_log_id(), create=False,
                           root_key=getattr(args, "root_key", None)))


def _checkpoint(settings: Settings, args: argparse.Namespace) -> int:
    transparency = _services(settings, args).transparency
    if args.list:
        for row in transparency.ledger.iter_checkpoints(2**62):
            cosigners = ", ".join(c.witness for c in transparency.ledger.cosignatures(row.size)) or "-"
            print(f"{row.size}\t{row.signed_at}\t{row.reason}\tkey {row.key_id}\tcosigned by {cosigners}")
        return 0
    published = transparency.latest() if args.size is None else transparency.at(args.size)
    if args.out is None:
        print(published.note, end="")
    else:
        args.out.write_text(published.note, encoding="utf-8")
        print(f"wrote the checkpoint of size {published.size} of log {transparency.ledger.log_id} to {args.out}")
    return 0


def _authorise(settings: Settings, args: argparse.Namespace) -> int:
    change = _services(settings, args).keys.authorise(args.reason)
    print(f"authorised service key {change.key} at seq {change.seq}; the service may sign with it from seq "
          f"{change.effective_from}")
    return 0


def _rotate(settings: Settings, args: argparse.Namespace) -> int:
    change = _services(settings, args).keys.rotate(args.reason, args.old)
    print(f"rotated to service key {change.key} at seq {change.seq}; the service signs with it from seq "
          f"{change.effective_from} and the old key signs nothing after seq {change.seq}")
    return 0


def _retire(settings: Settings, args: argparse.Namespace) -> int:
    change = _services(settings, args).keys.retire(args.key, args.reason)
    print(f"retired service key {change.key} at seq {change.seq}: it signs nothing from seq {change.effective_from}")
    return 0


def _keys_list(settings: Settings, args: argparse.Namespace) -> int:
    for key in _services(settings, args).keys.keys():
        until = "-" if key.until_seq is None else str(key.until_seq)
        state = "in use" if key.in_use else ("retired" if key.until_seq is not None else "authorised")
        here = "private key here" if key.private_key_here else "private key not here"
        print(f"{key.id}\tfrom seq {key.from_seq}\tuntil seq {until}\tauthorised at seq {key.authorised_at}\t"
              f"{state}\t{here}")
    return 0


def _keys_history(settings: Settings, args: argparse.Namespace) -> int:
    transparency = _services(settings, args).transparency
    args.out.write_bytes(transparency.key_history())
    print(f"wrote the genesis and key entries of log {transparency.ledger.log_id} to {args.out}")
    return 0


def _witness_add(settings: Settings, args: argparse.Namespace) -> int:
    witness = _services(settings, args).transparency.add_witness(args.name, args.key, args.reason)
    print(f"added witness {witness.name} at seq {witness.added_at}; its verifier key: {witness.vkey}")
    return 0


def _witness_remove(settings: Settings, args: argparse.Namespace) -> int:
    seq = _services(settings, args).transparency.remove_witness(args.name, args.reason)
    print(f"removed witness {args.name} at seq {seq}")
    return 0


def _witness_list(settings: Settings, args: argparse.Namespace) -> int:
    for witness in _services(settings, args).transparency.witnesses():
        print(f"{witness.name}\t{witness.vkey}\tadded at seq {witness.added_at}")
    return 0


def _witness_cosignature(settings: Settings, args: argparse.Namespace) -> int:
    transparency = _services(settings, args).transparency
    lines = [line for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        raise DomainError("cosignature_malformed", f"{args.file} holds no cosignature line")
    for line in lines:
        published = transparency.add_cosignature(args.size, line)
    print(f"checkpoint {args.size} of log {transparency.ledger.log_id} is cosigned by "
          f"{', '.join(published.cosigned_by)}")
    return 0
