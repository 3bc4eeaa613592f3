"""The picamera2 source against a fake picamera2: configuration, the YUV420 lores path,
sensor timestamps, orientation and errors."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from yuv_fakes import quadrants, rgb_to_i420

from mirror.camera.open import CameraLost
from mirror.camera.picamera2_source import Picamera2Source, stream_sizes, yuv420_to_rgb
from mirror.camera.transform import Orientation
from mirror.errors import SourceError

W, H = 32, 24  # lores for a 4:3 sensor with lores_short=24
T0 = 5_000_000_000  # ns since boot


def meta(i: int, frame_us: int = 33333) -> dict:
    return {"SensorTimestamp": T0 + i * frame_us * 1000, "FrameDuration": frame_us}


def test_yuv420_quadrants_convert_to_their_colours_with_stride_padding() -> None:
    buf = rgb_to_i420(quadrants(W, H), stride=64)
    assert buf.shape == (H * 3 // 2, 64)
    rgb = yuv420_to_rgb(buf, W, H)
    assert rgb.shape == (H, W, 3) and rgb.dtype == np.uint8
    expect = {(0, 0): (255, 0, 0), (0, W - 1): (0, 255, 0), (H - 1, 0): (0, 0, 255),
              (H - 1, W - 1): (255, 255, 255)}
    for (y, x), colour in expect.items():
        assert np.abs(rgb[y, x].astype(int) - colour).max() <= 3, (y, x, rgb[y, x])


def test_yuv420_mid_grey_is_exact_and_yvu_swaps_chroma() -> None:
    grey = np.full((4, 4, 3), 128, dtype=np.uint8)
    assert (yuv420_to_rgb(rgb_to_i420(grey), 4, 4) == 128).all()
    img = quadrants(8, 4)
    yvu = rgb_to_i420(img, yvu=True)
    assert np.abs(yuv420_to_rgb(yvu, 8, 4, yvu=True).astype(int) - img).max() <= 3
    # Read as I420, the swapped planes turn red into blue-ish: the flag matters.
    assert yuv420_to_rgb(yvu, 8, 4)[0, 0, 2] > 200


def test_stream_sizes_keep_the_sensor_aspect() -> None:
    assert stream_sizes((3280, 2464)) == ((1280, 962), (384, 288))
    assert stream_sizes((4608, 2592)) == ((1280, 720), (512, 288))


def open_source(script, frames, **kw) -> Picamera2Source:
    script.sensor = (4, 3)
    script.items = list(frames)
    return Picamera2Source(lores_short=24, **kw)


def test_configures_main_and_small_yuv_lores_and_converts_only_lores(fake_picamera2) -> None:
    img = quadrants(W, H)
    src = open_source(fake_picamera2, [(rgb_to_i420(img, 64), meta(0))])
    cam = fake_picamera2.opened[0]
    cfg = cam.created[-1]
    assert cfg["lores"] == {"size": (W, H), "format": "YUV420"}
    assert cfg["main"]["size"] == (1280, 960)
    assert cfg["queue"] is False and cfg["colour_space"] == "sYCC"
    assert cam.started
    frame = next(src.frames())
    assert frame.image.shape == (H, W, 3)
    assert tuple(frame.image[0, 0]) == pytest.approx((255, 0, 0), abs=3)
    assert frame.scale == pytest.approx(1280 / W)
    assert (frame.width, frame.height) == (1280, 960) == src.size
    assert cam.arrays_made == ["lores"] and cam.released == 1
    src.close()
    assert cam.stopped and cam.closed


def test_sensor_timestamps_give_time_and_index_with_gaps(fake_picamera2) -> None:
    buf = rgb_to_i420(quadrants(W, H))
    src = open_source(fake_picamera2, [(buf, meta(i)) for i in (0, 1, 4)])
    it = src.frames()
    frames = [next(it) for _ in range(3)]
    assert [f.index for f in frames] == [0, 1, 4]  # 2 frames lost between: a gap of 2
    assert frames[0].t == pytest.approx(5.0)
    assert frames[2].t - frames[0].t == pytest.approx(4 * 0.033333)


def test_mirror_uses_the_camera_transform_not_numpy(fake_picamera2) -> None:
    img = quadrants(W, H)  # the fake camera "already flipped": numpy must not flip again
    src = open_source(fake_picamera2, [(rgb_to_i420(img), meta(0))],
                      orientation=Orientation(0, mirror=True))
    t = fake_picamera2.opened[0].created[-1]["transform"]
    assert (t.hflip, t.vflip) == (1, 0)
    frame = next(src.frames())
    assert tuple(frame.image[0, 0]) == pytest.approx((255, 0, 0), abs=3)


def test_side_mounted_camera_turns_the_small_frame_a_quarter(fake_picamera2) -> None:
    img = quadrants(W, H)
    src = open_source(fake_picamera2, [(rgb_to_i420(img), meta(0))],
                      orientation=Orientation(90))
    assert "transform" not in fake_picamera2.opened[0].created[-1]
    frame = next(src.frames())
    assert frame.image.shape == (W, H, 3)  # portrait now
    # Clockwise: the top-left (red) quadrant ends up top-right, blue (bottom-left) top-left.
    assert tuple(frame.image[0, -1]) == pytest.approx((255, 0, 0), abs=3)
    assert tuple(frame.image[0, 0]) == pytest.approx((0, 0, 255), abs=3)
    assert src.size == (960, 1280)


def test_pi5_gets_rgb_lores_and_falls_back_to_yuv_when_refused(fake_picamera2) -> None:
    fake_picamera2.cls.platform = "Platform.PISP"
    fake_picamera2.supported_lores = ("YUV420", "BGR888")
    rgb = quadrants(W, H)
    src = open_source(fake_picamera2, [(rgb, meta(0))])
    assert fake_picamera2.opened[-1].config["lores"]["format"] == "BGR888"
    assert (next(src.frames()).image == rgb).all()  # no conversion at all
    fake_picamera2.supported_lores = ("YUV420",)
    src2 = open_source(fake_picamera2, [])
    assert fake_picamera2.opened[-1].config["lores"]["format"] == "YUV420"
    src.close(), src2.close()


def test_no_camera_is_a_clear_error(fake_picamera2) -> None:
    fake_picamera2.cameras = []
    with pytest.raises(SourceError, match="no camera detected.*ribbon cable"):
        Picamera2Source()


def test_camera_that_fails_to_start_is_closed_and_reported(fake_picamera2) -> None:
    fake_picamera2.start_error = RuntimeError("Failed to start camera: Device busy")
    with pytest.raises(SourceError, match="cannot start camera 0 .*Device busy"):
        open_source(fake_picamera2, [])
    assert fake_picamera2.opened[0].closed


def test_missing_picamera2_says_how_to_install(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "picamera2", None)  # import fails
    with pytest.raises(SourceError, match="apt install python3-picamera2"):
        Picamera2Source()


def test_capture_timeout_and_errors_mean_camera_lost(fake_picamera2) -> None:
    buf = rgb_to_i420(quadrants(W, H))
    src = open_source(fake_picamera2, [(buf, meta(0))])  # then nothing: a pulled cable
    it = src.frames()
    next(it)
    with pytest.raises(CameraLost, match="no frame from the camera for 2 s"):
        next(it)
    src2 = open_source(fake_picamera2, [RuntimeError("Device disconnected")])
    with pytest.raises(CameraLost, match="Device disconnected"):
        next(src2.frames())


def test_closing_while_waiting_for_a_frame_ends_quietly(fake_picamera2) -> None:
    src = open_source(fake_picamera2, [])
    it = src.frames()
    fake_picamera2.items.append(RuntimeError("Camera stopped"))  # what stop() causes

    real_wait = fake_picamera2.opened[0].wait

    def wait_then_closed(job, timeout=None):
        src.close()
        return real_wait(job, timeout)

    fake_picamera2.opened[0].wait = wait_then_closed
    assert list(it) == []
