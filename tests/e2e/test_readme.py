"""The README's commands, run as they are written, so that they cannot rot (STYLE.md §12).

Each `sh` block of the README's sections "A real election, end to end" and "Running a cycle from the command line"
runs in bash with `set -e`, in a fresh folder that has `../shared` beside it, as a user would type it. The only
change: the one-time code that a user copies from the server log is read from that log (the README says so)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, shared_path

README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE_FROM_LOG = "$(grep -o '\"code\": \"[0-9]*\"' codes.log | tail -1 | grep -o '[0-9]\\{6\\}')"


def section(title: str) -> str:
    start = README.index(f"## {title}\n")
    following = README.find("\n## ", start + 1)
    return README[start:following if following != -1 else None]


def sh_blocks(title: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", section(title), re.S)


@pytest.fixture
def workplace(tmp_path: Path) -> Path:
    """A project folder with ../shared beside it, as in the README."""
    (tmp_path / "shared").symlink_to(shared_path())
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def run(script: str, folder: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PB_LEDGER_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PB_LEDGER_DATA_DIR"] = str(folder / "pb-data")
    return subprocess.run(["bash", "-c", "set -euo pipefail\n" + script], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=600)


def test_the_quick_start_has_exactly_two_commands_and_ci_runs_the_second() -> None:
    quick = sh_blocks("Quick start")
    assert len(quick) == 1
    commands = [line.split("#")[0].strip() for line in quick[0].splitlines() if line.split("#")[0].strip()]
    assert commands == ["scripts/run.sh", "scripts/test.sh"]
    assert "exec bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
    assert "pb-ledger serve --demo" in (ROOT / "scripts" / "run.sh").read_text()


def test_a_real_election_imports_exports_and_verifies_then_the_tampered_export_fails_at_its_seq(
        workplace: Path) -> None:
    election, tampering, conformance = sh_blocks("A real election, end to end")
    done = run(election.replace("export PB_LEDGER_DATA_DIR=/tmp/warsaw", "export PB_LEDGER_DATA_DIR=$PWD/warsaw"),
               workplace)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: every check passed" in done.stdout
    announced = re.search(r"announced winners: +(.*)", done.stdout)
    assert announced and "88" in announced.group(1).split(", ")
    expected_seq = re.search(r"FAIL at seq (\d+)", tampering)
    assert expected_seq is not None
    failed = run(tampering.split("#")[0], workplace)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"seq {expected_seq.group(1)}" in failed.stdout
    # the conformance block is what scripts/test.sh runs on both stores (it needs the whole shared folder)
    assert "python ../shared/checks/pabulib_conformance.py" in conformance
    assert "python ../shared/checks/pabulib_conformance.py" in (ROOT / "scripts" / "test.sh").read_text()


def test_a_cycle_runs_from_the_command_line_as_the_readme_shows(workplace: Path) -> None:
    script = "\n".join(sh_blocks("Running a cycle from the command line"))
    assert "--code 123456" in script and "request-code" in script
    script = script.replace("--as voter     #", "--as voter 2>codes.log     #", 1)
    script = script.replace("--code 123456", f"--code {CODE_FROM_LOG}")
    done = run(script, workplace)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "batch B1 of station S1: 1 accepted, 1 refused" in done.stdout
    assert "refused [already_voted]" in done.stdout
    assert "OK: every check passed" in done.stdout
    assert "BE123456" not in (workplace / "commune.export").read_text(encoding="utf-8")
