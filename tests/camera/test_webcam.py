"""The USB webcam source against a fake PyAV: timestamps, drops, orientation, errors."""

from __future__ import annotations

import errno
import sys
import types
from fractions import Fraction

import numpy as np
import pytest

from mirror.camera.open import CameraLost
from mirror.camera.transform import Orientation
from mirror.camera.webcam import WebcamSource
from mirror.errors import SourceError


class FakeVideoFrame:
    def __init__(self, t: float, value: int) -> None:
        self.time, self.value = t, value

    def to_ndarray(self, format: str) -> np.ndarray:
        assert format == "rgb24"
        img = np.zeros((4, 6, 3), dtype=np.uint8)
        img[:, 0] = self.value  # left column marks the side
        return img


def install_av(monkeypatch, frames, open_error=None, decode_error=None):
    calls = {}

    class Container:
        def __init__(self) -> None:
            ctx = types.SimpleNamespace(width=6, height=4)
            stream = types.SimpleNamespace(codec_context=ctx, average_rate=Fraction(30),
                                           guessed_rate=None)
            self.streams = types.SimpleNamespace(video=[stream])
            self.closed = False

        def decode(self, stream):
            yield from frames
            if decode_error:
                raise decode_error

        def close(self) -> None:
            self.closed = True

    def open_(path, format=None, options=None):
        calls.update(path=path, format=format, options=options)
        if open_error:
            raise open_error
        return Container()

    monkeypatch.setitem(sys.modules, "av", types.SimpleNamespace(open=open_))
    return calls


def test_webcam_frames_use_pts_and_count_gaps(monkeypatch, tmp_path) -> None:
    dev = tmp_path / "video0"
    dev.touch()
    frames = [FakeVideoFrame(100.0 + i / 30, 200) for i in (0, 1, 2, 5)]
    calls = install_av(monkeypatch, frames)
    src = WebcamSource(str(dev), (640, 480), 30, Orientation(0, mirror=True))
    assert calls["format"] == "v4l2"
    assert calls["options"] == {"video_size": "640x480", "framerate": "30"}
    it = src.frames()
    got = [next(it) for _ in range(4)]
    assert [f.index for f in got] == [0, 1, 2, 5]
    assert got[0].t == pytest.approx(100.0)
    assert (got[0].image[:, -1] == 200).all()  # mirrored: the marked column moved right
    with pytest.raises(CameraLost, match="stream ended"):
        next(it)


def test_unplugged_webcam_mid_run_is_camera_lost(monkeypatch, tmp_path) -> None:
    dev = tmp_path / "video0"
    dev.touch()
    install_av(monkeypatch, [FakeVideoFrame(1.0, 0)],
               decode_error=OSError(errno.ENODEV, "No such device"))
    it = WebcamSource(str(dev)).frames()
    next(it)
    with pytest.raises(CameraLost, match="device gone"):
        next(it)


def test_webcam_open_errors_are_clear(monkeypatch, tmp_path) -> None:
    install_av(monkeypatch, [])
    with pytest.raises(SourceError, match="video7: no such video device"):
        WebcamSource(str(tmp_path / "video7"))
    dev = tmp_path / "video0"
    dev.touch()
    install_av(monkeypatch, [], open_error=PermissionError(errno.EACCES, "Permission denied"))
    with pytest.raises(SourceError, match="add your user to the 'video' group"):
        WebcamSource(str(dev))
