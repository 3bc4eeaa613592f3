"""Measuring the pipeline against the bare model: invoke() timed alone on the same
interpreter, between pipeline segments, and the process's memory."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from mirror.pipeline.core import Pipeline
from mirror.pipeline.stats import Samples

BARE_RUNS = 200


def rss_mb() -> float:
    """Resident set size of this process in MB (Linux), 0 when unknown."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def bare_invoke(estimator: Any, runs: int = BARE_RUNS, into: Samples | None = None,
                warmup: int = 10) -> Samples | None:
    """invoke() alone on the estimator's interpreter, nothing else running: the model's cost.

    Warmed up first; `into` adds to earlier samples (bench times it before and after the run,
    so a machine whose load drifts is measured on both sides of the pipeline).
    """
    model = getattr(estimator, "model", None)
    if model is None or not hasattr(model, "run"):
        return None
    x = np.zeros(model.input_shape, dtype=model.input_dtype)
    run = type(model).run  # the model's own run, not the pipeline's hand-off hook
    for _ in range(warmup):
        run(model, x)
    out = into if into is not None else Samples(100000)
    for _ in range(runs):
        run(model, x)
        out.add(model.last_invoke_s)
    return out


class Interleaver:
    """Alternates pipeline segments with bare invoke() bursts on the same interpreter.

    Why: on a machine whose load changes (other programs, thermal throttling), a bare time
    taken once before the run compares the pipeline with a different machine. Parking the
    inference thread every `segment_s` and timing the bare model right then compares like with
    like; pipeline time counts only the running segments.
    """

    def __init__(self, pipe: Pipeline, estimator: Any, bare: Samples,
                 segment_s: float = 1.0, burst_s: float = 0.15) -> None:
        self.pipe, self.estimator, self.bare = pipe, estimator, bare
        self.segment_s, self.burst_s = segment_s, burst_s
        self.active_s = 0.0
        self.frames = 0
        self.ratios = Samples(100000)  # per segment: ms per frame / burst median
        self._start: float | None = None
        self._n0 = 0
        self._seg_ms: float | None = None

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
        runs = max(3, int(self.burst_s / max(per, 1e-4)))
        burst = bare_invoke(self.estimator, runs=runs, warmup=1)
        if burst is not None:
            for v in burst.values():
                self.bare.add(float(v))
            if self._seg_ms is not None:
                self.ratios.add(self._seg_ms / (float(np.median(burst.values())) * 1000.0))
        self.pipe.resume()
        self._start, self._n0 = time.monotonic(), s.estimated

    def finish(self) -> None:
        s = self.pipe.stats
        if self._start is not None and s.last_estimated_at is not None:
            self._close_segment(s.last_estimated_at, s.estimated)

    def _close_segment(self, end: float, n: int) -> None:
        self._seg_ms = None
        if self._start is None or n <= self._n0 or end <= self._start:
            return
        self.active_s += end - self._start
        self.frames += n - self._n0
        self._seg_ms = (end - self._start) / (n - self._n0) * 1000.0
        self._start = None

    @property
    def pipeline_ms(self) -> float | None:
        return self.active_s / self.frames * 1000.0 if self.frames else None
