"""Projection speed: rebuilding the read models beside merely reading the same log, and the lag under a steady load.

    python bench/projections.py [--store sqlite|postgres] [--entries 1000000] [--data DIR] [--rate 100] [--seconds 30]

1. The log: cycles of 100,000 ballots each, until it holds `--entries` entries. Every cycle has ideas, accepted
   projects, a register of eligible residents in four districts (its tokens, by district) and one ballot per
   resident, decided by the domain (`decide_cast`, every ballot validated) and appended through the real recorder
   (sealed, signed, chained) in transactions of 20,000 entries. Generated once into `--data` (default
   bench/.data/, not in git) and reused while it holds enough entries.
2. In one run, side by side: reading the whole log (`Ledger.iter_entries`, what any reader of the log does), then
   rebuilding every read model from scratch (`pb-ledger projections rebuild`'s code path), then reading again. The
   ratio is rebuild rate / the faster of the two reads (target: at least 0.5).
3. Lag under load: a projection worker (`pb-ledger projections run`, its own process, as in production) follows the
   log while a writer appends online ballots, one per transaction, at `--rate` per second for `--seconds`. For every
   ballot: the time from its commit until the worker's position passed it. Printed as a distribution, with the
   number of entries the worker was behind, sampled every 20 ms.

Measured on the shared 2-core development machine (other engineers' test suites running: absolute rates vary by 2x
from run to run, the ratio much less), about 1,000,000 entries (10 cycles of 100,000 ballots with their registers),
three read models (cycles, participation, cycle-facts), with the code as committed:

    store       read (entries/s)   rebuild (entries/s)   rebuild / read   lag at 100 ballots/s: p50 / p99 / max
    SQLite      206,318            117,847               0.57             0.261 / 0.515 / 0.635 s (polling, 0.5 s)
    PostgreSQL  118,518            72,666                0.61             0.023 / 0.098 / 0.855 s (LISTEN/NOTIFY)

Earlier runs (two read models, before the commits stopped waiting for fsync on SQLite) gave 0.54 and 0.67 on SQLite,
0.69 on PostgreSQL. The SQLite lag is the polling interval: a ballot waits half of it on average.

On PostgreSQL the planner statistics are refreshed first (ANALYZE, as autovacuum does after a bulk load): with the
statistics of an empty table, the log's own paged read (`Ledger.iter_entries`, `seq >= N … LIMIT`) sorted everything
after N and took 2.6 s a page; the read models fetch a bounded range (`seq >= N AND seq < N + 5000`) and are immune.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from pb_ledger.config import Settings  # noqa: E402
from pb_ledger.domain import voting  # noqa: E402
from pb_ledger.domain.cycle import Cycle, evolve  # noqa: E402
from pb_ledger.domain.eligibility import decide_publish_register  # noqa: E402
from pb_ledger.domain.rules import Rules  # noqa: E402
from pb_ledger.ledger.store import Ledger  # noqa: E402
from pb_ledger.logging_setup import configure_logging  # noqa: E402
from pb_ledger.services import Services  # noqa: E402
from projections.follow import open_view  # noqa: E402

LOG = "commune-bench"
PER_CYCLE = 100_000
DISTRICTS = ("Agdal", "Hassan", "Souissi", "Yacoub El Mansour")
APPEND = 20_000  # entries per transaction while generating
TEAM = ("pb-team", "bench")


def tokens(label: str, n: int) -> list[str]:
    return [hashlib.sha256(f"bench {label} {i}".encode()).hexdigest() for i in range(n)]


def open_cycle(services: Services, label: str, residents: int) -> tuple[str, Cycle, int, list[str]]:
    """A cycle up to an open vote, through the services, with a register of `residents` (by district)."""
    launch, review = services.launch, services.review
    cycle = launch.create_cycle(f"Bench {label}", 5_000_000_00, "MAD", 2, None, TEAM)
    services.voting.fix_rules(cycle, Rules(vote_type="approval", max_length=3, tie_break="lexicographic"), TEAM)
    launch.start_phase(cycle, "ideas", TEAM)
    ideas = [services.ideas.submit_idea(cycle, f"Projet {n}", "", district=DISTRICTS[n % 4],
                                        category=("parcs", "voirie", "culture")[n % 3]) for n in range(12)]
    launch.start_phase(cycle, "review", TEAM)
    for n, idea in enumerate(ideas):
        review.accept_idea(cycle, idea, f"P-{n:02d}", (n + 2) * 40_000_00, "ok", actor=("committee", "bench"))
    review.publish_ballot(cycle, TEAM)
    voters = tokens(label, residents)
    residence = {t: DISTRICTS[i % 4] for i, t in enumerate(voters)}
    counts = {d: sum(1 for v in residence.values() if v == d) for d in DISTRICTS}
    state, version = services.repo.load(cycle)
    events = decide_publish_register(state, voters, counts, 0, "pb-team", residence)
    version = services.repo.append_decided(cycle, version, events, TEAM)
    services.voting.open_voting(cycle, TEAM)
    state, version = services.repo.load(cycle)
    return cycle, state, version, voters


def decided_ballot(state: Cycle, i: int, token: str) -> tuple[str, dict[str, Any]]:
    projects = state.ballot
    vote = sorted({projects[(i * 7) % len(projects)], projects[(i * 13 + 5) % len(projects)]})
    channel = "paper" if i % 3 == 0 else "online"
    event = voting.decide_cast(state, channel, vote, None, "clerk" if channel == "paper" else "voter", token=token)
    evolve(state, *event)
    return event


def generate(services: Services, entries: int) -> None:
    ledger = services.ledger
    n = 0
    while ledger.head()[0] < entries:
        n += 1
        cycle, state, version, voters = open_cycle(services, f"cycle {n}", min(PER_CYCLE, entries - ledger.head()[0]))
        for start in range(0, len(voters), APPEND):
            batch = [decided_ballot(state, i, voters[i]) for i in range(start, min(start + APPEND, len(voters)))]
            version = services.repo.append_decided(cycle, version, batch, ("voter", ""))
            print(f"\r  generated {ledger.head()[0]:,} entries", end="", file=sys.stderr, flush=True)
        services.voting.close_voting(cycle, TEAM)
        services.voting.announce_results(cycle, TEAM)
    print(file=sys.stderr)


def read_rate(ledger: Ledger, parse: bool = False) -> tuple[int, float]:
    started, count = time.perf_counter(), 0
    for row in ledger.iter_entries(page=5000):
        if parse:
            orjson.loads(row.entry)
        count += 1
    return count, count / (time.perf_counter() - started)


def rebuild_rate(settings: Settings) -> tuple[int, float]:
    view = open_view(settings, LOG)
    view.migrate()
    view.reset()
    started = time.perf_counter()
    position = view.catch_up()
    rate = position / (time.perf_counter() - started)
    view.close()
    return position, rate


def percentiles(values: list[float]) -> str:
    if not values:
        return "no samples"
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return (f"p50 {pick(0.5):.3f}  p90 {pick(0.9):.3f}  p99 {pick(0.99):.3f}  max {ordered[-1]:.3f}  "
            f"mean {statistics.fmean(ordered):.3f}")


def lag_under_load(settings: Settings, services: Services, rate: float, seconds: float, env: dict[str, str]) -> None:
    cycle, state, version, voters = open_cycle(services, f"load {time.time()}", int(rate * seconds) + 10)
    view = open_view(settings, LOG)
    worker = subprocess.Popen([sys.executable, "-m", "pb_ledger.cli", "projections", "run"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while view.position() < view.head():  # the worker has caught up with everything before the load
            time.sleep(0.1)
        committed: list[tuple[int, float]] = []
        samples: list[tuple[float, int, int]] = []
        done = threading.Event()
        sampler = threading.Thread(target=sample, args=(view, samples, done))
        sampler.start()
        started = time.perf_counter()
        for i in range(int(rate * seconds)):
            time.sleep(max(0.0, started + i / rate - time.perf_counter()))
            version = services.repo.append_decided(cycle, version, [decided_ballot(state, i, voters[i])], ("voter", ""))
            committed.append((services.ledger.last_appended()[0][0], time.perf_counter()))
        achieved = len(committed) / (time.perf_counter() - started)
        while view.position() <= committed[-1][0]:
            time.sleep(0.01)
        time.sleep(0.05)
        done.set()
        sampler.join()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
        view.close()
    latencies = apply_latencies(committed, samples)
    print(f"lag under load: {len(committed)} online ballots at {achieved:.0f}/s (asked {rate:g}/s), one per "
          f"transaction, worker in its own process ({'LISTEN/NOTIFY' if settings.uses_postgres else 'polling'})")
    print(f"  seconds from commit to applied:  {percentiles(latencies)}")
    print(f"  entries behind (every 20 ms):     {percentiles([float(h - p) for _, h, p in samples])}")


def sample(view: Any, samples: list[tuple[float, int, int]], done: threading.Event) -> None:
    while not done.is_set():
        head, position = view.head(), view.position()
        samples.append((time.perf_counter(), head, position))
        done.wait(0.02)


def apply_latencies(committed: list[tuple[int, float]], samples: list[tuple[float, int, int]]) -> list[float]:
    latencies, j = [], 0
    for seq, at in committed:
        while j < len(samples) and (samples[j][2] <= seq or samples[j][0] < at):
            j += 1
        if j < len(samples):
            latencies.append(samples[j][0] - at)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / ".data")
    parser.add_argument("--rate", type=float, default=100.0, help="ballots per second under load")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the load lasts")
    parser.add_argument("--database", default="pbl_bench_projections", help="PostgreSQL database (created if absent)")
    args = parser.parse_args()
    configure_logging("WARNING")
    data = args.data / args.store
    url = postgres_url(args.database) if args.store == "postgres" else None
    settings = Settings(data_dir=data, database_url=url)
    env = {**os.environ, "PB_LEDGER_DATA_DIR": str(data), "PB_LEDGER_LOG": LOG}
    if url:
        env["PB_LEDGER_DATABASE_URL"] = url
    ledger = Ledger(settings, LOG)
    services = Services(ledger)
    if ledger.head()[0] < args.entries:
        print(f"generating a log of {args.entries:,} entries into {data} (once) …", file=sys.stderr)
        started = time.perf_counter()
        generate(services, args.entries)
        print(f"  {ledger.head()[0]:,} entries in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if url:
        analyse(url)
    print(f"store: {args.store}; log: {ledger.head()[0]:,} entries; cores: {os.cpu_count()}")
    n1, read1 = read_rate(ledger)
    _, parsed = read_rate(ledger, parse=True)
    rebuilt, rebuild = rebuild_rate(settings)
    n2, read2 = read_rate(ledger)
    assert n1 == n2 == rebuilt, (n1, n2, rebuilt)
    read = max(read1, read2)
    print(f"read the log:                {read1:>10,.0f} entries/s, again after the rebuild {read2:,.0f} entries/s")
    print(f"read and parse every entry:  {parsed:>10,.0f} entries/s")
    print(f"rebuild every read model:    {rebuild:>10,.0f} entries/s ({rebuilt:,} entries)")
    print(f"rebuild / read:              {rebuild / read:>10.2f}   (target >= 0.5)")
    lag_under_load(settings, services, args.rate, args.seconds, env)
    ledger.close()


def analyse(url: str) -> None:
    """Fresh planner statistics, as autovacuum makes them shortly after a bulk load: with the statistics of an
    almost empty table, PostgreSQL reads `seq >= N … LIMIT` pages of the log by sorting everything after N."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def postgres_url(database: str) -> str:
    import psycopg

    admin = os.environ.get("PB_LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", (database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{database}"')
    return admin.rsplit("/", 1)[0] + "/" + database


if __name__ == "__main__":
    if "--clean" in sys.argv:
        shutil.rmtree(ROOT / "bench" / ".data", ignore_errors=True)
        sys.exit(0)
    main()
