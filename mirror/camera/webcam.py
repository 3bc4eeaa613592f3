"""A USB webcam (V4L2) through PyAV, for people without a Pi camera.

Timestamps are the frames' pts: FFmpeg's v4l2 input passes the kernel's buffer timestamps
through, which are CLOCK_MONOTONIC (the clock of time.monotonic()), so latency counts from
when the driver got the frame. The frame is small already (640x480 by default); flip and
rotation are done in numpy on it.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mirror.camera.frame import Frame
from mirror.camera.open import CameraLost
from mirror.camera.transform import Orientation, apply
from mirror.errors import SourceError


def _import_av() -> Any:
    try:
        return importlib.import_module("av")
    except ImportError:
        raise SourceError(
            "a USB webcam needs PyAV: pip install 'hinge-mirror[video]' "
            "(on Raspberry Pi OS: sudo apt install python3-av)"
        ) from None


class WebcamSource:
    clock = "monotonic"

    def __init__(
        self,
        device: str = "/dev/video0",
        size: tuple[int, int] = (640, 480),
        fps: float = 30.0,
        orientation: Orientation | None = None,
        input_format: str = "",
    ) -> None:
        self.device = device
        self.orientation = orientation or Orientation()
        av = _import_av()
        if not Path(device).exists():
            raise SourceError(f"{device}: no such video device (is the webcam plugged in?)")
        options = {"video_size": f"{size[0]}x{size[1]}", "framerate": f"{fps:g}"}
        if input_format:
            options["input_format"] = input_format  # e.g. "mjpeg" for cameras slow in YUYV
        try:
            self._container = av.open(device, format="v4l2", options=options)
        except Exception as e:
            raise SourceError(f"{device}: cannot open webcam ({_why(e)})") from None
        streams = self._container.streams.video
        if not streams:
            self._container.close()
            raise SourceError(f"{device}: no video stream (not a camera?)")
        self._stream = streams[0]
        ctx = self._stream.codec_context
        rate = self._stream.average_rate or self._stream.guessed_rate
        self._fps = float(rate) if rate else float(fps)
        self._size = self.orientation.output_size((int(ctx.width), int(ctx.height)))
        self._closed = False

    @property
    def fps(self) -> float:
        return self._fps

    @property
    def size(self) -> tuple[int, int]:
        return self._size

    def frames(self) -> Iterator[Frame]:
        t0: float | None = None
        last = -1
        try:
            for vf in self._container.decode(self._stream):
                if self._closed:
                    return
                t = float(vf.time) if vf.time is not None else None
                if t is None:
                    index = last + 1
                    t = index / self._fps
                else:
                    if t0 is None:
                        t0 = t - max(last + 1, 0) / self._fps
                    index = max(last + 1, int(round((t - t0) * self._fps)))
                last = index
                image = apply(vf.to_ndarray(format="rgb24"), self.orientation)
                yield Frame(image, t, index)
        except Exception as e:
            if self._closed:
                return
            raise CameraLost(f"{self.device}: webcam stopped ({_why(e)})") from None
        if not self._closed:
            raise CameraLost(f"{self.device}: webcam stream ended")

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            with contextlib.suppress(Exception):
                self._container.close()


def _why(e: BaseException) -> str:
    code = getattr(e, "errno", None)
    if code == errno.EACCES:
        return "permission denied: add your user to the 'video' group"
    if code == errno.EBUSY:
        return "busy: another program is using the camera"
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return "device gone (unplugged?)"
    lines = str(e).strip().splitlines()
    return lines[0] if lines else type(e).__name__
