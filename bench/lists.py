"""`python -m bench.lists`: a staff user pages through every demo document while the server's
memory is watched.

Starts `gisioc serve` (granian, as `make run` serves) on 127.0.0.1 at a free port, on a database
of its own holding the demo (`gisioc_bench_lists`, or GISIOC_BENCH_LISTS_DB; created, migrated
and loaded when missing: ~40 s), signs in as the demo leader, and follows `next` from
/api/documents/documents/?limit=N (uncompressed) to the last page. A thread samples the resident
memory (RSS, from /proc) of every process of the server's group every 20 ms. Prints pages, MB,
seconds, and each process's RSS before the first page, at its peak and after the last page.
"""

import argparse
import http.cookiejar
import json
import os
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench import db, servers

NAME = os.environ.get("GISIOC_BENCH_LISTS_DB", "gisioc_bench_lists")  # a scratch database
VAR = db.ROOT / "var" / "bench" / "lists"  # its var dir: the demo logins live here
LIST = "/api/documents/documents/"
PAGE = os.sysconf("SC_PAGE_SIZE")


def ensure(log=print) -> dict[str, str]:
    """The database with the demo (idempotent); the demo logins."""
    db.DB_NAME = NAME  # bench/db.py's helpers read it when called
    os.environ["GISIOC_VAR_DIR"] = str(VAR)
    log(f"database {NAME}: migrate, demo load (each a no-op when done)")
    db._run("bash", "scripts/pg.sh", "start")
    db._gisioc("migrate", "--no-input", "-v", "0")
    db._gisioc("demo", "load")
    return json.loads((VAR / "demo-logins.json").read_text())


def group_rss(pgid: int) -> dict[int, int]:
    """RSS in bytes of every process in the process group."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, …, rss at 21
            found[int(stat.parent.name)] = int(fields[21]) * PAGE
    return found


class Sampler(threading.Thread):
    """Each process's peak RSS while running."""

    def __init__(self, pgid: int) -> None:
        super().__init__(daemon=True)
        self.pgid, self.peak, self.running = pgid, group_rss(pgid), True

    def run(self) -> None:
        while self.running:
            for pid, rss in group_rss(self.pgid).items():
                self.peak[pid] = max(rss, self.peak.get(pid, 0))
            time.sleep(0.02)

    def stop(self) -> dict[int, int]:
        self.running = False
        self.join()
        return self.peak


def signed_in(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    """An opener holding a staff session (the sign-in page every role uses)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    opener.open(f"{base}/accounts/login/", urllib.parse.urlencode(form).encode()).read()
    if not any(c.name == "sessionid" for c in jar):
        raise RuntimeError(f"signing in as {username} failed")
    return opener


def page_through(
    opener: urllib.request.OpenerDirector, url: str, *, most: int | None = None
) -> tuple[int, int, int]:
    """Pages, bytes and features of the list, following `next` to the end (or `most` pages)."""
    pages = size = features = 0
    while url:
        request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
        with opener.open(request, timeout=300) as answer:
            body = answer.read()
        page = json.loads(body)
        pages, size, features = pages + 1, size + len(body), features + len(page["features"])
        url = page["next"] if pages != most else None
    return pages, size, features


def _mb(size: int) -> float:
    return size / 1e6


def main(argv: list[str] | None = None) -> int:
    """Set up, serve, page through, report."""
    p = argparse.ArgumentParser(prog="python -m bench.lists", description=__doc__.split("\n")[0])
    p.add_argument("--limit", type=int, default=2000, help="features per page asked (2000)")
    p.add_argument("--user", default="lanhdao", help="demo login (the leader: every document)")
    p.add_argument("--smoke", action="store_true", help="three pages of 200: does it run?")
    args = p.parse_args(argv)
    if args.smoke:
        args.limit = 200
    logins = ensure()
    port = servers.free_port()
    env = db.db_env(GISIOC_EXTRA_APPS="[]", GISIOC_ALLOWED_HOSTS='["127.0.0.1"]')
    cmd = [str(db.ROOT / ".venv" / "bin" / "gisioc"), "serve"]
    cmd += ["--host", servers.LOOPBACK, "--port", str(port)]
    server = servers.Server("lists", cmd, env, db.ROOT, VAR / "serve.log")
    base = f"http://{servers.LOOPBACK}:{port}"
    with servers.Servers() as running:
        running.add(server)
        server.wait_ready("/api/me/")
        opener = signed_in(base, args.user, logins[args.user])
        page_through(opener, f"{base}{LIST}?limit=10", most=1)  # warm: the view's code and queries
        before = group_rss(server.proc.pid)
        sampler = Sampler(server.proc.pid)
        sampler.start()
        started = time.perf_counter()
        pages, size, features = page_through(
            opener, f"{base}{LIST}?limit={args.limit}", most=3 if args.smoke else None
        )
        seconds = time.perf_counter() - started
        peak = sampler.stop()
        after = group_rss(server.proc.pid)
    print(
        f"{features:,} documents in {pages} pages of ≤{args.limit}: {_mb(size):.1f} MB in "
        f"{seconds:.1f} s ({_mb(size) / seconds:.1f} MB/s)"
    )
    for pid in sorted(before):
        growth = peak[pid] - before[pid]
        print(
            f"  pid {pid}: RSS {_mb(before[pid]):.0f} MB before, peak {_mb(peak[pid]):.0f} MB "
            f"(+{_mb(growth):.0f}), after {_mb(after.get(pid, 0)):.0f} MB"
        )
    return 0 if features else 1  # the demo has documents: none listed is a failure


if __name__ == "__main__":
    raise SystemExit(main())
