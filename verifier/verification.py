"""Verifying an export file against a trusted root key (log-format §8), streaming.

The first pass reads the export line by line: each entry's shape (V1), position and log (V2), link to its predecessor
(V3), signer and signature (V4), and its meaning for its cycle (V5, V6). It keeps no entry bytes. Checkpoint notes,
which follow the entries, are collected; a second pass over the entry lines computes the Merkle roots at their sizes
(V7). Each check keeps its own first failure, so one report can say both where the chain breaks and which signature
fails. A check that cannot be trusted to run because an earlier one failed is reported as not checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from verifier.chain import check_link, check_position
from verifier.checkpoints import Checkpoint, CheckpointNote, verify_checkpoints
from verifier.cycles import CycleBook
from verifier.entry import Entry, entry_hash, parse_entry
from verifier.errors import (
    CheckpointInvalid,
    EntryCountMismatch,
    ExportMalformed,
    GenesisInvalid,
    VerificationError,
)
from verifier.export import (
    Header,
    Line,
    checkpoint_note_of,
    entry_bytes_of,
    export_lines,
    is_checkpoint_line,
    read_header,
    signature_of,
)
from verifier.keys import KeyRing
from verifier.merkle import EMPTY_ROOT, MerkleAccumulator
from verifier.report import FAIL, NOT_CHECKED, PASS, CheckResult, CycleSummary, Report, counted
from verifier.signatures import SignatureChecks

ENTRY_PHASE, CYCLE_PHASE, CHECKPOINT_PHASE = 0, 1, 2
Order = tuple[int, int]


class Findings:
    """The first failure of each check, with where in the verification it was met: (phase, line number)."""

    def __init__(self) -> None:
        self.first: dict[str, tuple[Order, VerificationError]] = {}

    def record(self, error: VerificationError, order: Order) -> None:
        """Keep `error` if it is the check's earliest failure so far (signatures are judged out of order)."""
        known = self.first.get(error.check)
        if known is None or order < known[0]:
            self.first[error.check] = (order, error)

    def run(self, order: Order, step: Callable[[], object]) -> None:
        try:
            step()
        except VerificationError as error:
            self.record(error, order)

    def error(self, check: str) -> VerificationError | None:
        found = self.first.get(check)
        return None if found is None else found[1]


class EntryPass:
    """The first streaming pass over the entry lines, and what it learnt."""

    def __init__(self, header: Header, trusted_root: bytes, findings: Findings, signatures: SignatureChecks) -> None:
        self.header = header
        self.signatures = signatures
        self.trusted_root = trusted_root
        self.findings = findings
        self.entries = 0
        self.unreadable = 0
        self.previous_hash: str | None = None
        self.keyring: KeyRing | None = None
        self.cycles = CycleBook()

    def take(self, line: Line) -> None:
        seq, order = self.entries, (ENTRY_PHASE, line.number)
        self.entries += 1
        try:
            entry_bytes = entry_bytes_of(line, seq)
        except ExportMalformed as error:
            self._unreadable(error, order, None)
            return
        this_hash = entry_hash(entry_bytes)
        try:
            signature = signature_of(line, seq)
            entry = parse_entry(entry_bytes, seq)
        except ExportMalformed as error:
            self._unreadable(error, order, this_hash)
            return
        previous_hash, self.previous_hash = self.previous_hash, this_hash
        self.findings.run(order, lambda: check_position(entry, seq, self.header.log))
        self.findings.run(order, lambda: check_link(entry, seq, previous_hash))
        self.findings.run(order, lambda: self._check_signer(entry, entry_bytes, signature, seq))
        self.findings.run((CYCLE_PHASE, line.number), lambda: self.cycles.apply(entry, this_hash, seq))

    def _unreadable(self, error: ExportMalformed, order: Order, this_hash: str | None) -> None:
        self.findings.record(error, order)
        self.unreadable += 1
        self.previous_hash = this_hash

    def _check_signer(self, entry: Entry, entry_bytes: bytes, signature: bytes, seq: int) -> None:
        if seq == 0:
            self.keyring = KeyRing.from_genesis(entry, entry_bytes, signature, self.trusted_root)
        elif self.keyring is not None:
            key = self.keyring.authorise(entry, seq)
            self.signatures.add(key, entry_bytes, signature, seq)

    def finish(self) -> None:
        """The checks that need the whole file: signatures, the header's entry count, that there is a genesis."""
        for error in self.signatures.finish():
            self.findings.record(error, (ENTRY_PHASE, _line_of(error.seq or 0)))
        if self.entries != self.header.entries:
            first = min(self.entries, self.header.entries)
            message = f"the header declares {self.header.entries} entries; the export holds {self.entries} entry lines"
            self.findings.record(EntryCountMismatch(message, first), (ENTRY_PHASE, _line_of(first)))
        if self.entries == 0:
            self.findings.record(GenesisInvalid("the export holds no entries, so no genesis", 0), (ENTRY_PHASE, 2))


