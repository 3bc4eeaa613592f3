"""Measuring the pipeline against the bare model: invoke() timed alone on the same
interpreter, between pipeline segments, and the process's memory."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mirror.pipeline.affinity import pinned
from mirror.pipeline.core import Pipeline
from mirror.pipeline.stats import Samples

BARE_RUNS = 200
# Bursts on the two sides of a segment further apart than this: the machine changed speed.
STEADY_TOL = 0.08


def rss_mb(pid: int | None = None) -> float:
    """Resident set size of this process (or `pid`) in MB (Linux), 0 when unknown."""
    try:
        status = Path(f"/proc/{pid or 'self'}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def bare_invoke(estimator: Any, runs: int = BARE_RUNS, into: Samples | None = None,
                warmup: int = 10, cores: frozenset[int] | None = None) -> Samples | None:
    """invoke() alone on the estimator's interpreter, nothing else running: the model's cost.

    Warmed up first; `into` adds to earlier samples (bench times it before and after the run,
    so a machine whose load drifts is measured on both sides of the pipeline). `cores`: run on
    the cores the pipeline gives the model (a VM's cores can differ in speed).
    """
    model = getattr(estimator, "model", None)
    if model is None or not hasattr(model, "run"):
        return None
    out = into if into is not None else Samples(100000)
    x = np.zeros(model.input_shape, dtype=model.input_dtype)
    run = type(model).run  # the model's own run, not the pipeline's hand-off hook
    with pinned(cores):
        for _ in range(warmup):
            run(model, x)
        for _ in range(runs):
            run(model, x)
            out.add(model.last_invoke_s)
    return out


@dataclass
class Segment:
    """One stretch of pipeline running, between two bare invoke() bursts."""

    active_s: float
    frames: int
    bare_before_ms: float  # burst medians: is the machine's speed the same on both sides?
    bare_after_ms: float | None = None
    # Burst means: what the model alone costs per run, hiccups included, as the pipeline's
    # per-frame time (total time / frames) includes its own. None: use the medians.
    bare_before_mean_ms: float | None = None
    bare_after_mean_ms: float | None = None

    @property
    def ms_per_frame(self) -> float:
        return self.active_s / self.frames * 1000.0

    @property
    def bare_ms(self) -> float:
        """The bare model's mean time per run beside this segment (throughput vs throughput)."""
        before = self.bare_before_mean_ms if self.bare_before_mean_ms is not None \
            else self.bare_before_ms
        after = self.bare_after_mean_ms if self.bare_after_mean_ms is not None \
            else self.bare_after_ms
        return (before + (after if after is not None else before)) / 2.0

    @property
    def steady(self) -> bool:
        """The machine ran at one speed: the bursts on both sides agree within STEADY_TOL."""
        if self.bare_after_ms is None:
            return False
        lo, hi = sorted((self.bare_before_ms, self.bare_after_ms))
        return hi <= lo * (1.0 + STEADY_TOL)


class Interleaver:
    """Alternates pipeline segments with bare invoke() bursts on the same interpreter.

    Why: a shared or throttling machine changes speed within seconds (measured here: the bare
    model flips between ~5.0 and ~7.1 ms every second or two, with nothing else running), so a
    bare time taken once compares the pipeline with a different machine. Parking the inference
    thread every `segment_s` and timing the bare model right then compares like with like: each
    segment is set against the bursts on both of its sides, and segments whose two bursts
    disagree (the machine changed speed in between) are left out of the ratio.
    """

    def __init__(self, pipe: Pipeline, estimator: Any, bare: Samples,
                 segment_s: float = 1.0, burst_s: float = 0.15) -> None:
        self.pipe, self.estimator, self.bare = pipe, estimator, bare
        self.segment_s, self.burst_s = segment_s, burst_s
        self.segments: list[Segment] = []
        plan = getattr(pipe, "core_plan", None)
        self.cores = plan.model if plan is not None else None
        self._start: float | None = None
        self._n0 = 0
        tail = bare.values()[-50:]
        self._before_ms = float(np.median(tail)) * 1000.0 if len(tail) else 0.0
        self._before_mean_ms = float(np.mean(tail)) * 1000.0 if len(tail) else None

    def step(self, now: float) -> None:
        s = self.pipe.stats
        if self._start is None:
            if s.first_output_at is not None:  # start-up is not steady state
                self._start, self._n0 = s.first_output_at, 1
            return
        if now - self._start < self.segment_s or not self.pipe.pause():
            return
        self._close_segment(s.last_estimated_at or now, s.estimated)
        per = float(np.median(self.bare.values()[-50:]))
        runs = max(5, int(self.burst_s / max(per, 1e-4)))
        burst = bare_invoke(self.estimator, runs=runs, warmup=1, cores=self.cores)
        if burst is not None:
            for v in burst.values():
                self.bare.add(float(v))
            self._before_ms = float(np.median(burst.values())) * 1000.0
            self._before_mean_ms = float(np.mean(burst.values())) * 1000.0
            if self.segments and self.segments[-1].bare_after_ms is None:
                self.segments[-1].bare_after_ms = self._before_ms
                self.segments[-1].bare_after_mean_ms = self._before_mean_ms
        self.pipe.resume()
        self._start, self._n0 = time.monotonic(), s.estimated

    def finish(self, bare_after: Samples | None = None) -> None:
        """Close the last segment; `bare_after` (the bare run after the pipeline) ends it."""
        s = self.pipe.stats
        if self._start is not None and s.last_estimated_at is not None:
            self._close_segment(s.last_estimated_at, s.estimated)
        if bare_after is not None and self.segments and self.segments[-1].bare_after_ms is None:
            head = bare_after.values()[:50]
            self.segments[-1].bare_after_ms = float(np.median(head)) * 1000.0
            self.segments[-1].bare_after_mean_ms = float(np.mean(head)) * 1000.0

    def _close_segment(self, end: float, n: int) -> None:
        start, self._start = self._start, None
        if start is None or n <= self._n0 or end <= start:
            return
        self.segments.append(Segment(end - start, n - self._n0, self._before_ms,
                                     bare_before_mean_ms=self._before_mean_ms))

    def used(self) -> list[Segment]:
        """The steady segments, or all of them when none was steady."""
        steady = [g for g in self.segments if g.steady]
        return steady or self.segments

    @property
    def pipeline_ms(self) -> float | None:
        """Per-frame pipeline time over the segments used."""
        segs = self.used()
        frames = sum(g.frames for g in segs)
        return sum(g.active_s for g in segs) / frames * 1000.0 if frames else None

    @property
    def invoke_ms(self) -> float | None:
        """The bare model's mean time per run beside those segments, weighted by their frames
        (a mean, like pipeline_ms: the median would leave out the model's own hiccups and
        charge every one of the pipeline's to the pipeline)."""
        segs = self.used()
        frames = sum(g.frames for g in segs)
        return sum(g.bare_ms * g.frames for g in segs) / frames if frames else None

    def ratios(self) -> Samples:
        out = Samples(100000)
        for g in self.used():
            out.add(g.ms_per_frame / g.bare_ms)
        return out
