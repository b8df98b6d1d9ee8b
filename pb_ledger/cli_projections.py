"""`pb-ledger projections run|rebuild|status`: the read models' worker, their rebuild from the log, and their lag."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable
from typing import Any

from pb_ledger.config import Settings
from pb_ledger.domain.errors import DomainError


def add_projections_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], epilog: str,
                           command: Callable[..., argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("projections", help="the read models built from the log: worker, rebuild, lag",
                            epilog=epilog)
    actions = parser.add_subparsers(dest="projections_command", required=True, metavar="ACTION")
    run = command(actions, "run", "follow the log and keep the read models up to date until stopped (SIGTERM)", _run)
    run.add_argument("--poll-interval", type=float, default=0.5, metavar="SECONDS",
                     help="SQLite only: seconds between two looks at the log (PostgreSQL is notified)")
    run.add_argument("--metrics-port", type=int, metavar="PORT", help="serve Prometheus metrics (the lag) on PORT")
    run.add_argument("--metrics-host", default="127.0.0.1", help="address of the metrics server (default 127.0.0.1)")
    rebuild = command(actions, "rebuild", "rebuild read models from the first entry of the log, with a progress bar",
                      _rebuild)
    rebuild.add_argument("--model", action="append", metavar="NAME",
                         help="rebuild only this read model (repeatable; default: all of them)")
    status = command(actions, "status", "print each read model's position and lag", _status)
    status.add_argument("--json", action="store_true", help="one JSON object instead of text")


def _log_id(settings: Settings, args: argparse.Namespace) -> str:
    from pb_ledger.ledger.store import Ledger

    ledger = Ledger(settings, args.log or settings.default_log_id(), create=False)
    ledger.close()
    return ledger.log_id


def _view(settings: Settings, args: argparse.Namespace) -> Any:
    from projections.follow import open_view

    view = open_view(settings, _log_id(settings, args))
    view.migrate()
    return view


def _run(settings: Settings, args: argparse.Namespace) -> int:
    from projections.follow import Follower

    view = _view(settings, args)
    if args.metrics_port:
        from prometheus_client import start_http_server

        from projections.metrics import lag_registry

        start_http_server(args.metrics_port, addr=args.metrics_host, registry=lag_registry(view.log_id, view.lag))
    follower = Follower(settings, view.log_id, poll_interval=args.poll_interval)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: follower.stop())
    print(f"pb-ledger: following log {view.log_id} ({'PostgreSQL' if settings.uses_postgres else 'SQLite'})",
          file=sys.stderr, flush=True)
    follower.run()
    return 0


def _rebuild(settings: Settings, args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from projections.registry import MODELS, model_named

    view = _view(settings, args)
    try:
        models = tuple(model_named(name) for name in args.model) if args.model else MODELS
    except KeyError as e:
        raise DomainError("unknown_read_model", f"no read model {e.args[0]!r}; read models: "
                                                f"{', '.join(m.name for m in MODELS)}") from None
    view.reset(models)
    head = view.head()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("entries"),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task(f"rebuilding {', '.join(m.name for m in models)}", total=head, rate="")

        def advance(applied: Any) -> None:
            speed = progress.tasks[0].speed
            progress.update(task, completed=applied.last + 1, rate=f"{speed:,.0f}/s" if speed else "")

        view.catch_up(on_batch=advance)
    print(f"rebuilt {', '.join(m.name for m in models)} of log {view.log_id}: {view.position()} entries")
    return 0


def _status(settings: Settings, args: argparse.Namespace) -> int:
    view = _view(settings, args)
    lags = view.lag()
    if args.json:
        print(json.dumps({"log": view.log_id, "entries": lags[0].head if lags else 0, "read_models": [
            {"name": m.model, "position": m.position, "lag_entries": m.entries, "lag_seconds": round(m.seconds, 3)}
            for m in lags]}, indent=2))
        return 0
    print(f"log {view.log_id}: {lags[0].head if lags else 0} entries")
    for m in lags:
        print(f"  {m.model:<14} applied {m.position:>10}   behind by {m.entries} entries, {m.seconds:.1f} s")
    return 0
