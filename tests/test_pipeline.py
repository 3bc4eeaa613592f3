"""The threaded pipeline: latest frame wins, drops are counted, events are never lost,
latency is measured from the camera's timestamp, and failures do not stop it."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest

from mirror.analysis.engine import AnalysisUpdate
from mirror.analysis.events import AnalysisState, RepEvent
from mirror.camera.frame import Frame
from mirror.pipeline import LatestSlot, Pipeline
from mirror.pose.keypoints import Pose

IMG = np.zeros((2, 2, 3), dtype=np.uint8)


class ListSource:
    """Yields frames as fast as asked; sets `done` after the last one was handed over."""

    def __init__(self, indices, t0: float = 0.0, clock: str | None = None) -> None:
        self.indices = list(indices)
        self.t0 = t0
        self.done = threading.Event()
        self.fps, self.size = 30.0, (2, 2)
        if clock:
            self.clock = clock

    def frames(self):
        for i in self.indices:
            yield Frame(IMG, self.t0 + i / 30, i)
        self.done.set()

    def close(self) -> None:
        pass


class Estimator:
    def __init__(self, block_first_until: threading.Event | None = None, fail_on=()) -> None:
        self.seen: list[int] = []
        self.block = block_first_until
        self.fail_on = set(fail_on)

    def estimate(self, frame: Frame) -> Pose:
        if self.block is not None and not self.seen:
            assert self.block.wait(10)
        self.seen.append(frame.index)
        if frame.index in self.fail_on:
            raise RuntimeError("bad frame")
        kps = np.ones((17, 3), dtype=np.float32)
        return Pose(kps, frame.t, 2, 2)

    def reset(self) -> None:
        pass


class Analyzer:
    """Counts a rep on every frame whose index is in rep_on."""

    def __init__(self, rep_on=()) -> None:
        self.rep_on = set(rep_on)
        self.reps = 0

    def update(self, t: float, pose: Pose | None) -> AnalysisUpdate:
        reps: tuple[RepEvent, ...] = ()
        if round(t * 30) in self.rep_on:
            self.reps += 1
            reps = (RepEvent(self.reps, True, t - 1, t, t - 0.5, 1.0, 0.5, 0.0, 0.5),)
        return AnalysisUpdate(AnalysisState(t=t, reps=self.reps), reps)


def run_to_end(p: Pipeline) -> Pipeline:
    p.start()
    assert p.join(10)
    return p


def test_slow_consumer_latest_frame_wins_and_drops_are_counted() -> None:
    started = threading.Event()

    class Source(ListSource):
        def frames(self):
            yield Frame(IMG, 0.0, 0)
            assert started.wait(10)  # inference has frame 0 and is stuck on it
            for i in range(1, 50):
                yield Frame(IMG, i / 30, i)
            self.done.set()

    src = Source([])

    class Stuck(Estimator):
        def estimate(self, frame):
            if not self.seen:
                started.set()
            return super().estimate(frame)

    est = Stuck(block_first_until=src.done)
    p = run_to_end(Pipeline(src, est, Analyzer()))
    # While inference was stuck, 49 more frames arrived: the slot never held more than one,
    # and only the newest was analysed next.
    assert p._slot.max_len == 1
    assert est.seen == [0, 49]
    assert p.stats.frames_in == 50
    assert p.stats.dropped == 48 == p.stats.overwritten
    assert p.stats.outputs == 2
    assert p.latest().frame_index == 49


def test_source_index_gaps_count_as_dropped() -> None:
    p = run_to_end(Pipeline(ListSource([0, 1, 2, 5, 6, 10]), Estimator(), Analyzer(),
                            every_frame=True))
    assert p.stats.source_gaps == 2 + 3
    assert p.stats.overwritten == 0
    assert p.stats.dropped == 5


def test_every_frame_mode_analyses_all_frames_in_order_with_bounded_prefetch() -> None:
    full = threading.Event()
    p: Pipeline

    class WaitsForFullSlot(Estimator):
        def estimate(self, frame):
            if not self.seen:  # stuck until the reader has filled the prefetch and must wait
                while len(p._slot) < p._slot.capacity:
                    full.wait(0.001)
            return super().estimate(frame)

    est = WaitsForFullSlot()
    p = Pipeline(ListSource(range(40)), est, Analyzer(), every_frame=True)
    run_to_end(p)
    assert p.stats.errors == 0
    assert est.seen == list(range(40))
    assert p.stats.dropped == 0
    assert p._slot.max_len == p._slot.capacity


def test_rep_events_are_never_lost_when_the_ui_skips_outputs() -> None:
    p = run_to_end(Pipeline(ListSource(range(30)), Estimator(), Analyzer(rep_on={5, 12, 29}),
                            every_frame=True))
    events = p.drain_events()
    assert [e.number for e in events] == [1, 2, 3]
    assert p.drain_events() == []
    assert p.latest().update.state.reps == 3


def test_event_queue_is_bounded_and_counts_what_it_lost() -> None:
    p = run_to_end(Pipeline(ListSource(range(10)), Estimator(), Analyzer(rep_on=range(10)),
                            every_frame=True, event_capacity=4))
    assert [e.number for e in p.drain_events()] == [7, 8, 9, 10]
    assert p.stats.lost_events == 6


def test_latency_runs_from_the_camera_timestamp_to_drawn() -> None:
    now = [100.0]
    src = ListSource(range(3), t0=99.9, clock="monotonic")  # sensor time on our clock
    p = run_to_end(Pipeline(src, Estimator(), Analyzer(), every_frame=True,
                            clock=lambda: now[0]))
    out = p.latest()
    assert out.captured == 99.9 + 2 / 30  # the sensor's time, not when Python saw it
    p.mark_drawn(out, render_s=0.004, drawn=100.25)
    p.mark_drawn(out, drawn=101.0)  # drawn again: counted once
    d = p.diagnostics()
    assert d["latency_p50_ms"] == round((100.25 - out.captured) * 1000, 1)
    assert d["dropped"] == 0
    assert p.stats.render.count == 1


def test_files_without_a_live_clock_measure_from_when_the_frame_was_read() -> None:
    now = [50.0]
    p = run_to_end(Pipeline(ListSource(range(2), t0=3.0), Estimator(), Analyzer(),
                            every_frame=True, clock=lambda: now[0]))
    assert p.latest().captured == 50.0


def test_a_failing_frame_is_counted_and_the_pipeline_goes_on() -> None:
    errors = []
    p = run_to_end(Pipeline(ListSource(range(5)), Estimator(fail_on={2}), Analyzer(),
                            every_frame=True, on_error=errors.append))
    assert p.stats.errors == 1 and p.stats.outputs == 4
    assert "bad frame" in p.diagnostics()["error"]
    assert len(errors) == 1


def test_a_source_that_fails_ends_the_pipeline_with_its_error() -> None:
    class Broken(ListSource):
        def frames(self):
            yield Frame(IMG, 0.0, 0)
            raise OSError("decoder exploded")

    p = run_to_end(Pipeline(Broken([]), Estimator(), Analyzer(), every_frame=True))
    assert p.finished
    assert isinstance(p.error, OSError)
    assert p.stats.outputs == 1
    assert "decoder exploded" in p.diagnostics()["error"]


def test_stop_ends_a_source_that_never_ends() -> None:
    class Endless(ListSource):
        def frames(self):
            i = 0
            while True:
                yield Frame(IMG, i / 30, i)
                i += 1

    p = Pipeline(Endless([]), Estimator(), Analyzer()).start()
    assert p.wait_output(0, 10) is not None
    p.stop()
    assert p.finished


def test_latest_slot_put_replaces_and_take_empties() -> None:
    slot: LatestSlot[int] = LatestSlot()
    assert slot.put(1) is False
    assert slot.put(2) is True
    assert len(slot) == 1 and slot.overwritten == 1
    assert slot.take(0) == 2
    assert slot.take(0) is None
    slot.close()
    assert slot.take(None) is None


def test_a_lost_camera_shows_as_an_error_until_it_is_back() -> None:
    from mirror.camera.open import CameraLost, CameraStatus

    src = ListSource([])
    src.status = CameraStatus("lost", "no frame from the camera for 2 s (cable loose?)", 2)
    p = Pipeline(src, Estimator(), Analyzer())
    assert isinstance(p.error, CameraLost)
    assert "camera lost, reconnecting: no frame" in p.diagnostics()["error"]
    src.status = CameraStatus("ok")
    assert p.error is None


def test_pause_parks_inference_between_frames_and_resume_goes_on() -> None:
    src = ListSource(range(100))
    est = Estimator()
    p = Pipeline(src, est, Analyzer(), every_frame=True)
    p._running.clear()  # parked before the first frame
    p.start()
    assert p.pause(10)
    assert est.seen == []  # nothing estimated while parked
    p.resume()
    assert p.join(10)
    assert est.seen == list(range(100))
    assert p.stats.estimated == 100


class ModelEstimator(Estimator):
    """An estimator with a model whose run() is called once per frame, like MoveNet's."""

    class Model:
        def __init__(self) -> None:
            self.runs: list[int] = []

        def run(self, x):
            self.runs.append(x)
            return x

    def __init__(self) -> None:
        super().__init__()
        self.model = self.Model()

    def estimate(self, frame: Frame) -> Pose:
        self.model.run(frame.index)
        return super().estimate(frame)


