"""Too dark to see anyone: the light meter's levels, hysteresis and hold time, fed by the
pipeline's capture thread and reported in its diagnostics."""

from __future__ import annotations

import numpy as np

from mirror.camera.frame import Frame
from mirror.camera.light import DARK_BELOW, HOLD_S, LIGHT_ABOVE, LightMeter, picture_level
from mirror.pipeline import Pipeline
from tests.test_pipeline import Analyzer, Estimator, run_to_end


def grey(level: int, shape=(288, 512, 3)) -> np.ndarray:
    return np.full(shape, level, dtype=np.uint8)


def test_picture_level_is_the_mean_8_bit_level():
    img = grey(0)
    img[:, 256:] = 200  # half black, half bright
    assert abs(picture_level(img) - 100.0) < 1.0
    assert picture_level(None) is None
    assert picture_level(np.zeros((0, 0, 3), np.uint8)) is None
    assert picture_level(np.zeros((1, 1, 3), np.uint8)) is None  # a recording's placeholder


def test_dark_only_after_the_hold_time_and_light_again_only_above_the_upper_level():
    m = LightMeter()
    dark, mid, light = DARK_BELOW - 4, (DARK_BELOW + LIGHT_ABOVE) / 2, LIGHT_ABOVE + 10
    assert not m.update(0.0, dark)
    assert not m.update(HOLD_S * 0.9, dark)  # a passing shadow is not a dark room
    assert m.update(HOLD_S + 0.1, dark)
    for t in np.arange(3.0, 10.0, 0.5):
        assert m.update(float(t), mid)  # between the levels: stays dark (no flicker)
    assert m.update(10.0, light)
    assert not m.update(10.0 + HOLD_S, light)
    assert m.level == light
    assert not m.update(20.0, None)  # a frame without pixels changes nothing


def test_a_brief_dark_stretch_restarts_the_hold():
    m = LightMeter()
    m.update(0.0, 5.0)
    m.update(1.5, 50.0)  # light came back before the hold ran out
    assert not m.update(2.5, 5.0)
    assert not m.update(4.0, 5.0)
    assert m.update(4.6, 5.0)


class LevelSource:
    """Frames of one grey level at 30 fps for `seconds`."""

    fps, size = 30.0, (64, 48)

    def __init__(self, level: int, seconds: float) -> None:
        self.level, self.n = level, int(seconds * 30)

    def frames(self):
        img = grey(self.level, (48, 64, 3))
        for i in range(self.n):
            yield Frame(img, i / 30, i)

    def close(self) -> None:
        pass


def test_pipeline_reports_a_dark_picture_in_its_diagnostics():
    p = run_to_end(Pipeline(LevelSource(4, HOLD_S + 1.0), Estimator(), Analyzer(),
                            every_frame=True))
    d = p.diagnostics()
    assert d["dark"] == 1.0 and d["light_level"] == 4.0
    p = run_to_end(Pipeline(LevelSource(90, HOLD_S + 1.0), Estimator(), Analyzer(),
                            every_frame=True))
    assert p.diagnostics()["dark"] == 0.0


def test_a_keypoint_recording_is_not_a_dark_room(tmp_path):
    from mirror.pipeline.replay import RecordedPoses, RecordingSource
    from mirror.pose.keypoints import Pose
    from mirror.pose.recording import Recording, RecordingHeader, write_recording

    kps = np.zeros((17, 3), dtype=np.float32)
    path = tmp_path / "r.jsonl"
    frames = [(i / 30, Pose(kps, i / 30, 64, 48)) for i in range(120)]  # 4 s, nobody seen
    write_recording(path, Recording(RecordingHeader(64, 48, 30.0), frames))
    src = RecordingSource(path)
    p = run_to_end(Pipeline(src, RecordedPoses(src), Analyzer(), every_frame=True))
    d = p.diagnostics()
    assert "dark" not in d and "light_level" not in d
