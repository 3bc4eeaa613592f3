"""Fakes at picamera2's API boundary: the picamera2 and libcamera modules; what the source calls."""

from __future__ import annotations

import types
from dataclasses import dataclass, field

import numpy as np
import pytest


def rgb_to_i420(rgb: np.ndarray, stride: int | None = None, yvu: bool = False) -> np.ndarray:
    """Encode an RGB image (even size) as picamera2's make_array("lores") gives YUV420:
    full-range BT.601, planar, shape (h * 3 // 2, stride), with padding right of each row."""
    h, w = rgb.shape[:2]
    stride = stride or w
    f = rgb.astype(np.float64)
    r, g, b = f[..., 0], f[..., 1], f[..., 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    u = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
    v = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b

    def sub(c: np.ndarray) -> np.ndarray:
        return c.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))

    def q(c: np.ndarray) -> np.ndarray:
        return np.clip(np.rint(c), 0, 255).astype(np.uint8)

    buf = np.full(stride * h * 3 // 2, 7, dtype=np.uint8)  # 7: padding junk
    yplane = buf[: stride * h].reshape(h, stride)
    yplane[:, :w] = q(y)
    cs = stride // 2
    csize = cs * (h // 2)
    first, second = (sub(v), sub(u)) if yvu else (sub(u), sub(v))
    buf[stride * h : stride * h + csize].reshape(h // 2, cs)[:, : w // 2] = q(first)
    buf[stride * h + csize : stride * h + 2 * csize].reshape(h // 2, cs)[:, : w // 2] = q(second)
    return buf.reshape(h * 3 // 2, stride)


def quadrants(w: int, h: int) -> np.ndarray:
    """Red top-left, green top-right, blue bottom-left, white bottom-right."""
    img = np.zeros((h, w, 3), dtype=np.uint8)
    img[: h // 2, : w // 2] = (255, 0, 0)
    img[: h // 2, w // 2 :] = (0, 255, 0)
    img[h // 2 :, : w // 2] = (0, 0, 255)
    img[h // 2 :, w // 2 :] = (255, 255, 255)
    return img


@dataclass
class Transform:
    hflip: int = 0
    vflip: int = 0


class _ColorSpace:
    @staticmethod
    def Sycc() -> str:  # noqa: N802 - libcamera's name
        return "sYCC"


class FakeRequest:
    def __init__(self, cam: FakePicamera2, array: np.ndarray, meta: dict) -> None:
        self.cam, self.array, self.meta = cam, array, meta
        self.released = False

    def make_array(self, name: str) -> np.ndarray:
        assert name == "lores", "only the small lores stream may be read"
        self.cam.arrays_made.append(name)
        return self.array.copy()

    def get_metadata(self) -> dict:
        return dict(self.meta)

    def release(self) -> None:
        assert not self.released
        self.released = True
        self.cam.released += 1


@dataclass
class Script:
    """What the fake camera does: frames (array, metadata) or exceptions, in order."""

    cameras: list[dict] = field(default_factory=lambda: [{"Model": "imx708", "Id": "/base/x"}])
    sensor: tuple[int, int] = (3280, 2464)
    platform: str = "Platform.VC4"
    items: list = field(default_factory=list)
    supported_lores: tuple[str, ...] = ("YUV420",)
    start_error: Exception | None = None
    opened: list = field(default_factory=list)


class FakePicamera2:
    script: Script = Script()

    def __init__(self, camera_num: int = 0) -> None:
        s = type(self).script
        if camera_num >= len(s.cameras):
            raise RuntimeError("Camera __init__ sequence did not complete.")
        self.camera_num = camera_num
        self.sensor_resolution = s.sensor
        self.created: list[dict] = []
        self.config: dict | None = None
        self.started = self.stopped = self.closed = False
        self.arrays_made: list[str] = []
        self.released = 0
        self.waits: list[float] = []
        s.opened.append(self)

    @staticmethod
    def global_camera_info() -> list[dict]:
        return list(FakePicamera2.script.cameras)

    def create_preview_configuration(self, **kwargs) -> dict:
        self.created.append(kwargs)
        return {k: v for k, v in kwargs.items()}

    def configure(self, config: dict) -> None:
        fmt = config["lores"]["format"]
        if fmt not in type(self).script.supported_lores:
            raise RuntimeError(f"lores stream must be YUV, not {fmt}")
        self.config = config

    def start(self) -> None:
        if type(self).script.start_error:
            raise type(self).script.start_error
        self.started = True

    def capture_request(self, wait: bool | None = None) -> object:
        assert wait is False, "capture must not block forever: use a job and wait(timeout)"
        return ("job", len(self.waits))

    def wait(self, job: object, timeout: float | None = None) -> FakeRequest:
        assert timeout is not None and timeout > 0
        self.waits.append(timeout)
        items = type(self).script.items
        if not items:
            raise TimeoutError("no frame")
        item = items.pop(0)
        if isinstance(item, BaseException):
            raise item
        array, meta = item
        return FakeRequest(self, array, meta)

    def stop(self) -> None:
        self.stopped = True

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake_picamera2(monkeypatch: pytest.MonkeyPatch) -> Script:
    """Install fake picamera2 + libcamera modules; returns the script to fill."""
    script = Script()
    cls = type("FakePicamera2", (FakePicamera2,), {"script": script})
    cls.platform = script.platform
    cls.global_camera_info = staticmethod(lambda: list(script.cameras))
    p2 = types.ModuleType("picamera2")
    p2.Picamera2 = cls
    lc = types.ModuleType("libcamera")
    lc.Transform = Transform
    lc.ColorSpace = _ColorSpace
    monkeypatch.setitem(__import__("sys").modules, "picamera2", p2)
    monkeypatch.setitem(__import__("sys").modules, "libcamera", lc)
    script.cls = cls  # type: ignore[attr-defined]
    return script
