"""Real pabulib elections through the whole product, on both stores: import, export, independent recount."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pb_ledger.config import Settings
from pb_ledger.importer import ImportRefused, import_pabulib
from pb_ledger.ledger.export import export_log
from pb_ledger.ledger.store import Ledger
from pb_ledger.pabulib import parse_pabulib
from pb_ledger.services import Services

from tests.conftest import PABULIB, shared_path


def has_selection(path: Path) -> bool:
    """Whether the file's PROJECTS header has a `selected` column (read without parsing the whole file)."""
    with path.open(encoding="utf-8-sig") as f:
        for line in f:
            if line.strip().upper() == "PROJECTS":
                return "selected" in [h.strip() for h in next(f, "").split(";")]
    return False


# every real election with a published selection is imported, counted and verified (new files are picked up too)
ELECTIONS = sorted(p.name for p in PABULIB.glob("*.pb") if has_selection(p)) or ["(no shared data)"]
UNSUPPORTED = ["US_Stanford_Dataset_PB_Cambridge_2019_vote_approvals.pb"]  # rule "unknown"


def official_winners(path: Path) -> set[str]:
    return {p.project_id for p in parse_pabulib(path).projects if p.selected == 1}


def verify(export: Path, key: Path) -> dict:  # type: ignore[type-arg]
    done = subprocess.run([sys.executable, "-m", "verifier", str(export), "--root-key", str(key), "--json"],
                          capture_output=True, text=True)
    report = json.loads(done.stdout)
    assert (done.returncode == 0) == report["ok"], done.stderr
    return report


@pytest.mark.slow
@pytest.mark.parametrize("name", ELECTIONS)
def test_the_count_and_the_verifier_reproduce_the_official_winners(name: str, settings: Settings,
                                                                   tmp_path: Path) -> None:
    path = shared_path("data", "pabulib", name)
    ledger = Ledger(settings, "commune-real")
    result = import_pabulib(Services(ledger), path)
    assert set(result.winners) == official_winners(path)

    export, key = tmp_path / "log.export", tmp_path / "root.pem"
    export_log(ledger, export)
    key.write_bytes(ledger.keys.public_pem())
    report = verify(export, key)
    assert report["ok"], report["error"]
    [cycle] = report["cycles"]
    assert cycle["recomputed_winners"] == cycle["announced_winners"] == result.winners


@pytest.mark.parametrize("name", UNSUPPORTED)
def test_elections_with_other_rules_are_refused_not_miscounted(name: str, tmp_path: Path) -> None:
    path = shared_path("data", "pabulib", name)
    ledger = Ledger(Settings(data_dir=tmp_path / "data"), "commune-real")
    head = ledger.head()
    with pytest.raises(ImportRefused) as refused:
        import_pabulib(Services(ledger), path)
    assert refused.value.code == "unsupported_rule" and "unsupported rule 'unknown'" in refused.value.message
    assert ledger.head() == head  # nothing appended
