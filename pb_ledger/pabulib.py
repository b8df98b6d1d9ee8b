"""Read pabulib `.pb` election files (https://pabulib.org/format) and map their META onto our `Rules`.

The parser checks the file's shape and its internal consistency and reports the first problem with its line
number; it does not judge ballots against the vote rules (that is `rules.validate_ballot`, run by the importer).
Amounts stay as written (`PabulibProject.cost`); `to_minor_units` turns them into exact integers.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from pb_ledger.domain.rules import (
    ADD1_RULES,
    EQUAL_SHARES_RULES,
    EQUAL_SHARES_VOTE_TYPES,
    RULES,
    VOTE_TYPES,
    InvalidRules,
    Rules,
)

SECTIONS = ("META", "PROJECTS", "VOTES")
REQUIRED_META_KEYS = ("budget", "vote_type", "num_projects", "num_votes")
INTEGER_META_KEYS = (
    "num_projects",
    "num_votes",
    "min_length",
    "max_length",
    "min_points",
    "max_points",
    "min_sum_points",
    "max_sum_points",
    "min_project_score_threshold",
)
AMOUNT_META_KEYS = ("budget", "max_sum_cost", "min_sum_cost")
MISSING = ("", "None")  # cell values that pabulib reads as "no value"

_UNSIGNED_DECIMAL = re.compile(r"([0-9]+)(?:[.,]([0-9]+))?")  # ASCII digits only: int() would take any script's
_INTEGER = re.compile(r"-?[0-9]+")
_UNSIGNED_INTEGER = re.compile(r"[0-9]+")

Row = tuple[int, list[str]]  # (line number where the row starts, its fields)


class PabulibFormatError(ValueError):
    """The file is not a well-formed, self-consistent pabulib file; `line` is 1-based."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


class UnsupportedRule(ValueError):
    """The election uses a rule, a vote type or a ballot constraint that pb-ledger does not implement."""

    def __init__(self, value: str, kind: str = "rule", supported: Sequence[str] = RULES) -> None:
        super().__init__(f"unsupported {kind} {value!r} (supported: {', '.join(supported)})")
        self.value = value
        self.kind = kind
        self.supported = tuple(supported)
        self.code = f"unsupported_{kind.replace(' ', '_')}"


@dataclass(frozen=True)
class PabulibProject:
    """One PROJECTS row. `cost` is the raw text; `fields` holds every column of the row, as written."""

    project_id: str
    cost: str
    name: str
    selected: int | None
    fields: dict[str, str]
    line: int


@dataclass(frozen=True)
class PabulibVote:
    """One VOTES row: the chosen project ids in file order, the aligned points if the file has a points column."""

    voter_id: str
    vote: list[str]
    points: list[int] | None
    line: int


@dataclass(frozen=True)
class PabulibElection:
    """A whole file: META as written, projects and votes in file order."""

    meta: dict[str, str]
    projects: list[PabulibProject]
    votes: list[PabulibVote] = field(repr=False)


@dataclass
class _Section:
    name: str
    line: int
    header: Row | None = None
    rows: list[Row] = field(default_factory=list)


def parse_pabulib(path: str | os.PathLike[str]) -> PabulibElection:
    """Parse the `.pb` file at `path` (UTF-8, an optional BOM is ignored)."""
    with open(path, encoding="utf-8-sig", newline="") as file:
        return parse_pabulib_text(file.read())


def parse_pabulib_text(text: str) -> PabulibElection:
    """Parse the text of a `.pb` file; raise `PabulibFormatError` at the first problem."""
    meta_section, projects_section, votes_section = _split_sections(_rows(text.removeprefix("\ufeff")))
    meta, meta_lines = _parse_meta(meta_section)
    projects = _parse_projects(projects_section)
    _check_row_count(meta, meta_lines, "num_projects", len(projects), "PROJECTS")
    votes = _parse_votes(votes_section, {project.project_id for project in projects}, meta["vote_type"])
    _check_row_count(meta, meta_lines, "num_votes", len(votes), "VOTES")
    return PabulibElection(meta, projects, votes)


