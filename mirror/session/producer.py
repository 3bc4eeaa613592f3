"""The hand-off between whatever produces analysis (live pipeline, simulated athlete) and the UI.

The UI loop never waits on inference: each frame it reads `latest()` (newest output, may be
drawn many times) and `drain_events()` (reps and cues, never skipped). mirror.pipeline.Pipeline
has this shape already; PoseProducer gives any pose iterator the same shape on its own thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from mirror.analysis.engine import AnalysisUpdate, HingeAnalyzer
from mirror.analysis.events import Cue, RepEvent
from mirror.pose.keypoints import Pose

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Output:
    """One analysed pose (same fields the live pipeline's PipelineOutput has)."""

    seq: int
    update: AnalysisUpdate
    pose: Pose | None
    captured: float  # monotonic
    analysed: float


class Producer(Protocol):
    def start(self) -> Any: ...

    def stop(self, timeout: float = 5.0) -> None: ...

    def latest(self) -> Any: ...  # an object with .seq, .update, .pose, or None

    def drain_events(self) -> list[RepEvent | Cue]: ...

    def mark_drawn(self, out: Any, render_s: float | None = None,
                   drawn: float | None = None) -> None: ...

    def diagnostics(self) -> dict[str, Any]: ...


class SwitchableAnalyzer:
    """An analyzer the UI thread can switch or reset; applied on the analysis thread's next call.

    Why: controls change the exercise on the UI thread while inference runs on its own thread;
    the request is a flag, never a call into analysis from the wrong thread.
    """

    def __init__(self, exercise: str,
                 factory: Callable[[str], Any] = HingeAnalyzer) -> None:
        self._factory = factory
        self.exercise = exercise
        self._analyzer = factory(exercise)
        self._lock = threading.Lock()
        self._want: str | None = None
        self._reset = False

    def set_exercise(self, exercise: str) -> None:
        with self._lock:
            self._want = exercise

    @property
    def target_exercise(self) -> str:
        """The exercise asked for last (it may not be applied yet)."""
        with self._lock:
            return self._want or self.exercise

    def reset(self) -> None:
        with self._lock:
            self._reset = True

    def update(self, t: float, pose: Pose | None) -> AnalysisUpdate:
        with self._lock:
            want, reset = self._want, self._reset
            self._want, self._reset = None, False
        if want is not None and want != self.exercise:
            self.exercise = want
            self._analyzer = self._factory(want)
        elif reset or want is not None:
            self._analyzer.reset()
        return self._analyzer.update(t, pose)


class PoseProducer:
    """Runs `poses()` -> analyzer on its own thread, paced by the poses' own timestamps.

    poses: a callable returning an iterator of (t, Pose | None); it is restarted when it ends.
    """

    def __init__(self, poses: Callable[[], Iterator[tuple[float, Pose | None]]],
                 analyzer: SwitchableAnalyzer, *, realtime: bool = True,
                 event_capacity: int = 256, clock: Callable[[], float] = time.monotonic,
                 speed: float = 1.0) -> None:
        self._poses = poses
        self.analyzer = analyzer
        self.realtime = realtime
        self.speed = speed
        self._clock = clock
        self._lock = threading.Lock()
        self._latest: Output | None = None
        self._events: deque[RepEvent | Cue] = deque(maxlen=event_capacity)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seq = 0
        self._times: deque[float] = deque(maxlen=61)
        self._analysis_s: deque[float] = deque(maxlen=200)
        self.error: str = ""

    def start(self) -> PoseProducer:
        self._thread = threading.Thread(target=self._run, name="pose-producer", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def step(self, t: float, pose: Pose | None) -> Output:
        """Analyse one pose and publish it (the thread calls this; tests may call it directly)."""
        t0 = time.perf_counter()
        update = self.analyzer.update(t, pose)
        self._analysis_s.append(time.perf_counter() - t0)
        now = self._clock()
        with self._lock:
            self._seq += 1
            out = Output(self._seq, update, pose, now, now)
            self._latest = out
            self._events.extend(update.reps)
            if update.cue is not None:
                self._events.append(update.cue)
            self._times.append(now)
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            start_wall = time.monotonic()
            t_first: float | None = None
            try:
                for t, pose in self._poses():
                    if self._stop.is_set():
                        return
                    if self.realtime:
                        t_first = t if t_first is None else t_first
                        due = start_wall + (t - t_first) / self.speed
                        delay = due - time.monotonic()
                        if delay > 0 and self._stop.wait(delay):
                            return
                    self.step(t, pose)
            except Exception as exc:  # a broken source must not take the mirror down
                self.error = f"{type(exc).__name__}: {exc}"
                log.exception("pose producer failed; restarting in 1 s")
                if self._stop.wait(1.0):
                    return

    def latest(self) -> Output | None:
        return self._latest

    def drain_events(self) -> list[RepEvent | Cue]:
        with self._lock:
            items = list(self._events)
            self._events.clear()
        return items

    def mark_drawn(self, out: Any, render_s: float | None = None,
                   drawn: float | None = None) -> None:
        return None

    def diagnostics(self) -> dict[str, Any]:
        times = list(self._times)
        fps = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and \
            times[-1] > times[0] else 0.0
        ms = sorted(self._analysis_s)
        d: dict[str, Any] = {"analysis_fps": round(fps, 1)}
        if ms:
            d["analysis_ms"] = round(ms[len(ms) // 2] * 1000, 2)
        if self.error:
            d["error"] = self.error
        return d


class RetryingProducer:
    """Builds the real producer (camera + model) on its own thread, retrying until it works.

    Why: a kiosk that cannot open its camera or model at boot must still show what is wrong
    and recover by itself when the cable is plugged back in, not exit. Until `build()`
    succeeds, `error` holds the last failure (the app shows it on the error screen).
    """

    def __init__(self, build: Callable[[], Any], retry_s: float = 10.0) -> None:
        self._build = build
        self.retry_s = retry_s
        self._inner: Any = None
        self._failure: BaseException | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.attempts = 0

    @property
    def error(self) -> Any:
        inner = self._inner
        if inner is not None:
            return getattr(inner, "error", None)
        return self._failure

    def start(self) -> RetryingProducer:
        self._thread = threading.Thread(target=self._run, name="producer-open", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.attempts += 1
            try:
                inner = self._build()
                inner.start()
            except Exception as exc:  # shown on screen; tried again
                if self._failure is None or str(exc) != str(self._failure):
                    log.error("source not ready (attempt %d): %s", self.attempts, exc)
                self._failure = exc
                if self._stop.wait(self.retry_s):
                    return
                continue
            self._inner, self._failure = inner, None
            log.info("source ready after %d attempt(s)", self.attempts)
            return

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._inner is not None:
            self._inner.stop(timeout)

    def latest(self) -> Any:
        return self._inner.latest() if self._inner is not None else None

    def wait_output(self, after_seq: int, timeout: float | None = None) -> Any:
        """The inner pipeline's wait_output; until it exists, just the timeout passes."""
        inner = self._inner
        if inner is None or not hasattr(inner, "wait_output"):
            self._stop.wait(timeout)
            return None
        return inner.wait_output(after_seq, timeout)

    def drain_events(self) -> list[RepEvent | Cue]:
        return self._inner.drain_events() if self._inner is not None else []

    def mark_drawn(self, out: Any, render_s: float | None = None,
                   drawn: float | None = None) -> None:
        if self._inner is not None:
            self._inner.mark_drawn(out, render_s, drawn)

    def diagnostics(self) -> dict[str, Any]:
        if self._inner is not None:
            return self._inner.diagnostics()
        return {"open_attempts": self.attempts}
