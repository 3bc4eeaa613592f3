"""The real-time loop: capture, inference, analysis and display overlap on their own threads.

    capture thread --(latest-frame-wins slot)--> inference thread (the estimator only)
        --(every pose, in order)--> analysis thread --> latest PipelineOutput (the UI reads it
        at its own rate) + a bounded event queue (reps and cues: never skipped, even when the
        UI skips outputs)

Nothing queues up: if inference is slower than the camera, a new frame replaces the unread one
and the replaced frame counts as dropped, so what is analysed is always the newest picture.
Files can instead hand over every frame (`every_frame=True`): the reader waits for inference,
as a replay or `bench` wants, and still overlaps decoding with inference. The model's thread
does little but invoke: the model input is prepared (crop + gather) on the capture thread and
analysis runs on its own, so per-frame Python work hides under invoke() (which releases the GIL).

Latency, per frame, on time.monotonic(): camera timestamp (sensor time for live cameras whose
clock is monotonic; the moment the frame was read otherwise) -> analysis done -> drawn (the UI
calls mark_drawn). Rolling stats feed the diagnostics overlay.

This module is what the caller sees (lifecycle, pause for bench, the consumer side); the
three thread loops are in mirror.pipeline.threads.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from mirror.camera.frame import FrameSource
from mirror.camera.light import LightMeter
from mirror.pipeline.handoff import LatestSlot
from mirror.pipeline.stats import PipelineStats, ms, recent_pct
from mirror.pipeline.threads import PipelineThreads
from mirror.pipeline.values import Captured, Estimated, Event, PipelineOutput

# Frames decoded ahead when every frame is analysed (files): absorbs decoder jitter.
PREFETCH = 4
POSE_QUEUE = 8
# Where analysis runs: its own thread, handed each pose as the next invoke() starts
# ("deferred", the default), handed at once ("thread"), or on the inference thread ("inline").
ANALYSIS_MODES = ("deferred", "thread", "inline")


class Pipeline(PipelineThreads):
    """Runs source -> estimator -> analyser on three threads; the caller is the consumer (UI):
    latest(), drain_events(), mark_drawn(), diagnostics(), error.

    clock: time.monotonic (tests may pass a fake). realtime: pace a file source at its own
    speed (a live camera paces itself). every_frame: never drop (replays, bench).
    analysis: see ANALYSIS_MODES. keep_frames: attach the Frame to each output (debug view).
    """

    def __init__(
        self,
        source: FrameSource,
        estimator: Any,
        analyzer: Any,
        *,
        every_frame: bool = False,
        realtime: bool = False,
        keep_frames: bool = False,
        event_capacity: int = 256,
        clock: Callable[[], float] = time.monotonic,
        on_error: Callable[[BaseException], None] | None = None,
        switch_interval_s: float | None = None,
        analysis: str = "deferred",
        pin_cores: bool = False,
    ) -> None:
        self.source = source
        self.estimator = estimator
        self.analyzer = analyzer
        self.every_frame = every_frame
        self.realtime = realtime
        self.keep_frames = keep_frames
        self.clock = clock
        self.on_error = on_error
        if analysis not in ANALYSIS_MODES:
            raise ValueError(f"analysis {analysis!r}: expected one of {ANALYSIS_MODES}")
        self.analysis = analysis
        self._seq = 0
        # GIL time slice while running (None: Python's 5 ms). A shorter one bounds how long a
        # Python-heavy UI thread keeps the model's thread waiting after invoke() returns; on
        # x86 it measured no better (pipeline/invoke 1.26 vs 1.21), hence off by default.
        self.switch_interval_s = switch_interval_s
        self._saved_switch: float | None = None
        # pin_cores: the model's thread on cores of its own, every other thread (the caller's
        # too, from start() to stop()) on the rest; see mirror.pipeline.affinity.
        self.core_plan = None
        if pin_cores:
            from mirror.pipeline.affinity import plan_cores  # noqa: PLC0415

            model = getattr(estimator, "model", None)
            self.core_plan = plan_cores(int(getattr(model, "threads", 1) or 1))
        self._caller_cores: set[int] | None = None
        self.stats = PipelineStats()
        self.light = LightMeter()  # too dark to see anyone? (capture thread writes it)
        self._fatal: BaseException | None = None  # the source failed for good
        self.last_error: str = ""  # the latest per-frame error (estimator/analyser), for screen
        self._slot: LatestSlot[Captured] = LatestSlot(PREFETCH if every_frame else 1)
        # Every pose is analysed, in order; analysis is far cheaper than inference, so this
        # stays near empty (if it ever fills, inference waits and frames drop upstream).
        self._poses: LatestSlot[Estimated] = LatestSlot(POSE_QUEUE)
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared: inference parks between frames
        self._running.set()
        self._parked = threading.Event()
        self._out_lock = threading.Condition()
        self._latest: PipelineOutput | None = None
        self._events: deque[Event] = deque()
        self._event_capacity = event_capacity
        self._last_drawn_seq = -1
        self._recent_out: deque[float] = deque(maxlen=61)
        self._threads: list[threading.Thread] = []
        self._done = threading.Event()
        self._source_monotonic = getattr(source, "clock", None) == "monotonic"

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> Pipeline:
        if self.switch_interval_s is not None:
            self._saved_switch = sys.getswitchinterval()
            sys.setswitchinterval(self.switch_interval_s)
        if self.core_plan is not None:
            self._caller_cores = self._pin(self.core_plan.rest)
        loops = [("capture", self._capture_loop), ("inference", self._infer_loop)]
        if self.analysis != "inline":
            loops.append(("analysis", self._analysis_loop))
        for name, target in loops:
            t = threading.Thread(target=target, name=f"pipeline-{name}", daemon=True)
            self._threads.append(t)
            t.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the threads and close the source."""
        self._stop.set()
        self._running.set()
        self._slot.close()
        with contextlib.suppress(Exception):
            self.source.close()
        self.join(timeout)
        if self._saved_switch is not None:
            sys.setswitchinterval(self._saved_switch)
            self._saved_switch = None
        if self._caller_cores is not None:
            self._pin(frozenset(self._caller_cores))
            self._caller_cores = None

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the threads (they end when a file source ends); True when all ended."""
        for t in self._threads:
            t.join(timeout)
        return not any(t.is_alive() for t in self._threads)

    @property
    def error(self) -> BaseException | None:
        """What the screen should say is wrong right now, or None: the source's fatal error,
        or a camera that is lost and being reconnected (clears itself when it is back)."""
        if self._fatal is not None:
            return self._fatal
        status = getattr(self.source, "status", None)
        if status is not None and getattr(status, "state", "") == "lost":
            from mirror.camera.open import CameraLost  # noqa: PLC0415

            return CameraLost(f"camera lost, reconnecting: {status.message}")
        return None

    @property
    def finished(self) -> bool:
        """The source ended (or failed) and every taken frame was analysed."""
        return self._done.is_set()

    def pause(self, timeout: float = 5.0) -> bool:
        """Park the inference thread between frames (the model is then free: bench times the
        bare invoke() in these gaps). True once parked; False if it did not park in time."""
        self._running.clear()
        return self._parked.wait(timeout) or self._done.is_set()

    def resume(self) -> None:
        self._parked.clear()
        self._running.set()

    def __enter__(self) -> Pipeline:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- consumer side (the UI thread) --------------------------------------------------------

    def latest(self) -> PipelineOutput | None:
        """The newest output (not consumed: the UI may draw it many times)."""
        return self._latest

    def wait_output(self, after_seq: int, timeout: float | None = None) -> PipelineOutput | None:
        """Block until an output newer than after_seq exists (or timeout / finished)."""
        with self._out_lock:
            self._out_lock.wait_for(
                lambda: (self._latest is not None and self._latest.seq > after_seq)
                or self._done.is_set(),
                timeout,
            )
            out = self._latest
        return out if out is not None and out.seq > after_seq else None

    def drain_events(self) -> list[Event]:
        """Reps and cues since the last call, oldest first. Never skipped by latest-wins."""
        with self._out_lock:
            items = list(self._events)
            self._events.clear()
        return items

    def mark_drawn(self, out: PipelineOutput, render_s: float | None = None,
                   drawn: float | None = None) -> None:
        """The UI reports that `out` reached the screen; counted once per output."""
        if out.seq <= self._last_drawn_seq:
            return
        self._last_drawn_seq = out.seq
        now = self.clock() if drawn is None else drawn
        self.stats.latency_drawn.add(now - out.captured)
        if render_s is not None:
            self.stats.render.add(render_s)

    def diagnostics(self) -> dict[str, Any]:
        """A small dict for the diagnostics overlay."""
        s = self.stats
        recent = list(self._recent_out)
        fps = (len(recent) - 1) / (recent[-1] - recent[0]) if len(recent) > 1 and (
            recent[-1] > recent[0]) else 0.0
        d = {
            "fps": round(fps, 1),
            "dropped": s.dropped,
            "latency_p50_ms": ms(recent_pct(s.latency_drawn, 50)),
            "latency_p95_ms": ms(recent_pct(s.latency_drawn, 95)),
            "invoke_ms": ms(recent_pct(s.invoke, 50)),
        }
        if self.light.level is not None:
            d["light_level"] = round(self.light.level, 1)
            d["dark"] = 1.0 if self.light.dark else 0.0
        status = getattr(self.source, "status", None)
        if status is not None:
            d["camera"] = getattr(status, "state", str(status))
            if getattr(status, "message", ""):
                d["camera_message"] = status.message
        err = self.error
        if err is not None:
            d["error"] = str(err)
        elif self.last_error:
            d["error"] = self.last_error
        return d