def _rows(text: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', strict=True)
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise PabulibFormatError(start, f"malformed quoting ({error})") from None
        yield start, fields
        start = reader.line_num + 1


def _is_blank(fields: list[str]) -> bool:
    return not fields or (len(fields) == 1 and not fields[0].strip())


def _section_title(fields: list[str]) -> str | None:
    if len(fields) == 1 and fields[0].strip().upper() in SECTIONS:
        return fields[0].strip().upper()
    return None


def _split_sections(rows: Iterator[Row]) -> tuple[_Section, _Section, _Section]:
    sections: list[_Section] = []
    blank_line: int | None = None
    last_line = 0
    for line, fields in rows:
        last_line = line
        if _is_blank(fields):
            blank_line = blank_line or line
            continue
        if blank_line is not None:  # blank lines are tolerated only at the very end of the file
            where = f"inside the {sections[-1].name} section" if sections else "before the META section"
            raise PabulibFormatError(blank_line, f"empty line {where}")
        _add_row(sections, line, fields)
    for section in sections:
        if section.header is None:
            raise PabulibFormatError(section.line, f"the {section.name} section has no header line")
    if len(sections) < len(SECTIONS):
        raise PabulibFormatError(last_line + 1, f"missing {SECTIONS[len(sections)]} section")
    meta, projects, votes = sections
    return meta, projects, votes


def _add_row(sections: list[_Section], line: int, fields: list[str]) -> None:
    title = _section_title(fields)
    if title is not None:
        if len(sections) == len(SECTIONS) or title != SECTIONS[len(sections)]:
            expected = "no further section" if len(sections) == len(SECTIONS) else f"{SECTIONS[len(sections)]}"
            raise PabulibFormatError(line, f"found {title} section, expected {expected} (order: META, PROJECTS, VOTES)")
        sections.append(_Section(title, line))
    elif not sections:
        raise PabulibFormatError(line, "expected the META section title")
    elif sections[-1].header is None:
        sections[-1].header = (line, [name.strip() for name in fields])
    else:
        sections[-1].rows.append((line, fields))


def _header(section: _Section, required: Sequence[str]) -> list[str]:
    assert section.header is not None
    line, names = section.header
    for name in names:
        if names.count(name) > 1:
            raise PabulibFormatError(line, f"the {section.name} header repeats the column {name!r}")
    for name in required:
        if name not in names:
            raise PabulibFormatError(line, f"the {section.name} header lacks the column {name!r}")
    return names


def _cells(line: int, fields: list[str], names: list[str]) -> dict[str, str]:
    if len(fields) != len(names):
        raise PabulibFormatError(line, f"expected {len(names)} fields ({';'.join(names)}), found {len(fields)}")
    return {name: value.strip() for name, value in zip(names, fields, strict=True)}


# --- META ---------------------------------------------------------------------------------------------------------


def _parse_meta(section: _Section) -> tuple[dict[str, str], dict[str, int]]:
    assert section.header is not None
    header_line, names = section.header
    if names != ["key", "value"]:
        raise PabulibFormatError(header_line, f"the META header must be 'key;value', found {';'.join(names)!r}")
    meta: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, fields in section.rows:
        cells = _cells(line, fields, names)
        key, value = cells["key"], cells["value"]
        if key in meta:
            raise PabulibFormatError(line, f"META key {key!r} repeats line {lines[key]}")
        meta[key], lines[key] = value, line
        _check_meta_value(line, key, value)
    for key in REQUIRED_META_KEYS:
        if key not in meta:
            raise PabulibFormatError(section.line, f"META lacks the required key {key!r}")
    return meta, lines


def _check_meta_value(line: int, key: str, value: str) -> None:
    if key in REQUIRED_META_KEYS and value in MISSING:
        raise PabulibFormatError(line, f"META {key} is empty")
    if value in MISSING:
        return
    if key in INTEGER_META_KEYS and not _UNSIGNED_INTEGER.fullmatch(value):
        raise PabulibFormatError(line, f"META {key} {value!r} is not a non-negative integer")
    if key in AMOUNT_META_KEYS:
        _check_amount(line, key, value)


def _check_amount(line: int, what: str, value: str) -> None:
    if _UNSIGNED_DECIMAL.fullmatch(value):
        return
    if value.startswith("-") and _UNSIGNED_DECIMAL.fullmatch(value[1:]):
        raise PabulibFormatError(line, f"{what} {value!r} is negative")
    raise PabulibFormatError(line, f"{what} {value!r} is not a number")


def _check_row_count(meta: dict[str, str], lines: dict[str, int], key: str, found: int, section: str) -> None:
    if int(meta[key]) != found:
        raise PabulibFormatError(lines[key], f"{key} is {meta[key]} but the {section} section has {found} rows")


# --- PROJECTS -----------------------------------------------------------------------------------------------------


def _parse_projects(section: _Section) -> list[PabulibProject]:
    names = _header(section, ("project_id", "cost"))
    projects: list[PabulibProject] = []
    first_line: dict[str, int] = {}
    for line, fields in section.rows:
        project = _parse_project(line, _cells(line, fields, names))
        _refuse_repeat(first_line, "project_id", project.project_id, line)
        projects.append(project)
    return projects


def _refuse_repeat(first_line: dict[str, int], column: str, value: str, line: int) -> None:
    """Each id once per section; a repeat names the line where the id first appeared."""
    if value in first_line:
        raise PabulibFormatError(line, f"duplicate {column} {value!r} (first on line {first_line[value]})")
    first_line[value] = line


def _parse_project(line: int, cells: dict[str, str]) -> PabulibProject:
    project_id = cells["project_id"]
    if project_id in MISSING:
        raise PabulibFormatError(line, "empty project_id")
    _check_amount(line, "cost", cells["cost"])
    selected = cells.get("selected", "")
    if selected not in MISSING and not _UNSIGNED_INTEGER.fullmatch(selected):
        raise PabulibFormatError(line, f"selected {selected!r} is not a non-negative integer")
    return PabulibProject(
        project_id=project_id,
        cost=cells["cost"],
        name=cells.get("name", ""),
        selected=None if selected in MISSING else int(selected),
        fields=cells,
        line=line,
    )


# --- VOTES --------------------------------------------------------------------------------------------------------


def _parse_votes(section: _Section, project_ids: set[str], vote_type: str) -> list[PabulibVote]:
    names = _header(section, ("voter_id", "vote"))
    if vote_type in ("cumulative", "scoring") and "points" not in names:
        assert section.header is not None
        raise PabulibFormatError(section.header[0], f"the VOTES header lacks the column 'points' ({vote_type} votes)")
    votes: list[PabulibVote] = []
    first_line: dict[str, int] = {}
    for line, fields in section.rows:
        vote = _parse_vote(line, _cells(line, fields, names), project_ids)
        _refuse_repeat(first_line, "voter_id", vote.voter_id, line)
        votes.append(vote)
    return votes


def _parse_vote(line: int, cells: dict[str, str], project_ids: set[str]) -> PabulibVote:
    if cells["voter_id"] in MISSING:
        raise PabulibFormatError(line, "empty voter_id")
    vote = _comma_list(line, "vote", cells["vote"])
    seen: set[str] = set()
    for project_id in vote:
        if project_id not in project_ids:
            raise PabulibFormatError(line, f"vote refers to unknown project {project_id!r}")
        if project_id in seen:
            raise PabulibFormatError(line, f"project {project_id!r} appears twice in one ballot")
        seen.add(project_id)
    points = _parse_points(line, cells["points"], len(vote)) if "points" in cells else None
    return PabulibVote(voter_id=cells["voter_id"], vote=vote, points=points, line=line)


def _parse_points(line: int, cell: str, vote_length: int) -> list[int]:
    items = _comma_list(line, "points", cell)
    for item in items:
        if not _INTEGER.fullmatch(item):
            raise PabulibFormatError(line, f"points {item!r} is not an integer")
    if len(items) != vote_length:
        raise PabulibFormatError(line, f"{len(items)} points for {vote_length} voted projects")
    return [int(item) for item in items]


def _comma_list(line: int, column: str, cell: str) -> list[str]:
    if cell in MISSING:
        return []
    items = [item.strip() for item in cell.split(",")]
    if "" in items:
        raise PabulibFormatError(line, f"empty item in {column} {cell!r}")
    return items


# --- amounts and rules --------------------------------------------------------------------------------------------


def to_minor_units(amount: str, exponent: int = 2) -> int:
    """Convert a decimal amount such as `"2458488.22"` to an exact integer of minor units (`245848822`).

    A `,` decimal separator is accepted (`"1,5"` is 1.5), as pabutools does. Raise `ValueError` for negatives,
    non-numbers, and more fractional digits than `exponent` (even zeros: `"1,000"` may be a thousands separator).
    """
    if exponent < 0:
        raise ValueError(f"exponent must be >= 0, not {exponent}")
    text = amount.strip()
    match = _UNSIGNED_DECIMAL.fullmatch(text)
    if match is None:
        negative = text.startswith("-") and _UNSIGNED_DECIMAL.fullmatch(text[1:])
        raise ValueError(f"amount {amount!r} is {'negative' if negative else 'not a number'}")
    whole, fraction = match.group(1), match.group(2) or ""
    if len(fraction) > exponent:
        raise ValueError(f"amount {amount!r} has more than {exponent} fractional digit(s)")
    return int(whole + fraction.ljust(exponent, "0"))


def rules_from_meta(
    meta: Mapping[str, str],
    project_costs: Mapping[str, int],
    *,
    exponent: int = 2,
    tie_break: str = "lower-cost",
    exclusive: Sequence[Sequence[str]] = (),
) -> Rules:
    """Map a pabulib META onto `Rules`, keeping pabulib's defaults (min_length 1, no max_length).

    `project_costs` maps project id to cost in minor units (the ballot); `exponent` is the currency's number of
    minor-unit digits; pabulib has no tie-break, so it is an argument. pabulib writes the groups of mutually exclusive
    projects of `greedy-exclusive` only in the META comment, so they are an argument too (none: plain greedy).
    `greedy-custom` is read as Poznań's 80 % rule; the `equalshares/add1` rules step by one unit of currency, as
    pabulib's do. Raise `UnsupportedRule` for what pb-ledger does not implement and `InvalidRules` for META that
    contradicts itself.
    """
    vote_type = meta.get("vote_type", "")
    if vote_type not in VOTE_TYPES:
        raise UnsupportedRule(vote_type, "vote_type", VOTE_TYPES)
    rule = meta.get("rule", "unknown")
    if rule not in RULES:
        raise UnsupportedRule(rule)
    if rule in EQUAL_SHARES_RULES and vote_type not in EQUAL_SHARES_VOTE_TYPES:
        raise UnsupportedRule(f"{rule} with {vote_type} votes", "rule", [f"{rule} with approval or choose-1 votes"])
    _refuse_unsupported_constraints(meta, exponent)
    min_length = _meta_int(meta, "min_length")
    rules = Rules(
        vote_type=vote_type,
        min_length=1 if min_length is None else min_length,
        max_length=_meta_int(meta, "max_length"),
        max_sum_cost=_meta_amount(meta, "max_sum_cost", exponent),
        max_points=_meta_int(meta, "max_points"),
        min_sum_points=_meta_int(meta, "min_sum_points"),
        max_sum_points=_meta_int(meta, "max_sum_points"),
        rule=rule,
        threshold=_meta_int(meta, "min_project_score_threshold"),
        tie_break=tie_break,
        exclusive=tuple(tuple(group) for group in exclusive) if rule == "greedy-exclusive" else (),
        voter_budget_increment=10**exponent if rule in ADD1_RULES else None,
    )
    rules.validate()
    _check_ballot_can_be_filled(rules, project_costs)
    return rules


def _refuse_unsupported_constraints(meta: Mapping[str, str], exponent: int) -> None:
    """Constraints that §5.1 cannot express are refused unless set to a value that constrains nothing."""
    if _meta_amount(meta, "min_sum_cost", exponent):
        raise UnsupportedRule(meta["min_sum_cost"], "min_sum_cost", ("0",))
    min_points = _meta_int(meta, "min_points")
    if min_points is not None and min_points > 1:  # §5.1 points are >= 1 anyway
        raise UnsupportedRule(meta["min_points"], "min_points", ("0", "1"))


def _check_ballot_can_be_filled(rules: Rules, project_costs: Mapping[str, int]) -> None:
    if rules.min_length > len(project_costs):
        raise InvalidRules(
            "min_length_above_project_count",
            f"min_length {rules.min_length} exceeds the {len(project_costs)} project(s) on the ballot",
        )


def _meta_int(meta: Mapping[str, str], key: str) -> int | None:
    value = meta.get(key, "").strip()
    if value in MISSING:
        return None
    if not _UNSIGNED_INTEGER.fullmatch(value):
        raise ValueError(f"META {key} {value!r} is not a non-negative integer")
    return int(value)


def _meta_amount(meta: Mapping[str, str], key: str, exponent: int) -> int | None:
    value = meta.get(key, "").strip()
    if value in MISSING:
        return None
    return to_minor_units(value, exponent)
