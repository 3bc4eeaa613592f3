"""Raspberry Pi camera (picamera2 / libcamera) as a frame source.

The ISP does the heavy lifting: it delivers a full-FoV `main` stream (never touched here) and a
small `lores` stream at about the model's size, already flipped by the camera's own Transform.
Python only converts the small lores frame to RGB (YUV420 on a Pi 4, where lores must be YUV;
RGB straight from the ISP on a Pi 5) and, for a camera mounted on its side, turns it a quarter.
Timestamps are the sensor's (SensorTimestamp, ns on CLOCK_MONOTONIC, the clock of
time.monotonic()), so latency is measured from when the light was captured.

picamera2 and libcamera are imported only when this source is opened.
"""

from __future__ import annotations

import contextlib
import importlib
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from mirror.camera.frame import Frame
from mirror.camera.open import CameraLost
from mirror.camera.transform import Orientation, apply_plan, plan
from mirror.errors import SourceError

# Short side of the lores stream. MoveNet sees 192x192, but crop tracking cuts a square around
# a person who may fill only half the picture at 3 m: 288 rows keep ~150 px on a far person.
LORES_SHORT_SIDE = 288
# Main stream: full field of view at a modest size (the ISP scales; Python never reads it).
MAIN_LONG_SIDE = 1280
CAPTURE_TIMEOUT_S = 2.0

# Full-range BT.601 (sYCC / JPEG), the colour space we ask the camera for.
_KR, _KGU, _KGV, _KB = 1.402, 0.344136, 0.714136, 1.772


def stream_sizes(sensor: tuple[int, int], short: int = LORES_SHORT_SIDE) -> tuple[
    tuple[int, int], tuple[int, int]
]:
    """(main, lores) sizes with the sensor's aspect ratio; lores is even-sized for YUV420."""
    sw, sh = sensor
    aspect = sw / sh if sh > 0 else 4 / 3
    if aspect >= 1:
        lores = (_even(short * aspect, 32), short)
        main = (MAIN_LONG_SIDE, _even(MAIN_LONG_SIDE / aspect, 2))
    else:
        lores = (short, _even(short / aspect, 32))
        main = (_even(MAIN_LONG_SIDE * aspect, 2), MAIN_LONG_SIDE)
    return main, lores


def _even(v: float, multiple: int) -> int:
    return max(multiple, int(round(v / multiple)) * multiple)


def yuv420_to_rgb(buf: np.ndarray, width: int, height: int, yvu: bool = False) -> np.ndarray:
    """Planar YUV420 (I420; YV12 when yvu) as picamera2's make_array gives it, shape
    (height * 3 // 2, stride), to an RGB (height, width, 3) uint8 array. Full-range BT.601.

    Chroma is computed once per 2x2 block and broadcast, not upsampled into a copy.
    """
    if width % 2 or height % 2:
        raise ValueError(f"YUV420 frame {width}x{height}: width and height must be even")
    stride = buf.shape[1] if buf.ndim == 2 else width
    flat = np.ascontiguousarray(buf).reshape(-1)
    ysize = stride * height
    cstride, ch, cw = stride // 2, height // 2, width // 2
    csize = cstride * ch
    if flat.size < ysize + 2 * csize:
        raise ValueError(f"YUV420 buffer of {flat.size} bytes is too small for {width}x{height}")
    y = flat[:ysize].reshape(height, stride)[:, :width]
    u = flat[ysize : ysize + csize].reshape(ch, cstride)[:, :cw]
    v = flat[ysize + csize : ysize + 2 * csize].reshape(ch, cstride)[:, :cw]
    if yvu:
        u, v = v, u
    uf = u.astype(np.float32) - 128.0
    vf = v.astype(np.float32) - 128.0
    # 0.5 rounds on the truncating cast below.
    terms = (_KR * vf + 0.5, 0.5 - _KGU * uf - _KGV * vf, _KB * uf + 0.5)
    yb = y.astype(np.float32).reshape(ch, 2, cw, 2)
    out = np.empty((height, width, 3), dtype=np.uint8)
    tmp = np.empty((ch, 2, cw, 2), dtype=np.float32)
    for i, term in enumerate(terms):
        np.add(yb, term[:, None, :, None], out=tmp)
        np.clip(tmp, 0.0, 255.0, out=tmp)
        out[..., i] = tmp.reshape(height, width)
    return out


def _import(name: str) -> Any:
    return importlib.import_module(name)


