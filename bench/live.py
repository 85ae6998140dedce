"""`python -m bench.live [--quick]`: public tiles while 500 live clients hold their streams open.

The real servers (`gisioc serve` and `gisioc live serve`, as `make run` runs them) on the demo
data of bench.load's scratch database, loopback only. Two phases of the same tile load
(bench.load's district tiles, 4 keep-alive connections, as a map does):
  alone  the tiles with no live client
  held   the same tiles while 500 SSE clients (bench/live_clients.py, one process) hold their
         streams open and N events are published on the bus, one every `--every` seconds; every
         client hears every event (all public)
Reported: the tiles' p50/p95/max and req/s in both phases and their ratios; the delivery
latency of the events (publication to arrival, over every event × client, and the slowest
client per event) and how many deliveries arrived. See bench/README.md ("Live updates").
"""

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import db, load, report, servers
from bench.__main__ import commit, load_average, log, machine

OUT_DIR = db.ROOT / "var" / "bench"
START, END = "<!-- live-figures:start -->", "<!-- live-figures:end -->"


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="python -m bench.live", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="short phases, no README")
    p.add_argument("--smoke", action="store_true", help="2 s phases, 20 streams: does it run?")
    p.add_argument("--clients", type=int, help="live streams held open (500)")
    p.add_argument("--seconds", type=float, help="length of each phase (30; --quick 10)")
    p.add_argument("--every", type=float, default=0.5, help="seconds between published events")
    p.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    p.add_argument("--out", type=Path, help="results file (var/bench/live-<date>.json)")
    args = p.parse_args(argv)
    args.quick = args.quick or args.smoke
    args.seconds = args.seconds or (2.0 if args.smoke else 10.0 if args.quick else 30.0)
    args.clients = args.clients or (20 if args.smoke else 500)
    return args


def live_server(logs: Path) -> servers.Server:
    """`gisioc live serve` (no jobs: nothing but the streams) on a free port."""
    port = servers.free_port()
    cmd = [
        str(db.ROOT / ".venv" / "bin" / "gisioc"),
        *("live", "serve", "--host", servers.LOOPBACK, "--port", str(port), "--no-jobs"),
    ]
    return servers.Server("live-sse", cmd, db.db_env(), db.ROOT, logs / "live-sse.log")


def tokens(count: int) -> list[str]:
    """Public, leaders' and commune officers' tokens (8:1:1); every bench event is public."""
    from gisioc.live.tokens import Listener, token_make

    kinds = [
        token_make(Listener()),
        token_make(Listener(role="leader")),
        token_make(Listener(role="commune_officer", scope=frozenset({1, 2, 3}))),
    ]
    return [kinds[0] if i % 10 < 8 else kinds[1 + i % 2] for i in range(count)]


