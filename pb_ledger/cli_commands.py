"""`pb-ledger cycle ACTION …`: every staff and citizen command of the application services, on the command line.

The sub-commands are generated from the services' method signatures, so the CLI cannot drift from what the API and
the pages can do: each parameter becomes an option (JSON for structured values), and `--as ROLE` says who acts."""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import types
import typing
from collections.abc import Callable
from typing import Any

from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules
from pb_ledger.services import Services

STRUCTURED = (dict, list, tuple, Rules)


def public_commands() -> dict[str, tuple[str, str]]:
    """{kebab-name: (stage attribute, method name)} for every command of every stage service."""
    commands = {}
    for stage, cls in _stage_classes().items():
        for name, member in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_") and name not in ("author_contact",):
                commands[name.replace("_", "-")] = (stage, name)
    return commands


def add_cycle_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], epilog: str,
                     run: Callable[..., Any]) -> None:
    cycle = sub.add_parser("cycle", help="run a cycle's stages: every command of the guide (see: cycle --help)",
                           description="Every command of the guide's stages. Structured values are JSON.",
                           epilog=epilog)
    actions = cycle.add_subparsers(dest="action", required=True, metavar="ACTION")
    for command, (stage, method) in sorted(public_commands().items()):
        function = getattr(_stage_class(stage), method)
        paragraphs = (inspect.getdoc(function) or "").split("\n\n")
        summary = " ".join(paragraphs[0].split())
        parser = actions.add_parser(command, help=summary, epilog=epilog,
                                    description="\n\n".join(" ".join(p.split()) for p in paragraphs))
        parser.add_argument("--log", help="log id (default: PB_LEDGER_LOG, else this data directory's log)")
        parser.add_argument("--as", dest="as_role", default=None, help="the role acting (default: the command's)")
        parser.add_argument("--actor-ref", default="", help="a non-identifying reference of the actor")
        for name, parameter, annotation in _parameters(function):
            _add_option(parser, name, parameter, annotation)
        parser.set_defaults(run=run, stage=stage, method=method)


def invoke(services: Services, args: argparse.Namespace) -> Any:
    function = getattr(getattr(services, args.stage), args.method)
    kwargs: dict[str, Any] = {}
    for name, parameter, annotation in _parameters(getattr(_stage_class(args.stage), args.method)):
        value = getattr(args, name)
        if value is not None:
            kwargs[name] = _convert(name, value, annotation)
    default_actor = inspect.signature(function).parameters["actor"].default
    kwargs["actor"] = (args.as_role or default_actor[0], args.actor_ref)
    return function(**kwargs)


def _stage_classes() -> dict[str, type]:
    from pb_ledger.services import ballots, evaluation, followup, ideas, launch, review, voting

    return {"launch": launch.LaunchService, "ideas": ideas.IdeaService, "review": review.ReviewService,
            "voting": voting.VotingService, "ballots": ballots.BallotBox, "followup": followup.FollowUpService,
            "evaluation": evaluation.EvaluationService}


def _stage_class(stage: str) -> type:
    return _stage_classes()[stage]


def _parameters(function: Callable[..., Any]) -> list[tuple[str, inspect.Parameter, Any]]:
    hints = typing.get_type_hints(function)
    return [(name, p, hints.get(name, str)) for name, p in inspect.signature(function).parameters.items()
            if name not in ("self", "actor")]


def _base(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    return typing.get_origin(annotation) or annotation


def _add_option(parser: argparse.ArgumentParser, name: str, parameter: inspect.Parameter, annotation: Any) -> None:
    base, required = _base(annotation), parameter.default is inspect.Parameter.empty
    flag = "--" + name.replace("_", "-")
    if base is bool:
        parser.add_argument(flag, dest=name, action=argparse.BooleanOptionalAction, default=None)
        return
    kind = "JSON" if base in STRUCTURED else ("N" if base is int else "TEXT")
    help_ = "required" if required else ("optional" if parameter.default is None else
                                         f"default: {parameter.default!r}")
    if base in STRUCTURED and base is not Rules:
        help_ += f"; JSON like {_shape(_without_none(annotation))}"
    elif base is Rules:
        help_ += "; a JSON object of docs/log-format.md §5.1, e.g. {\"vote_type\": \"approval\", \"rule\": \"greedy\"}"
    parser.add_argument(flag, dest=name, required=required, metavar=kind, default=None, help=help_,
                        type=int if base is int else str)


def _convert(name: str, value: Any, annotation: Any) -> Any:
    base, flag = _base(annotation), "--" + name.replace("_", "-")
    if base not in STRUCTURED:
        return value
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as e:
        raise DomainError("invalid_json", f"{flag} is not valid JSON: {e.msg}") from None
    if base is Rules:
        return _rules(parsed)
    if not _conforms(parsed, _without_none(annotation)):
        raise DomainError("invalid_json", f"{flag} must be JSON of the shape {_shape(_without_none(annotation))}, "
                                          f"not {value}")
    if base is tuple:
        return tuple(parsed)
    if base is dict:
        return {k: tuple(v) if isinstance(v, list) else v for k, v in parsed.items()}
    return parsed


def _rules(parsed: Any) -> Rules:
    fields = [f.name for f in dataclasses.fields(Rules)]
    if not isinstance(parsed, dict):
        raise DomainError("invalid_rules", "--rules must be a JSON object such as "
                                           '{"vote_type": "approval", "rule": "greedy", …} (docs/log-format.md §5.1)')
    unknown = sorted(set(parsed) - set(fields))
    if unknown:
        raise DomainError("invalid_rules", f"--rules has no member {unknown[0]!r}; its members are {', '.join(fields)}")
    try:
        return Rules(**parsed)
    except TypeError as e:
        raise DomainError("invalid_rules", f"--rules: {e}") from None


def _without_none(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return next(a for a in typing.get_args(annotation) if a is not type(None))
    return annotation


def _conforms(value: Any, annotation: Any) -> bool:
    """Whether parsed JSON `value` has the shape the service's parameter declares (list[str], dict[str, int], …)."""
    origin, args = typing.get_origin(annotation) or annotation, typing.get_args(annotation)
    if annotation is Any:
        return True
    if origin in (list, tuple):
        items = args[:1] if origin is list or (len(args) == 2 and args[1] is Ellipsis) else args
        if not isinstance(value, list) or (origin is tuple and len(items) > 1 and len(value) != len(items)):
            return False
        return all(_conforms(v, items[i] if len(items) > 1 else (items or (Any,))[0]) for i, v in enumerate(value))
    if origin is dict:
        key, item = args or (str, Any)
        return isinstance(value, dict) and all(_conforms(k, key) and _conforms(v, item) for k, v in value.items())
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, annotation) if isinstance(annotation, type) else True


def _shape(annotation: Any) -> str:
    """A JSON example of the shape `annotation` declares."""
    origin, args = typing.get_origin(annotation) or annotation, typing.get_args(annotation)
    if origin in (list, tuple):
        inner = [_shape(a) for a in args if a is not Ellipsis] or ["…"]
        return f"[{', '.join(inner)}{', …' if origin is list else ''}]"
    if origin is dict:
        return f"{{{_shape(args[0]) if args else 'TEXT'}: {_shape(args[1]) if args else '…'}}}"
    return {str: '"TEXT"', int: "N", bool: "true"}.get(annotation, "…")