@pytest.mark.parametrize("mode", ["deferred", "thread", "inline"])
def test_every_analysis_mode_analyses_every_pose_in_order(mode: str) -> None:
    est = ModelEstimator()
    seen: list[int] = []

    class Recording(Analyzer):
        def update(self, t, pose):
            seen.append(round(t * 30))
            return super().update(t, pose)

    p = run_to_end(Pipeline(ListSource(range(60)), est, Recording(rep_on={10, 50}),
                            every_frame=True, analysis=mode))
    assert seen == list(range(60))
    assert est.model.runs == list(range(60))
    assert [e.number for e in p.drain_events()] == [1, 2]
    assert p.finished and p.stats.outputs == 60
    assert "run" not in vars(est.model)  # the hand-off hook is gone after the run


def test_unknown_analysis_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="expected one of"):
        Pipeline(ListSource([]), Estimator(), Analyzer(), analysis="fast")


def test_core_plan_gives_the_model_the_last_cores_and_the_rest_the_others() -> None:
    from mirror.pipeline.affinity import plan_cores

    p = plan_cores(1, {0, 1})
    assert (p.model, p.rest) == ({1}, {0})
    pi4 = plan_cores(3, {0, 1, 2, 3})
    assert (pi4.model, pi4.rest) == ({1, 2, 3}, {0})
    assert plan_cores(2, {0, 1}) is None  # nothing left for camera, analysis and UI
    assert plan_cores(1, {3}) is None


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs Linux and 2 cores to split")
def test_pinned_pipeline_runs_the_model_on_its_own_core_and_restores_the_caller() -> None:
    class Model:
        threads = 1

    class PinEstimator(Estimator):
        model = Model()
        cores: set[int] = set()

        def estimate(self, frame: Frame) -> Pose:
            PinEstimator.cores |= os.sched_getaffinity(0)
            return super().estimate(frame)

    class PinSource(ListSource):
        cores: set[int] = set()

        def frames(self):
            for f in super().frames():
                PinSource.cores |= os.sched_getaffinity(0)
                yield f

    before = os.sched_getaffinity(0)
    est = PinEstimator()
    p = Pipeline(PinSource(range(20)), est, Analyzer(), every_frame=True, pin_cores=True)
    assert p.core_plan is not None
    p.start()
    assert os.sched_getaffinity(0) == p.core_plan.rest  # the caller (the UI) on the rest
    assert p.join(10)
    p.stop()
    assert est.seen == list(range(20))
    assert PinEstimator.cores == p.core_plan.model == {max(before)}
    assert PinSource.cores == p.core_plan.rest
    assert os.sched_getaffinity(0) == before
