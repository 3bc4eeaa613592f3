"""`bench` end to end on a keypoint recording (no model): the pipeline, the stand-in renderer,
looping for long replays, and the JSON it prints."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from mirror import bench
from mirror.pipeline.replay import LoopingSource, RecordedPoses, RecordingSource
from mirror.pose.keypoints import Pose
from mirror.pose.recording import RecordingHeader, RecordingWriter


def write_recording(path, n: int = 60, fps: float = 30.0) -> None:
    with RecordingWriter(path, RecordingHeader(400, 600, fps)) as w:
        for i in range(n):
            if i % 10 == 9:
                w.write(i / fps, None)
                continue
            kps = np.full((17, 3), 0.9, dtype=np.float32)
            kps[:, 0] = np.linspace(100, 300, 17)
            kps[:, 1] = np.linspace(50, 550, 17)
            w.write(i / fps, Pose(kps, i / fps, 400, 600))


def parse(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser()
    bench.register(ap.add_subparsers())
    return ap.parse_args(["bench", *argv])


def test_bench_json_over_a_recording(tmp_path, capsys) -> None:
    rec = tmp_path / "r.jsonl"
    write_recording(rec)
    args = parse(["--source", str(rec), "--json"])
    assert args.func(args) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["frames_in"] == 60 and d["outputs"] == 60 and d["dropped"] == 0
    assert d["invoke_ms"] is None and d["ratio"] is None  # no model in a replay
    assert d["fps"] > 0 and d["pipeline_ms"] > 0
    assert set(d["stages"]) == {"capture", "analysis", "render", "wait"}
    assert d["latency_ms"]["drawn_p95"] > 0 and d["latency_ms"]["analysed_p50"] > 0
    assert d["rss_end_mb"] > 0


def test_looping_source_replays_until_the_asked_source_time(tmp_path) -> None:
    rec = tmp_path / "r.jsonl"
    write_recording(rec, n=30)  # 1 s per loop
    src = LoopingSource(lambda: RecordingSource(rec), min_seconds=3.0)
    frames = list(src.frames())
    assert len(frames) == 90 and src.loops == 3
    assert [f.index for f in frames] == list(range(90))
    assert np.all(np.diff([f.t for f in frames]) > 0)
    assert frames[30].t == pytest.approx(1.0, abs=1e-3)  # recordings round t to 0.1 ms


def test_recorded_poses_answer_by_frame_index_even_when_looped(tmp_path) -> None:
    rec = tmp_path / "r.jsonl"
    write_recording(rec, n=10)
    src = RecordingSource(rec)
    est = RecordedPoses(src)
    frames = list(LoopingSource(lambda: RecordingSource(rec), 2.0 / 30 * 10).frames())
    people = [est.estimate(f).has_person() for f in frames]
    assert people == ([True] * 9 + [False]) * 2


def test_text_report_and_a_too_short_source(tmp_path, capsys) -> None:
    rec = tmp_path / "r.jsonl"
    write_recording(rec, n=40)
    args = parse(["--source", str(rec)])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "camera->drawn" in out and "RSS" in out
    write_recording(rec, n=1)
    with pytest.raises(bench.UserError, match="too few frames"):
        args.func(parse(["--source", str(rec)]))


def test_bench_refuses_a_missing_source(tmp_path) -> None:
    args = parse(["--source", str(tmp_path / "nope.mp4")])
    with pytest.raises(bench.SourceError, match="nope.mp4: file not found"):
        args.func(args)


class FakeModel:
    """A model whose invoke() takes no time at all, and the estimator around it."""

    input_shape = (1, 4, 4, 3)
    input_dtype = np.uint8
    last_invoke_s = 0.001

    def run(self, x):
        return x


class FakeEstimator:
    def __init__(self) -> None:
        self.model = FakeModel()

    def estimate(self, frame):
        kps = np.full((17, 3), 0.9, dtype=np.float32)
        return Pose(kps, frame.t, 400, 600)

    def reset(self) -> None:
        pass


def test_bench_interleaves_bare_invoke_bursts_with_the_pipeline(tmp_path) -> None:
    from mirror.analysis.engine import HingeAnalyzer

    rec = tmp_path / "r.jsonl"
    write_recording(rec, n=30)
    src = LoopingSource(lambda: RecordingSource(rec), min_seconds=60.0)  # 1800 frames
    result = bench.run_bench(src, FakeEstimator(), HingeAnalyzer("rdl"), label="fake",
                             ui=lambda p: bench.StandInUI(p, (64, 64)).step, display_fps=200,
                             segment_s=0.02)
    d = result.data
    assert d["outputs"] == 1800
    assert d["ratio_segments"]["n"] >= 2  # the model was timed between pipeline segments
    assert d["invoke_ms"] == 1.0  # the fake model's reported invoke time
    assert d["ratio"] == pytest.approx(d["pipeline_ms"] / 1.0, rel=1e-3)
    assert d["fps"] == pytest.approx(1000.0 / d["pipeline_ms"], rel=0.01)


def test_segments_beside_a_speed_change_are_left_out_of_the_ratio() -> None:
    """A segment is set against the bare bursts on both its sides; when they disagree (the
    machine changed speed in between) it is not used, unless no segment was steady."""
    from mirror.pipeline.measure import Interleaver, Segment

    inter = Interleaver.__new__(Interleaver)
    inter.segments = [
        Segment(active_s=1.0, frames=200, bare_before_ms=4.8, bare_after_ms=5.0),  # 5.0 ms/f
        Segment(active_s=1.0, frames=150, bare_before_ms=5.0, bare_after_ms=7.0),  # flipped
        Segment(active_s=1.0, frames=190, bare_before_ms=5.0, bare_after_ms=5.2),  # 5.26 ms/f
    ]
    assert [g.steady for g in inter.segments] == [True, False, True]
    assert inter.pipeline_ms == pytest.approx(2000.0 / 390)
    assert inter.invoke_ms == pytest.approx((4.9 * 200 + 5.1 * 190) / 390)
    assert len(inter.ratios()) == 2
    inter.segments = inter.segments[1:2]  # nothing steady: all segments are used
    assert inter.pipeline_ms == pytest.approx(1000.0 / 150)


def test_the_bare_model_is_charged_its_mean_time_like_the_pipeline() -> None:
    """pipeline_ms is total time / frames, hiccups included; the bare model's time beside it
    is its mean per run, hiccups included (its median would not be)."""
    from mirror.pipeline.measure import Segment

    g = Segment(active_s=1.0, frames=190, bare_before_ms=5.0, bare_after_ms=5.0,
                bare_before_mean_ms=5.3, bare_after_mean_ms=5.1)
    assert g.steady  # judged on the medians
    assert g.bare_ms == pytest.approx(5.2)
