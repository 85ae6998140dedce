"""Scheduled pulls: a system's puller reads a source's HTTP API from a cursor into a run.

A puller yields pages of records changed since a cursor; each page says where the next pull
would start once it and the pages before it are stored. The cursor moves only when the whole
run succeeds, so a failed pull is simply repeated (re-sent records come back "unchanged").

`registry` (which puller reads which system; the change feed by default), `client` (HTTP and
its failures), `feed` (the standard paged change feed), `services` (pull sources, one pull
run), `loop` (every due source, and the daily pruning of raw rows).
"""
