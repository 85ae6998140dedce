"""The camera system's periodic job in the live server: cameras silent too long go offline."""

from gisioc.cameras.services import cameras_silence_check
from gisioc.live.jobs import job_register

EVERY_S = 5  # a camera is marked offline at most this long after its silence ran out

job_register("cameras.silence", EVERY_S, cameras_silence_check)
