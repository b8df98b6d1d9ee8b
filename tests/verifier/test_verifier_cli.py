"""pb-verify on the command line: exit status, the JSON object, the text report, and usage errors."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from verifier.cli import main

from .logbuilder import (
    ROOT,
    STANDARD_SCORES,
    STANDARD_WINNERS,
    STRANGER,
    LogBuilder,
    add_cycle,
    ballot,
    standard_log,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECK_IDS = ["V1", "V2", "V3", "V4", "V5", "V6", "V7"]


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "verifier", *map(str, args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def valid_export(tmp_path: Path) -> Path:
    builder, _ = standard_log()
    return builder.write(tmp_path / "valid.jsonl")


def test_a_valid_export_exits_0_and_prints_one_json_object_of_the_documented_shape(
    valid_export: Path, root_pem: Path
) -> None:
    result = run_cli(valid_export, "--root-key", root_pem, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"ok", "log", "entries", "checks", "cycles", "error"}
    assert report["ok"] is True and report["error"] is None
    assert report["log"] == "commune-test" and report["entries"] == 25
    assert [check["id"] for check in report["checks"]] == CHECK_IDS
    for check in report["checks"]:
        assert set(check) == {"id", "name", "status", "detail", "seq"}
        assert check["status"] == "pass" and check["seq"] is None and check["name"] and check["detail"]
    assert report["cycles"] == [
        {
            "cycle": "2026",
            "title": "Budget participatif 2026",
            "rule": "greedy",
            "ballots": 8,
            "announced_winners": STANDARD_WINNERS,
            "recomputed_winners": STANDARD_WINNERS,
            "scores": STANDARD_SCORES,
        }
    ]


def test_the_text_report_names_the_log_each_check_and_each_cycles_winners(valid_export: Path, root_pem: Path) -> None:
    result = run_cli(valid_export, "--root-key", root_pem)
    assert result.returncode == 0
    text = result.stdout
    assert "log commune-test, 25 entries" in text
    for check in CHECK_IDS:
        assert f"{check} PASS" in text
    assert 'cycle 2026 "Budget participatif 2026": rule greedy, 8 ballots' in text
    assert "announced winners:  p1, p2, p5, p4" in text
    assert "recomputed winners: p1, p2, p5, p4" in text


def test_a_failing_export_exits_1_and_the_text_names_the_first_failing_seq(tmp_path: Path, root_pem: Path) -> None:
    builder, _ = standard_log()
    lines = builder.lines()
    del lines[1 + 12]
    path = tmp_path / "deleted.jsonl"
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    result = run_cli(path, "--root-key", root_pem)
    assert result.returncode == 1
    assert "FAIL seq 12: entry 12 is missing (found seq 13 in its place)" in result.stdout
    assert "V2 FAIL" in result.stdout and "V5 NOT-CHECKED" in result.stdout


def test_a_failing_export_gives_ok_false_and_the_error_object_in_json(tmp_path: Path, root_pem: Path) -> None:
    builder, _ = standard_log()
    builder.append("BallotCast", ballot("p1"), "2026", signer=STRANGER)
    path = builder.write(tmp_path / "stranger.jsonl")
    result = run_cli(path, "--root-key", root_pem, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["error"] == {
        "seq": 25,
        "code": "unknown-key",
        "message": f"key {STRANGER.key_id} is not authorised by the log",
    }
    statuses = {check["id"]: (check["status"], check["seq"]) for check in report["checks"]}
    assert statuses["V4"] == ("fail", 25)
    assert statuses["V5"][0] == statuses["V6"][0] == "not-checked"


def test_help_is_answered(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as leaving:
        main(["--help"])
    assert leaving.value.code == 0
    assert "--root-key KEYFILE" in capsys.readouterr().out


def test_a_missing_export_is_a_usage_error(tmp_path: Path, root_pem: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "absent.jsonl"), "--root-key", str(root_pem)]) == 2
    assert "no export file at" in capsys.readouterr().err


def test_a_missing_root_key_argument_is_a_usage_error(valid_export: Path) -> None:
    with pytest.raises(SystemExit) as leaving:
        main([str(valid_export)])
    assert leaving.value.code == 2


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read root key file"),
        (b"not a key\n", "is not a PEM, base64 or hex Ed25519 public key"),
        (b"AAAA\n", "is not a PEM, base64 or hex Ed25519 public key"),
        (b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "is not a readable PEM public key"),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "holds a private key"),
        (
            generate_private_key(65537, 2048)
            .public_key()
            .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo),
            "not an Ed25519 public key",
        ),
    ],
    ids=["missing-file", "text", "short-base64", "bad-pem", "private-key", "rsa-key"],
)
def test_an_unreadable_root_key_is_a_usage_error_with_a_clear_message(
    tmp_path: Path, valid_export: Path, content: bytes | None, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "root.key"
    if content is not None:
        key_file.write_bytes(content)
    assert main([str(valid_export), "--root-key", str(key_file)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("pb-verify: error: ") and message in error


@pytest.mark.parametrize(
    "content",
    [
        ROOT.public_pem(),
        ROOT.public.hex().encode() + b"\n",
        ROOT.public.hex().upper().encode(),
        base64.b64encode(ROOT.public) + b"\n",
    ],
    ids=["pem", "hex", "upper-hex", "base64"],
)
def test_the_root_key_file_may_be_pem_base64_or_hex(tmp_path: Path, valid_export: Path, content: bytes) -> None:
    key_file = tmp_path / "root.key"
    key_file.write_bytes(content)
    assert main([str(valid_export), "--root-key", str(key_file), "--json"]) == 0


def test_a_cycle_without_results_is_reported_with_its_recount_and_no_announcement(
    tmp_path: Path, root_pem: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    builder = LogBuilder()
    builder.genesis()
    add_cycle(builder, announce=False)
    path = builder.write(tmp_path / "open.jsonl")
    assert main([str(path), "--root-key", str(root_pem), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    (cycle,) = report["cycles"]
    assert cycle["announced_winners"] is None and cycle["recomputed_winners"] == STANDARD_WINNERS
    assert "1 cycle without results announced yet" in report["checks"][5]["detail"]
