"""Many live clients in one process: `python -m bench.live_clients < spec.json > results.json`.

The spec: {"port", "tokens": [...]} (one stream per token). Each stream is a bare socket on
127.0.0.1 reading `GET /events`; every event's arrival is stamped with the wall clock. Prints
"open <n>" on stderr once all streams answered 200, then runs until its stdin's second line
(or EOF) arrives, and prints on stdout the JSON {"opened", "failed", "dropped", "events":
{id: [[at_epoch, [arrival_epoch, …]]]}}: when each event was published (its `at`) and when
each stream had it.
"""

import asyncio
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from typing import Any
from urllib.parse import quote

LOOPBACK = "127.0.0.1"
BATCH = 50  # connections opened at once


class Streams:
    """Every stream's arrivals."""

    def __init__(self) -> None:
        self.arrivals: dict[int, list[float]] = defaultdict(list)
        self.published: dict[int, float] = {}
        self.opened = 0
        self.failed = 0
        self.dropped = 0

    async def one(self, port: int, token: str, ready: asyncio.Event, stop: asyncio.Event) -> None:
        """Open a stream and read it until `stop`."""
        try:
            reader, writer = await asyncio.open_connection(LOOPBACK, port)
            writer.write(
                f"GET /events?token={quote(token)} HTTP/1.1\r\nHost: {LOOPBACK}:{port}\r\n"
                "Accept: text/event-stream\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
        except (OSError, asyncio.IncompleteReadError):
            self.failed += 1
            return
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            self.failed += 1
            writer.close()
            return
        self.opened += 1
        ready.set()
        waiting = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                block = asyncio.ensure_future(reader.readuntil(b"\n\n"))
                done, _ = await asyncio.wait({block, waiting}, return_when=asyncio.FIRST_COMPLETED)
                if block not in done:
                    block.cancel()
                    break
                self._event(block.result(), time.time())
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            if not stop.is_set():
                self.dropped += 1
        finally:
            waiting.cancel()
            writer.close()

    def _event(self, block: bytes, now: float) -> None:
        for line in block.decode().split("\n"):
            if line.startswith("data: "):
                body = json.loads(line[6:])
                pk = body["id"]
                self.arrivals[pk].append(now)
                if pk not in self.published:
                    self.published[pk] = dt.datetime.fromisoformat(body["at"]).timestamp()


async def main(spec: dict[str, Any]) -> dict[str, Any]:
    """Open every stream (in batches), say so, and read until told to stop."""
    streams = Streams()
    stop = asyncio.Event()
    tasks = []
    for i in range(0, len(spec["tokens"]), BATCH):
        batch = []
        for token in spec["tokens"][i : i + BATCH]:
            ready = asyncio.Event()
            tasks.append(asyncio.ensure_future(streams.one(spec["port"], token, ready, stop)))
            batch.append(ready)
        await asyncio.wait([asyncio.ensure_future(r.wait()) for r in batch], timeout=10)
    print(f"open {streams.opened}", file=sys.stderr, flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)  # the harness says when to stop
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "opened": streams.opened,
        "failed": streams.failed,
        "dropped": streams.dropped,
        "events": {
            str(pk): [streams.published[pk], times] for pk, times in streams.arrivals.items()
        },
    }


if __name__ == "__main__":
    spec = json.loads(sys.stdin.readline())
    print(json.dumps(asyncio.run(main(spec))))
