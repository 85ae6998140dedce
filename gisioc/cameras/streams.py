"""The demo cameras' streams, made once at demo load with ffmpeg's test sources (no encoder
runs afterwards): a few seconds of HLS that players loop, a still snapshot, and frames that
the fake camera server sends as an endless MJPEG. Served by the fake source system
(`gisioc/cameras/fake.py`), as a real town's cameras serve their own streams."""

import os
import shutil
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings

SECONDS = 4
FPS = 10
MJPEG_FPS = 5
SIZE = "640x360"
VERSION = "1"  # change when the recipe changes: streams are made again
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
PLAYLIST, SNAPSHOT = "index.m3u8", "snapshot.jpg"
WORKERS = 2


def media_port() -> int:
    """The port of the fake cameras' server: the fake source's port (`GISIOC_FAKE_PORT`,
    as scripts/serve.sh reads it) plus one."""
    return int(os.environ.get("GISIOC_FAKE_PORT", "8765")) + 1


def media_base(port: int | None = None) -> str:
    """Where the browser reaches the fake cameras (the app's host, the cameras' port)."""
    host = settings.CONFIG.host.replace("0.0.0.0", "127.0.0.1")
    return f"http://{host}:{port or media_port()}/cameras"


def streams_dir() -> Path:
    """The folder of the demo cameras' generated streams."""
    return Path(settings.CONFIG.var_dir) / "camera-streams"


def stream_dir(code: str) -> Path:
    """One camera's folder: its playlist and segments, snapshot and MJPEG frames."""
    return streams_dir() / code


def _source(code: str, number: int) -> str:
    hue = (number * 47) % 360
    text = f"{code}  DEMO"
    draw = f"drawtext=text='{text}':fontcolor=white:fontsize=26:box=1:boxcolor=black@0.55:x=14:y=14"
    if FONT.is_file():
        draw += f":fontfile={FONT}"
    return f"testsrc2=size={SIZE}:rate={FPS}:duration={SECONDS},hue=h={hue},{draw}"


def _ffmpeg(*args: str) -> None:
    command = [shutil.which("ffmpeg") or "ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]
    subprocess.run([*command, *args], check=True, capture_output=True, timeout=120)


def stream_make(code: str, number: int, *, mjpeg: bool) -> Path:
    """Make a camera's HLS loop, snapshot and (for MJPEG cameras) frames, unless made with
    this recipe already; its folder."""
    folder = stream_dir(code)
    done = folder / ".done"
    if done.is_file() and done.read_text() == f"{VERSION}:{mjpeg}":
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = ["-f", "lavfi", "-i", _source(code, number)]
    _ffmpeg(
        *source, "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "baseline",
        "-pix_fmt", "yuv420p", "-g", str(FPS * 2), "-bitexact",
        "-f", "hls", "-hls_time", "2", "-hls_list_size", "0", "-hls_playlist_type", "vod",
        "-hls_segment_filename", str(folder / "seg%d.ts"), str(folder / PLAYLIST),
    )  # fmt: skip
    _ffmpeg(*source, "-frames:v", "1", "-q:v", "4", "-bitexact", str(folder / SNAPSHOT))
    if mjpeg:
        _ffmpeg(
            *source, "-vf", f"fps={MJPEG_FPS}", "-q:v", "6", "-bitexact",
            str(folder / "frame%03d.jpg"),
        )  # fmt: skip
    done.write_text(f"{VERSION}:{mjpeg}")
    return folder


def streams_make(cameras: Iterable[tuple[str, int, bool]]) -> int:
    """Make the streams of (code, number, mjpeg) cameras, two ffmpegs at a time; how many."""
    jobs = list(cameras)
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(lambda job: stream_make(job[0], job[1], mjpeg=job[2]), jobs))
    return len(jobs)


def mjpeg_frames(code: str) -> list[bytes]:
    """A camera's MJPEG frames, in order (empty when it has none)."""
    return [p.read_bytes() for p in sorted(stream_dir(code).glob("frame*.jpg"))]