class Picamera2Source:
    """Frames from a Pi camera's lores stream; `scale` maps them to main-stream pixels.

    Raises SourceError when there is no camera; while running, a capture that fails or times
    out raises CameraLost (recoverable: open a new source, see open.ReconnectingSource).
    """

    clock = "monotonic"

    def __init__(
        self,
        camera_num: int = 0,
        fps: float = 30.0,
        orientation: Orientation | None = None,
        lores_short: int = LORES_SHORT_SIDE,
        lores_format: str = "auto",
        timeout_s: float = CAPTURE_TIMEOUT_S,
    ) -> None:
        self.orientation = orientation or Orientation()
        self.timeout_s = timeout_s
        self._fps = float(fps)
        self._closed = False
        try:
            p2 = _import("picamera2")
        except ImportError as e:
            raise SourceError(
                f"picamera2 is not installed ({e}); on Raspberry Pi OS: "
                "sudo apt install python3-picamera2"
            ) from None
        try:
            libcamera = _import("libcamera")
        except ImportError:
            libcamera = None
        cls = p2.Picamera2
        info = _camera_info(cls)
        if info is not None and camera_num >= len(info):
            found = "no camera" if not info else f"only {len(info)} camera(s)"
            raise SourceError(
                f"picamera2: {found} detected, wanted camera {camera_num} "
                "(check the ribbon cable, then reboot)"
            )
        try:
            self._cam = cls(camera_num)
        except Exception as e:  # picamera2 raises RuntimeError/IndexError on a missing camera
            raise SourceError(f"picamera2: cannot open camera {camera_num} ({_short(e)})") from None
        try:
            self._configure(cls, libcamera, lores_short, lores_format)
            self._cam.start()
        except SourceError:
            self._safe_close()
            raise
        except Exception as e:
            self._safe_close()
            raise SourceError(
                f"picamera2: cannot start camera {camera_num} ({_short(e)})"
            ) from None
        self._index = 0
        self._ts0: int | None = None
        self._index0 = 0

    # -- configuration ----------------------------------------------------------------------

    def _configure(self, cls: Any, libcamera: Any, short: int, fmt: str) -> None:
        sensor = tuple(getattr(self._cam, "sensor_resolution", None) or (4, 3))
        main, lores = stream_sizes((int(sensor[0]), int(sensor[1])), short)
        p = plan(self.orientation)
        if fmt == "auto":
            # PiSP (Pi 5) can output RGB on lores; VC4 (Pi 4 and older) only YUV420.
            fmt = "BGR888" if "PISP" in str(getattr(cls, "platform", "")).upper() else "YUV420"
        attempts = [(fmt, True)]
        if fmt != "YUV420":
            attempts.append(("YUV420", True))
        attempts.append(("YUV420", False))
        errors = []
        for lores_fmt, hw_flip in attempts:
            kwargs: dict[str, Any] = {
                "main": {"size": main, "format": "YUV420"},
                "lores": {"size": lores, "format": lores_fmt},
                "buffer_count": 4,
                "queue": False,  # capture_request waits for a fresh frame, never an old one
                "controls": {"FrameDurationLimits": (int(1e6 / self._fps),) * 2},
            }
            if libcamera is not None:
                kwargs["colour_space"] = libcamera.ColorSpace.Sycc()
                if hw_flip and (p.hflip or p.vflip):
                    kwargs["transform"] = libcamera.Transform(
                        hflip=int(p.hflip), vflip=int(p.vflip)
                    )
            try:
                config = self._cam.create_preview_configuration(**kwargs)
                self._cam.configure(config)
            except Exception as e:
                errors.append(f"{lores_fmt}: {_short(e)}")
                continue
            self._hw_flip = hw_flip and libcamera is not None
            self._lores_fmt = lores_fmt
            self._lores = lores
            self._main = main
            self._plan = p
            self._scale = main[0] / lores[0]
            return
        raise SourceError("picamera2: no usable stream configuration (" + "; ".join(errors) + ")")

    # -- FrameSource --------------------------------------------------------------------------

    @property
    def fps(self) -> float:
        return self._fps

    @property
    def size(self) -> tuple[int, int]:
        return self.orientation.output_size(self._main)

    @property
    def lores_size(self) -> tuple[int, int]:
        return self._lores

    def frames(self) -> Iterator[Frame]:
        period_ns = 1e9 / self._fps
        while not self._closed:
            try:
                request = self._capture()
            except CameraLost:
                if self._closed:
                    return  # closed from another thread while waiting for a frame
                raise
            try:
                arr = request.make_array("lores")
                meta = request.get_metadata() or {}
            except Exception as e:
                raise CameraLost(f"camera frame unreadable ({_short(e)})") from None
            finally:
                _release(request)
            image = self._to_rgb(arr)
            ts = meta.get("SensorTimestamp")
            if isinstance(ts, int) and ts > 0:
                t = ts / 1e9
                if self._ts0 is None:
                    self._ts0, self._index0 = ts, self._index
                dur = meta.get("FrameDuration")
                step = dur * 1000.0 if isinstance(dur, (int, float)) and dur > 0 else period_ns
                index = max(self._index, self._index0 + int(round((ts - self._ts0) / step)))
            else:
                t, index = time.monotonic(), self._index
            self._index = index + 1
            yield Frame(image, t, index, self._scale)

    def _capture(self) -> Any:
        cam = self._cam
        try:
            if hasattr(cam, "wait"):
                job = cam.capture_request(wait=False)
                return cam.wait(job, timeout=self.timeout_s)
            return cam.capture_request()
        except TimeoutError:
            raise CameraLost(
                f"no frame from the camera for {self.timeout_s:.0f} s (cable loose?)"
            ) from None
        except Exception as e:
            raise CameraLost(f"camera capture failed ({_short(e)})") from None

    def _to_rgb(self, arr: np.ndarray) -> np.ndarray:
        w, h = self._lores
        if self._lores_fmt in ("YUV420", "YVU420"):
            rgb = yuv420_to_rgb(arr, w, h, yvu=self._lores_fmt == "YVU420")
        else:  # "BGR888" is R, G, B in memory (DRM fourcc naming); drop padding/alpha
            rgb = arr[:h, :w, :3]
        return apply_plan(rgb, self._plan, flips=not self._hw_flip)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._safe_close()

    def _safe_close(self) -> None:
        # A camera that vanished may fail to stop; we are letting go of it anyway.
        for step in ("stop", "close"):
            with contextlib.suppress(Exception):
                getattr(self._cam, step)()


def _camera_info(cls: Any) -> list | None:
    fn = getattr(cls, "global_camera_info", None)
    if fn is None:
        return None
    try:
        return list(fn())
    except Exception:
        return None


def _release(request: Any) -> None:
    with contextlib.suppress(Exception):
        request.release()


def _short(e: BaseException) -> str:
    lines = str(e).strip().splitlines()
    return lines[0] if lines else type(e).__name__
