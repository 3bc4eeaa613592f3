"""Choose and open the live camera, and keep it open: a kiosk outlives a pulled cable.

open_camera: picamera2 on a Pi, else the first USB webcam, else one clear error naming every
source tried and why it failed. ReconnectingSource wraps that in a source that never ends: when
the camera is lost it reports so (for the screen) and keeps trying to reopen it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mirror.camera.frame import Frame, FrameSource
from mirror.camera.transform import Orientation
from mirror.errors import SourceError

SOURCES = ("auto", "picamera2", "webcam")


class CameraLost(SourceError):
    """The camera stopped delivering frames mid-run (cable, power, driver). Recoverable."""


@dataclass(frozen=True)
class CameraSettings:
    """What the [camera] config section says. device: a /dev/video path for `webcam`."""

    source: str = "auto"
    camera_num: int = 0
    device: str = ""  # "" = the first USB webcam
    fps: float = 30.0
    rotate: int = 0
    mirror: bool = False
    webcam_size: tuple[int, int] = (640, 480)

    @property
    def orientation(self) -> Orientation:
        return Orientation(self.rotate, self.mirror)


def is_raspberry_pi() -> bool:
    try:
        return "raspberry pi" in Path("/proc/device-tree/model").read_text(errors="ignore").lower()
    except OSError:
        return False


def usb_webcams(sys_root: str = "/sys/class/video4linux") -> list[str]:
    """/dev/videoN nodes of USB cameras, capture nodes first (a UVC camera's node with index 0).

    A Pi also has video nodes for its ISP and codecs; only USB devices are webcams.
    """
    found = []
    for node in sorted(glob.glob(os.path.join(sys_root, "video*")), key=_node_number):
        try:
            dev = os.path.realpath(os.path.join(node, "device"))
            index = Path(node, "index").read_text().strip() if Path(node, "index").exists() else "0"
        except OSError:
            continue
        if "/usb" in dev and index == "0":
            found.append("/dev/" + os.path.basename(node))
    return found


def _node_number(path: str) -> int:
    digits = "".join(c for c in os.path.basename(path) if c.isdigit())
    return int(digits) if digits else 0


def _open_picamera2(s: CameraSettings) -> FrameSource:
    from mirror.camera.picamera2_source import Picamera2Source  # noqa: PLC0415

    return Picamera2Source(s.camera_num, s.fps, s.orientation)


def _open_webcam(s: CameraSettings) -> FrameSource:
    from mirror.camera.webcam import WebcamSource  # noqa: PLC0415

    devices = [s.device] if s.device else usb_webcams()
    if not devices:
        raise SourceError("no USB webcam found under /dev/video* (plug one in)")
    errors = []
    for dev in devices:
        try:
            return WebcamSource(dev, s.webcam_size, s.fps, s.orientation)
        except SourceError as e:
            errors.append(str(e))
    raise SourceError("; ".join(errors))


OPENERS: dict[str, Callable[[CameraSettings], FrameSource]] = {
    "picamera2": _open_picamera2,
    "webcam": _open_webcam,
}


def open_camera(settings: CameraSettings | None = None) -> FrameSource:
    """The configured camera, or for `auto` picamera2 then the first USB webcam.

    Raises SourceError naming each source tried and why it failed.
    """
    s = settings or CameraSettings()
    if s.source not in SOURCES:
        raise SourceError(f"camera source {s.source!r}: expected one of {', '.join(SOURCES)}")
    order = ["picamera2", "webcam"] if s.source == "auto" else [s.source]
    tried = []
    for name in order:
        try:
            return OPENERS[name](s)
        except SourceError as e:
            tried.append(f"{name}: {e}")
    raise SourceError("no camera could be opened: " + " | ".join(tried))


@dataclass(frozen=True)
class CameraStatus:
    """For the screen: `ok`, `lost` (with why and how many reopen attempts so far)."""

    state: str = "starting"  # starting | ok | lost | closed
    message: str = ""
    attempts: int = 0


class ReconnectingSource:
    """A source that never ends: reopens the camera after CameraLost (or a failed open).

    Frame indices keep counting across reconnects (the gap counts as dropped frames), so the
    pipeline's drop counter and the analyser's clock stay sane.
    """

    def __init__(
        self,
        opener: Callable[[], FrameSource],
        retry_s: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0),
        sleep: Callable[[float], None] = time.sleep,
        first: FrameSource | None = None,
    ) -> None:
        """first: an already opened source to start with (so `run` can fail fast with a clear
        error when no camera opens at all, and only later losses are retried)."""
        self._opener = opener
        self._first = first
        self._retry_s = retry_s
        self._sleep = sleep
        self._source: FrameSource | None = None
        self._closed = threading.Event()
        self.status = CameraStatus()
        self.clock = "monotonic"
        self._fps, self._size = (first.fps, first.size) if first is not None else (30.0, (0, 0))
        self.reconnects = 0

    @property
    def fps(self) -> float:
        return self._source.fps if self._source is not None else self._fps

    @property
    def size(self) -> tuple[int, int]:
        return self._source.size if self._source is not None else self._size

    def frames(self) -> Iterator[Frame]:
        attempts = 0
        offset = 0  # added to each source's own index
        last, last_t = -1, 0.0
        while not self._closed.is_set():
            try:
                self._source, self._first = self._first or self._opener(), None
            except Exception as e:  # any failure to open: say so and retry, never die
                attempts += 1
                self.status = CameraStatus("lost", str(e), attempts)
                self._wait(attempts)
                continue
            if attempts:
                self.reconnects += 1
            attempts = 0
            self._fps, self._size = self._source.fps, self._source.size
            self.clock = getattr(self._source, "clock", None)
            self.status = CameraStatus("ok")
            first = True
            try:
                for frame in self._source.frames():
                    if first:
                        # A new camera session restarts its index: continue after the last one,
                        # counting the frames the outage cost (from timestamps when they allow).
                        missing = 0
                        if last >= 0:
                            missing = min(max(1, round((frame.t - last_t) * self._fps) - 1), 10**7)
                        offset = last + 1 + missing - frame.index
                        first = False
                    index = frame.index + offset
                    last, last_t = index, frame.t
                    yield Frame(frame.image, frame.t, index, frame.scale)
                    if self._closed.is_set():
                        break
                else:
                    if not self._closed.is_set():
                        self.status = CameraStatus("lost", "the camera stopped sending frames", 1)
            except CameraLost as e:
                self.status = CameraStatus("lost", str(e), 1)
            finally:
                self._close_source()
            if not self._closed.is_set():
                attempts = max(attempts, 1)
                self._wait(attempts)
        self.status = CameraStatus("closed")

    def _wait(self, attempts: int) -> None:
        delay = self._retry_s[min(attempts, len(self._retry_s)) - 1]
        if self._sleep is time.sleep:
            self._closed.wait(delay)
        else:
            self._sleep(delay)

    def _close_source(self) -> None:
        src, self._source = self._source, None
        if src is not None:
            with contextlib.suppress(Exception):
                src.close()

    def close(self) -> None:
        self._closed.set()
        self._close_source()
