"""The pipeline's three thread loops: capture, inference (the model only) and analysis.

Kept apart from core.py (what the caller sees: start/stop, pause, latest(), events,
diagnostics) as the hot path, measured against the bare model: Pipeline inherits these
methods, so each loop reads the shared state straight off `self`, with no extra locks or
calls per frame.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from mirror.pipeline.handoff import hook_before_run
from mirror.pipeline.values import Captured, Estimated, PipelineOutput

if TYPE_CHECKING:  # the shared state's types only: nothing more is imported at run time
    import threading
    from collections import deque
    from collections.abc import Callable

    from mirror.camera.frame import FrameSource
    from mirror.camera.light import LightMeter
    from mirror.pipeline.affinity import CorePlan
    from mirror.pipeline.handoff import LatestSlot
    from mirror.pipeline.stats import PipelineStats
    from mirror.pipeline.values import Event

# A live clock more than this far from time.monotonic() is not trusted for latency.
CLOCK_SANITY_S = 5.0


class PipelineThreads:
    """What runs on the Pipeline's threads, one method per thread. Pipeline.__init__ (core.py)
    makes the state they share; it is declared here so this file reads on its own."""

    source: FrameSource
    estimator: Any
    analyzer: Any
    every_frame: bool
    realtime: bool
    keep_frames: bool
    clock: Callable[[], float]
    on_error: Callable[[BaseException], None] | None
    analysis: str  # one of core.ANALYSIS_MODES
    core_plan: CorePlan | None
    stats: PipelineStats
    light: LightMeter
    last_error: str
    _seq: int
    _fatal: BaseException | None
    _slot: LatestSlot[Captured]  # capture -> inference
    _poses: LatestSlot[Estimated]  # inference -> analysis
    _stop: threading.Event
    _running: threading.Event  # cleared: inference parks between frames (pause())
    _parked: threading.Event
    _out_lock: threading.Condition  # guards _latest and _events, wakes wait_output()
    _latest: PipelineOutput | None
    _events: deque[Event]
    _event_capacity: int
    _recent_out: deque[float]  # when the last outputs were made (diagnostics' fps)
    _done: threading.Event
    _source_monotonic: bool

    def _pin(self, cores: frozenset[int]) -> set[int] | None:
        from mirror.pipeline.affinity import pin_current_thread  # noqa: PLC0415

        return pin_current_thread(cores)

    def _capture_loop(self) -> None:
        if self.core_plan is not None:
            self._pin(self.core_plan.rest)
        s = self.stats
        last_index: int | None = None
        pace0: tuple[float, float] | None = None
        prepare = getattr(self.estimator, "prepare", None)
        if not callable(getattr(self.estimator, "complete", None)):
            prepare = None
        try:
            frames = iter(self.source.frames())
            while not self._stop.is_set():
                t0 = time.perf_counter()
                try:
                    frame = next(frames)
                except StopIteration:
                    break
                capture_s = time.perf_counter() - t0
                now = self.clock()
                if self.realtime:
                    if pace0 is None:
                        pace0 = (now, frame.t)
                    wait = pace0[0] + (frame.t - pace0[1]) - now
                    if wait > 0 and self._stop.wait(wait):
                        break
                    now = self.clock()
                captured = now
                if self._source_monotonic and abs(now - frame.t) < CLOCK_SANITY_S:
                    captured = frame.t
                if last_index is not None and frame.index > last_index + 1:
                    s.source_gaps += frame.index - last_index - 1
                last_index = frame.index
                prepared = None
                if prepare is not None:
                    # Crop and resize here, while the model runs on the other thread (the
                    # crop lags the tracking by at most the frame in flight).
                    try:
                        prepared = prepare(frame)
                    except Exception as e:  # one bad frame must not stop the mirror
                        self._frame_failed(e)
                        continue
                s.frames_in += 1
                s.capture.add(capture_s)
                self.light.feed(frame.t, frame.image)
                item = Captured(frame, captured, prepared)
                if self.every_frame:
                    if not self._slot.put_wait(item, self._stop):
                        break
                else:
                    if self._slot.put(item):
                        s.overwritten += 1
                    # Let the inference thread (just woken) take it before a frame that was
                    # already waiting in the decoder replaces it: drops are for a busy model.
                    time.sleep(0)
        except Exception as e:  # the source failed for good (a ReconnectingSource never does)
            self._fatal = e
            if self.on_error is not None:
                self.on_error(e)
        finally:
            self._slot.close()

    def _infer_loop(self) -> None:
        """Only the estimator runs here: the model's thread does nothing else per frame.

        Hand-off timing matters on a GIL: a pose handed to the analysis thread at once would
        wake it just as this thread preprocesses the next frame, and the two would take turns.
        In "deferred" mode the pose is handed over, and a reader waiting for room is woken, as
        the next invoke() starts (a hook on the model's run), so analysis and decoding run
        while the model computes without the GIL.
        """
        if self.core_plan is not None:
            self._pin(self.core_plan.model)
        s = self.stats
        perf = time.perf_counter
        pending: list[Estimated] = []

        def flush() -> bool:
            self._slot.wake()  # the reader may decode the next frame now
            while pending:
                if not self._poses.put_wait(pending.pop(0), self._stop):
                    return False
            return True

        unhook = hook_before_run(self.estimator, flush) if self.analysis == "deferred" else None
        try:
            while True:
                while not self._running.is_set() and not self._stop.is_set():
                    if not flush():
                        return
                    self._parked.set()
                    self._running.wait(0.1)
                tw = perf()
                item = self._slot.take(0, wake=unhook is None)
                if item is None:  # nothing to do yet: let analysis have what we hold
                    if not flush():
                        return
                    item = self._slot.take(0.2, wake=unhook is None)
                s.wait.add(perf() - tw)
                if item is None:
                    if self._slot.closed or self._stop.is_set():
                        break
                    continue
                t0 = perf()
                try:
                    if item.prepared is not None:
                        pose = self.estimator.complete(item.prepared)
                    else:
                        pose = self.estimator.estimate(item.frame)
                except Exception as e:  # one bad frame must not stop the mirror
                    self._frame_failed(e)
                    continue
                est_s = perf() - t0
                s.estimated += 1
                s.last_estimated_at = self.clock()
                times = getattr(self.estimator, "times", None)
                stage = None
                if times is not None:
                    stage = (times.preprocess, times.invoke, times.postprocess, times.runs)
                got = Estimated(item, pose, est_s, stage)
                if self.analysis == "inline":
                    self._publish(got)
                    continue
                pending.append(got)
                if unhook is None and not flush():
                    break
            flush()
        finally:
            if unhook is not None:
                unhook()
            self._poses.close()
            if self.analysis == "inline":
                self._finish()

    def _analysis_loop(self) -> None:
        """Poses in order -> analyser -> the latest output and the event queue."""
        if self.core_plan is not None:
            self._pin(self.core_plan.rest)
        try:
            while True:
                got = self._poses.take(0.2)
                if got is None:
                    if self._poses.closed or self._stop.is_set():
                        break
                    continue
                self._publish(got)
        finally:
            self._finish()

    def _publish(self, got: Estimated) -> None:
        s = self.stats
        frame = got.item.frame
        pose = got.pose
        t1 = time.perf_counter()
        try:
            person = pose if pose.has_person() else None
            update = self.analyzer.update(frame.t, person)
        except Exception as e:
            self._frame_failed(e)
            return
        t2 = time.perf_counter()
        analysed = self.clock()
        self._seq += 1
        out = PipelineOutput(
            self._seq, update, person, frame.t, frame.index, got.item.captured, analysed,
            frame if self.keep_frames else None,
        )
        if got.stage is not None:
            s.preprocess.add(got.stage[0])
            s.invoke.add(got.stage[1])
            s.postprocess.add(got.stage[2])
            s.model_runs += got.stage[3]
        s.estimate.add(got.estimate_s)
        s.analysis.add(t2 - t1)
        s.latency_analysed.add(analysed - got.item.captured)
        if s.last_output_at is not None:
            s.interval.add(analysed - s.last_output_at)
        else:
            s.first_output_at = analysed
        s.last_output_at = analysed
        self._recent_out.append(analysed)
        s.outputs += 1
        with self._out_lock:
            self._latest = out
            for ev in (*update.reps, *((update.cue,) if update.cue else ())):
                if len(self._events) >= self._event_capacity:
                    self._events.popleft()
                    s.lost_events += 1
                self._events.append(ev)
            self._out_lock.notify_all()

    def _finish(self) -> None:
        with self._out_lock:
            self._done.set()
            self._out_lock.notify_all()

    def _frame_failed(self, e: BaseException) -> None:
        self.stats.errors += 1
        self.last_error = f"{type(e).__name__}: {e}"
        if self.on_error is not None:
            self.on_error(e)