def clients_start(port: int, count: int) -> subprocess.Popen:
    """The live clients' process, once every stream is open (or failed)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.live_clients"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=db.ROOT,
    )
    proc.stdin.write(json.dumps({"port": port, "tokens": tokens(count)}) + "\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if line.startswith("open "):
            log(f"{line.split()[1]} of {count} live streams open")
            return proc
        if not line and proc.poll() is not None:
            break
    raise RuntimeError(f"the live clients did not open their streams: {proc.stderr.read()}")


def clients_finish(proc: subprocess.Popen) -> dict[str, Any]:
    """Tell the clients to stop and read what they heard."""
    out, err = proc.communicate("stop\n", timeout=120)
    if proc.returncode:
        raise RuntimeError(f"live clients failed:\n{err[-3000:]}")
    return json.loads(out)


def publish(count: int, every: float) -> list[int]:
    """Publish `count` public events, one every `every` seconds (each committed at once)."""
    from gisioc.live.bus import event_publish

    ids = []
    for i in range(count):
        t0 = time.perf_counter()
        ids.append(event_publish(kind="bench.tick", data={"n": i}, point=(108.25, 15.85)).pk)
        time.sleep(max(0.0, every - (time.perf_counter() - t0)))
    return ids


def measure(app: servers.Server, sse: servers.Server, args: argparse.Namespace) -> dict[str, Any]:
    """Warm the tiles; tiles alone; tiles with the clients held open and events published."""
    tiles = load.tile_paths(args)
    log(f"warming {len(tiles)} tiles")
    load._finish(load._start(load._spec(app.port, tiles, 4, 120.0) | {"requests": len(tiles)}), 120)
    log(f"alone: tiles for {args.seconds:.0f} s")
    spec = load._spec(app.port, tiles, load.TILE_CONNECTIONS, args.seconds)
    alone = load._finish(load._start(spec), args.seconds)
    clients = clients_start(sse.port, args.clients)
    time.sleep(1.0)
    count = max(1, int(args.seconds / args.every) - 1)
    log(f"held: tiles for {args.seconds:.0f} s, {args.clients} streams, {count} events")
    tiles_proc = load._start(spec)
    ids = publish(count, args.every)
    held = load._finish(tiles_proc, args.seconds)
    time.sleep(2.0)  # the last event's deliveries
    heard = clients_finish(clients)
    return {"tiles": {"alone": alone, "held": held}, "ids": ids, "heard": heard, "n": len(tiles)}


def latencies(raw: dict[str, Any], clients: int) -> dict[str, Any]:
    """Delivery latency over every event × client, and of the slowest client per event."""
    events = raw["heard"]["events"]
    every, first, slowest, delivered = [], [], [], 0
    for pk in raw["ids"]:
        at, times = events.get(str(pk), [None, []])
        delivered += len(times)
        if not times:
            continue
        ms = [(t - at) * 1000 for t in times]
        every += ms
        first.append(min(ms))
        slowest.append(max(ms))
    rounded = lambda v: round(v, 1)  # noqa: E731
    return {
        "events": len(raw["ids"]),
        "deliveries": delivered,
        "expected": len(raw["ids"]) * clients,
        "p50": rounded(report.pct(every, 0.5)),
        "p95": rounded(report.pct(every, 0.95)),
        "max": rounded(max(every, default=float("nan"))),
        "first_p50": rounded(report.pct(first, 0.5)),
        "first_p95": rounded(report.pct(first, 0.95)),
        "slowest_p50": rounded(report.pct(slowest, 0.5)),
        "slowest_p95": rounded(report.pct(slowest, 0.95)),
    }


def results(raw: dict[str, Any], args: argparse.Namespace, mach: dict) -> dict[str, Any]:
    """Everything for the JSON file and the printed tables."""
    tiles = {k: report.summarise([v]) for k, v in raw["tiles"].items()}
    mach["load_after"] = load_average()
    heard = raw["heard"]
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "commit": commit(),
        "machine": mach,
        "config": {
            "server": servers.described(None, None),
            "clients": args.clients,
            "seconds": args.seconds,
            "every": args.every,
            "tiles": raw["n"],
            "tile_connections": load.TILE_CONNECTIONS,
        },
        "tiles": tiles,
        "p95_ratio": round(tiles["held"]["p95"] / tiles["alone"]["p95"], 2),
        "p50_ratio": round(tiles["held"]["p50"] / tiles["alone"]["p50"], 2),
        "rps_ratio": round(tiles["held"]["rps"] / tiles["alone"]["rps"], 2),
        "streams": {k: heard[k] for k in ("opened", "failed", "dropped")},
        "latency": latencies(raw, heard["opened"]),
        "raw": {"tiles": raw["tiles"], "ids": raw["ids"]},
    }


def markdown(res: dict[str, Any]) -> str:
    """The README block."""
    m, c, t, s, lat = res["machine"], res["config"], res["tiles"], res["streams"], res["latency"]
    lines = [
        f"Run {res['date']}{' (quick)' if res['quick'] else ''}, commit {res['commit']}; "
        f"{m['cores']} cores (shared, noisy), load average before {m['load_before']}, after "
        f"{m['load_after']}; {c['server']} and `gisioc live serve` (one asyncio process).",
        "",
        f"**Tiles** ({c['tiles']} public district tiles, tile cache warm, "
        f"{c['tile_connections']} connections, {c['seconds']:g} s a phase):",
        "",
        "| phase | requests | errors | req/s | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {name} | {x['requests']:,} | {x['errors']} | {x['rps']:,} | {x['p50']} | "
            f"{x['p95']} | {x['max']} |"
            for name, x in t.items()
        ),
        "",
        f"Held ÷ alone: req/s **{res['rps_ratio']}**, p50 **{res['p50_ratio']}**, "
        f"p95 **{res['p95_ratio']}**.",
        "",
        f"**Live streams**: {s['opened']} open ({s['failed']} refused, {s['dropped']} dropped); "
        f"{lat['events']} events, one every {c['every']:g} s, {lat['deliveries']:,} of "
        f"{lat['expected']:,} deliveries arrived. Publication (commit) to arrival: p50 "
        f"**{lat['p50']} ms**, p95 **{lat['p95']} ms**, max {lat['max']} ms; per event, the "
        f"first client: p50 {lat['first_p50']} ms, p95 {lat['first_p95']} ms; the last of the "
        f"{s['opened']}: p50 {lat['slowest_p50']} ms, p95 {lat['slowest_p95']} ms.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Set up, serve, measure, report; the servers are stopped however this ends."""
    args = parse(argv)
    mach = machine()
    tmp = Path(tempfile.mkdtemp(prefix="gisioc-bench-live-"))
    try:
        load.ensure(tmp / "harness")
        with servers.Servers() as srv:
            app = srv.add(
                servers.gisioc(
                    "live-gisioc",
                    cache=True,
                    var_dir=tmp / "server",
                    logs=OUT_DIR / "logs",
                    extra_apps="[]",
                )
            )
            sse = srv.add(live_server(OUT_DIR / "logs"))
            app.wait_ready("/tiles/style.json")
            sse.wait_ready("/health")
            log(f"{servers.described(None, None)} on :{app.port}, live on :{sse.port}")
            raw = measure(app, sse, args)
        res = results(raw, args, mach)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report.results_publish(res, block=markdown(res), name="live", args=args, start=START, end=END)
    failed = res["tiles"]["alone"]["errors"] or res["tiles"]["held"]["errors"]
    return 1 if failed or res["streams"]["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
