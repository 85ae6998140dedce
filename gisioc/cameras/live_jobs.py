"""The camera system's periodic jobs in the live server: cameras silent too long go offline;
snapshots no row names are swept."""

from gisioc.cameras.services import cameras_silence_check
from gisioc.cameras.snapshots import snapshots_orphans_delete
from gisioc.live.jobs import job_register

EVERY_S = 5  # a camera is marked offline at most this long after its silence ran out
SWEEP_S = 3600  # snapshots of rolled-back ingest chunks go within the hour after the next

job_register("cameras.silence", EVERY_S, cameras_silence_check)
job_register("cameras.snapshots-sweep", SWEEP_S, snapshots_orphans_delete)
