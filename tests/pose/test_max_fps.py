"""`--max-fps`: a clip analysed at the rate a slower device's model keeps up with."""

from __future__ import annotations

import json

import numpy as np

from mirror.cli import main
from mirror.pose.keypoints import Pose
from mirror.pose.recording import RecordingHeader, RecordingWriter
from mirror.pose.stream import at_most


def _poses(fps: float, seconds: float):
    kps = np.full((17, 3), 0.9)
    return [(i / fps, Pose(kps.copy(), i / fps, 640, 480)) for i in range(int(fps * seconds))]


def test_at_most_keeps_the_first_frame_of_each_slot():
    kept = [t for t, _p in at_most(iter(_poses(30.0, 1.0)), 10.0)]
    assert np.allclose(kept, np.arange(10) / 10)
    # 24 fps into 10 slots a second: 10 a second, unevenly spaced as a busy model would take.
    kept24 = [t for t, _p in at_most(iter(_poses(24.0, 2.0)), 10.0)]
    assert len(kept24) == 20
    assert all(0.08 < b - a < 0.13 for a, b in zip(kept24, kept24[1:], strict=False))
    assert len(list(at_most(iter(_poses(30.0, 1.0)), None))) == 30


def test_count_and_record_thin_a_recording(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    with RecordingWriter(src, RecordingHeader(640, 480, 30.0)) as w:
        for t, pose in _poses(30.0, 3.0):
            w.write(t, pose)
    assert main(["count", str(src), "--exercise", "rdl", "--json", "--max-fps", "10"]) == 0
    assert json.loads(capsys.readouterr().out)["frames"] == 30
    out = tmp_path / "out.jsonl"
    assert main(["record", str(src), "--out", str(out), "--max-fps", "10"]) == 0
    lines = out.read_text().splitlines()
    assert json.loads(lines[0])["fps"] == 10.0
    assert len(lines) == 31


def test_a_rate_that_is_not_positive_is_refused(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    with RecordingWriter(src, RecordingHeader(640, 480, 30.0)) as w:
        w.write(0.0, None)
    assert main(["count", str(src), "--exercise", "rdl", "--max-fps", "-1"]) == 2
    assert "--max-fps" in capsys.readouterr().err