def _line_of(seq: int) -> int:
    """The line number of entry `seq`: entry lines follow the header without a gap."""
    return seq + 2


def verify_export(path: Path, trusted_root: bytes) -> Report:
    """Verify the export file at `path` against the raw 32-byte `trusted_root` key; raises only OSError."""
    findings = Findings()
    with path.open("rb") as stream, SignatureChecks() as signatures:
        lines = export_lines(stream)
        try:
            header = read_header(next(lines, None))
        except ExportMalformed as error:
            return _unreadable_export_report(error)
        entry_pass, notes = EntryPass(header, trusted_root, findings, signatures), list[CheckpointNote]()
        _first_pass(lines, entry_pass, notes, findings)
        entry_pass.finish()
    checks = _entry_checks(header, entry_pass, len(notes), findings)
    checks += _cycle_checks(entry_pass.cycles, findings, blocked_by=_not_passed(checks))
    checks.append(_checkpoint_check(path, header, entry_pass, notes, findings, checks[0]))
    trusted = all(check.status == PASS for check in checks[:4])
    cycles = [_cycle_summary(cycle_id, entry_pass.cycles, trusted) for cycle_id in entry_pass.cycles.cycles]
    return Report(header.log, entry_pass.entries, checks, cycles, _first_error(checks, findings))


def _first_pass(lines: Iterator[Line], entry_pass: EntryPass, notes: list[CheckpointNote], findings: Findings) -> None:
    in_checkpoints, number = False, 1
    try:
        for line in lines:
            number, order = line.number, (ENTRY_PHASE, line.number)
            if is_checkpoint_line(line):
                in_checkpoints = True
                findings.run(order, _collect_checkpoint(line, notes))
            elif in_checkpoints:
                findings.record(ExportMalformed(f"line {line.number} comes after the checkpoint lines"), order)
            else:
                entry_pass.take(line)
    except ExportMalformed as error:  # the last line has no line feed
        findings.record(error, (ENTRY_PHASE, number + 1))


def _collect_checkpoint(line: Line, notes: list[CheckpointNote]) -> Callable[[], None]:
    return lambda: notes.append(CheckpointNote(line.number, checkpoint_note_of(line)))


def _unreadable_export_report(error: ExportMalformed) -> Report:
    checks = [CheckResult("V1", FAIL, error.message, error.seq)]
    checks += [CheckResult(check, NOT_CHECKED, "not checked: the export is unreadable") for check in _LATER_CHECKS]
    return Report(None, 0, checks, [], error)


_LATER_CHECKS = ("V2", "V3", "V4", "V5", "V6", "V7")


def _judged(findings: Findings, check: str, detail: str, incomplete: str | None = None) -> CheckResult:
    """FAIL with the check's first failure, else NOT-CHECKED when part of its input was unreadable, else PASS."""
    error = findings.error(check)
    if error is not None:
        return CheckResult(check, FAIL, error.message, error.seq)
    if incomplete is not None:
        return CheckResult(check, NOT_CHECKED, f"not checked: {incomplete}")
    return CheckResult(check, PASS, detail)


def _not_passed(checks: list[CheckResult]) -> str | None:
    failed = [check.id for check in checks if check.status != PASS]
    return None if not failed else " and ".join(failed) + " did not pass"


def _entry_checks(header: Header, run: EntryPass, checkpoints: int, findings: Findings) -> list[CheckResult]:
    last = run.entries - 1
    unreadable = f"{counted(run.unreadable, 'entry line')} unreadable (V1)" if run.unreadable else None
    genesis = None if run.keyring is not None else "the genesis entry is unreadable (V1)"
    signed = f"entries 1 to {last} signed by authorised service keys" if last > 0 else "no other entries"
    root = "" if run.keyring is None else f" {run.keyring.root.id}"
    return [
        _judged(
            findings,
            "V1",
            f"{counted(run.entries, 'entry line')} as declared, {counted(checkpoints, 'checkpoint line')}",
        ),
        _judged(findings, "V2", f"seq 0 to {last} in order, all of log {header.log}", unreadable),
        _judged(findings, "V3", "each entry's prev hash is the hash of the entry before it", unreadable),
        _judged(findings, "V4", f"genesis signed by the trusted root key{root}; {signed}", unreadable or genesis),
    ]


