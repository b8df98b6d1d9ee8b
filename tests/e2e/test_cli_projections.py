"""The read models from the command line, on each store: `pb-ledger projections status|rebuild`, the evaluation
report and the open data of the demonstration cycle, and the refusal of a read model that does not exist."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pb_ledger.config import Settings
from tests.conftest import env_for

LOG = "commune-cli-proj"


def run(settings: Settings, *args: str | Path, status: int = 0) -> subprocess.CompletedProcess[str]:
    env = {**env_for(settings), "PB_LEDGER_LOG": LOG}
    done = subprocess.run([sys.executable, "-m", "pb_ledger.cli", *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == status, done.stdout + done.stderr
    return done


def test_status_rebuild_report_and_open_data_of_the_demo(settings: Settings, tmp_path: Path) -> None:
    cycle = run(settings, "demo").stdout.split("cycle: ")[1].strip()
    before = json.loads(run(settings, "projections", "status", "--json").stdout)
    assert [m["name"] for m in before["read_models"]] == ["cycles", "participation", "cycle-facts"]
    assert all(m["lag_entries"] == before["entries"] for m in before["read_models"])  # nothing applied yet

    rebuilt = run(settings, "projections", "rebuild")
    assert f"rebuilt cycles, participation, cycle-facts of log {LOG}: {before['entries']} entries" in rebuilt.stdout
    assert "rebuilding cycles, participation, cycle-facts" in rebuilt.stderr  # the progress bar
    after = json.loads(run(settings, "projections", "status", "--json").stdout)
    assert all(m["lag_entries"] == 0 and m["position"] == before["entries"] for m in after["read_models"])
    assert "participation  applied" in run(settings, "projections", "status").stdout

    run(settings, "report", "--cycle", cycle, "--out", tmp_path / "report", "--lang", "fr", "--no-pdf")
    assert "Rapport d" in (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert (tmp_path / "report" / "charts" / "implementation.png").stat().st_size > 10_000
    run(settings, "open-data", "--cycle", cycle, "--out", tmp_path / "open")
    assert json.loads((tmp_path / "open" / "manifest.json").read_text())["format"] == "pb-ledger-open-data/1"

    refused = run(settings, "projections", "rebuild", "--model", "votes", status=2)
    assert "error [unknown_read_model]" in refused.stderr and "cycles, participation, cycle-facts" in refused.stderr
    unknown = run(settings, "report", "--cycle", "nope", "--out", tmp_path / "x", status=2)
    assert "error [unknown_cycle]" in unknown.stderr
