"""Choosing the live camera, the error when none opens, and reconnecting after a lost camera."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from yuv_fakes import quadrants, rgb_to_i420

from mirror.camera import open as camopen
from mirror.camera.frame import Frame
from mirror.camera.open import CameraLost, CameraSettings, ReconnectingSource, open_camera
from mirror.errors import SourceError


def test_auto_prefers_picamera2(fake_picamera2) -> None:
    fake_picamera2.sensor = (4, 3)
    src = open_camera(CameraSettings())
    assert type(src).__name__ == "Picamera2Source"
    src.close()


def test_auto_falls_back_to_webcam_and_names_every_failure(fake_picamera2, monkeypatch) -> None:
    fake_picamera2.cameras = []
    monkeypatch.setattr(camopen, "usb_webcams", lambda: [])
    with pytest.raises(SourceError) as e:
        open_camera(CameraSettings())
    msg = str(e.value)
    assert msg.startswith("no camera could be opened: picamera2: ")
    assert "no camera detected" in msg and "webcam: no USB webcam found" in msg


def test_webcam_only_when_configured(fake_picamera2, tmp_path) -> None:
    missing = str(tmp_path / "video9")
    with pytest.raises(SourceError, match=r"webcam: .*video9: no such video device"):
        open_camera(CameraSettings(source="webcam", device=missing))
    assert fake_picamera2.opened == []  # picamera2 was not tried


def test_unknown_source_is_refused() -> None:
    with pytest.raises(SourceError, match="'usb': expected one of auto, picamera2, webcam"):
        open_camera(CameraSettings(source="usb"))


def test_usb_webcams_are_found_from_sysfs(tmp_path) -> None:
    def node(name: str, device: str, index: str) -> None:
        d = tmp_path / "class" / name
        real = tmp_path / "devices" / device
        real.mkdir(parents=True, exist_ok=True)
        d.mkdir(parents=True)
        os.symlink(real, d / "device")
        (d / "index").write_text(index + "\n")

    node("video0", "platform/bcm2835-isp", "0")  # the Pi's ISP: not a webcam
    node("video11", "usb1/1-1.2/1-1.2:1.0", "1")  # a UVC metadata node
    node("video10", "usb1/1-1.2/1-1.2:1.0", "0")  # the webcam's capture node
    assert camopen.usb_webcams(str(tmp_path / "class")) == ["/dev/video10"]


class ScriptedSource:
    """One camera session: some frames, then CameraLost (or the end)."""

    clock = "monotonic"

    def __init__(self, times: list[float], lose: bool = True) -> None:
        self.times, self.lose = times, lose
        self.closed = False
        self.fps, self.size = 10.0, (4, 2)

    def frames(self):
        for i, t in enumerate(self.times):
            yield Frame(np.zeros((2, 4, 3), np.uint8), t, i)
        if self.lose:
            raise CameraLost("no frame from the camera for 2 s (cable loose?)")

    def close(self) -> None:
        self.closed = True


def test_reconnecting_source_reports_loss_retries_and_keeps_counting() -> None:
    sessions: list = [
        ScriptedSource([1.0, 1.1, 1.2]),
        SourceError("picamera2: no camera detected"),  # still unplugged
        ScriptedSource([2.0, 2.1], lose=False),  # back (index restarts at 0)
    ]
    made: list[ScriptedSource] = []
    statuses = []
    delays: list[float] = []

    def opener():
        item = sessions.pop(0)
        if isinstance(item, Exception):
            raise item
        made.append(item)
        return item

    src = ReconnectingSource(opener, retry_s=(0.5, 1.0), sleep=delays.append)
    frames = []
    for f in src.frames():
        frames.append(f)
        statuses.append(src.status.state)
        if len(frames) == 5:
            break
    src.close()
    assert [f.t for f in frames] == [1.0, 1.1, 1.2, 2.0, 2.1]
    # 0.8 s of outage at 10 fps: 7 frames missing between index 2 and the next.
    assert [f.index for f in frames] == [0, 1, 2, 10, 11]
    assert statuses == ["ok"] * 5
    assert delays == [0.5, 1.0]  # after the loss, after the failed reopen
    assert all(s.closed for s in made)
    assert src.reconnects == 1


def test_reconnecting_source_status_while_lost() -> None:
    seen = []

    def opener():
        raise SourceError("picamera2: no camera detected")

    def sleep(s: float) -> None:
        seen.append(src.status)
        if len(seen) == 3:
            src.close()

    src = ReconnectingSource(opener, retry_s=(0.5,), sleep=sleep)
    assert list(src.frames()) == []
    assert [s.state for s in seen] == ["lost"] * 3
    assert [s.attempts for s in seen] == [1, 2, 3]
    assert "no camera detected" in seen[0].message
    assert src.status.state == "closed"


def test_camera_lost_mid_run_through_the_picamera2_source(fake_picamera2) -> None:
    fake_picamera2.sensor = (4, 3)
    buf = rgb_to_i420(quadrants(32, 24))
    fake_picamera2.items = [(buf, {"SensorTimestamp": 10**9})]
    from mirror.camera.picamera2_source import Picamera2Source

    src = ReconnectingSource(lambda: Picamera2Source(lores_short=24), sleep=lambda s: src.close())
    frames = list(src.frames())
    assert len(frames) == 1
    assert fake_picamera2.opened[0].closed  # the lost camera was let go


def test_no_picamera2_module_means_webcam_is_tried(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "picamera2", None)
    monkeypatch.setattr(camopen, "usb_webcams", lambda: [])
    with pytest.raises(SourceError, match="picamera2: picamera2 is not installed.*webcam: no USB"):
        open_camera()


def test_reconnecting_source_starts_with_an_already_opened_camera() -> None:
    first = ScriptedSource([1.0], lose=False)
    opened = []

    def opener():
        opened.append(1)
        return ScriptedSource([3.0], lose=False)

    src = ReconnectingSource(opener, sleep=lambda s: None, first=first)
    assert src.fps == 10.0 and src.size == (4, 2)
    it = src.frames()
    assert next(it).t == 1.0 and opened == []
    assert next(it).t == 3.0 and opened == [1]  # the first one ended: reopened
    src.close()