def _cycle_checks(book: CycleBook, findings: Findings, blocked_by: str | None) -> list[CheckResult]:
    if blocked_by is not None:
        reason = f"not checked: {blocked_by}, so the entries cannot be trusted"
        return [CheckResult("V5", NOT_CHECKED, reason), CheckResult("V6", NOT_CHECKED, reason)]
    cycles = book.cycles.values()
    ballots = sum(cycle.ballots for cycle in cycles)
    detail = f"{counted(len(cycles), 'cycle')}, {counted(ballots, 'ballot')} valid under the rules in force"
    v5 = _judged(findings, "V5", detail)
    if v5.status != PASS:
        return [v5, CheckResult("V6", NOT_CHECKED, "not checked: V5 did not pass")]
    announced = sum(cycle.announcement is not None for cycle in cycles)
    pending = len(cycles) - announced
    detail = f"{counted(announced, 'announcement')} equal to the recount" + (
        f"; {counted(pending, 'cycle')} without results announced yet" if pending else ""
    )
    return [v5, _judged(findings, "V6", detail)]


def _checkpoint_check(
    path: Path, header: Header, run: EntryPass, notes: list[CheckpointNote], findings: Findings, v1: CheckResult
) -> CheckResult:
    if v1.status != PASS or run.keyring is None:
        blocked = "V1 did not pass" if v1.status != PASS else "the genesis keys are unknown (V4)"
        return CheckResult("V7", NOT_CHECKED, f"not checked: {blocked}")
    keys = run.keyring.checkpoint_keys()
    verified: list[Checkpoint] = []
    findings.run(
        (CHECKPOINT_PHASE, 0),
        lambda: verified.extend(
            verify_checkpoints(notes, header.log, keys, run.entries, lambda sizes: merkle_roots_at(path, sizes))
        ),
    )
    sizes = ", ".join(str(checkpoint.size) for checkpoint in verified)
    return _judged(
        findings,
        "V7",
        f"{counted(len(verified), 'checkpoint')} verified (sizes {sizes})" if notes else "no checkpoints in the export",
    )


def merkle_roots_at(path: Path, sizes: set[int]) -> dict[int, bytes]:
    """The Merkle tree hash of the first `size` entries of the export at `path`, for each of `sizes` (second pass)."""
    roots = {0: EMPTY_ROOT} if 0 in sizes else {}
    wanted = sizes - {0}
    accumulator = MerkleAccumulator()
    if wanted:
        with path.open("rb") as stream:
            lines = export_lines(stream)
            next(lines)
            _accumulate(lines, accumulator, wanted, roots)
    if wanted - roots.keys():
        raise CheckpointInvalid("the export changed while it was being verified")
    return roots


def _accumulate(
    lines: Iterator[Line], accumulator: MerkleAccumulator, wanted: set[int], roots: dict[int, bytes]
) -> None:
    largest = max(wanted)
    try:
        for line in lines:
            accumulator.append(entry_bytes_of(line, accumulator.size))
            if accumulator.size in wanted:
                roots[accumulator.size] = accumulator.root()
            if accumulator.size == largest:
                return
    except ExportMalformed:
        raise CheckpointInvalid("the export changed while it was being verified") from None


def _cycle_summary(cycle_id: str, book: CycleBook, trusted: bool) -> CycleSummary:
    """A cycle as the log tells it; no recount is reported from entries whose chain or signatures failed."""
    cycle = book.cycles[cycle_id]
    return CycleSummary(
        cycle=cycle.id,
        title=cycle.title,
        rule=None if cycle.rules is None else cycle.rules.rule,
        ballots=cycle.ballots,
        announced_winners=None if cycle.announcement is None else list(cycle.announcement.winners),
        recomputed_winners=None if cycle.recount is None or not trusted else list(cycle.recount.winners),
        scores=dict(cycle.scores),
    )


def _first_error(checks: list[CheckResult], findings: Findings) -> VerificationError | None:
    """The failure met first, in the order of log-format §8: entries, then cycles, then checkpoints."""
    failed = [(findings.first[check.id][0], check.id) for check in checks if check.status == FAIL]
    if not failed:
        return None
    return findings.first[min(failed)[1]][1]
