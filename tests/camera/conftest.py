"""Fakes at picamera2's API boundary: the picamera2 and libcamera modules; what the source calls."""

from __future__ import annotations

import types
from dataclasses import dataclass, field

import numpy as np
import pytest


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
