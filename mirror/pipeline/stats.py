"""Bounded per-frame statistics of the pipeline (stage times, latency, counters)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

STATS_WINDOW = 4096


class Samples:
    """A bounded window of float samples with percentiles (memory stays flat)."""

    def __init__(self, maxlen: int = STATS_WINDOW) -> None:
        self._d: deque[float] = deque(maxlen=maxlen)
        self.count = 0

    def add(self, v: float) -> None:
        self._d.append(v)
        self.count += 1

    def __len__(self) -> int:
        return len(self._d)

    def values(self) -> np.ndarray:
        return np.fromiter(self._d, dtype=np.float64, count=len(self._d))

    def pct(self, q: float) -> float | None:
        if not self._d:
            return None
        return float(np.percentile(self.values(), q))


@dataclass
class PipelineStats:
    """Seconds per frame by stage (bounded windows) and counters."""

    capture: Samples = field(default_factory=Samples)
    preprocess: Samples = field(default_factory=Samples)
    invoke: Samples = field(default_factory=Samples)
    postprocess: Samples = field(default_factory=Samples)
    estimate: Samples = field(default_factory=Samples)
    analysis: Samples = field(default_factory=Samples)
    render: Samples = field(default_factory=Samples)
    wait: Samples = field(default_factory=Samples)  # inference idle, waiting for a frame
    interval: Samples = field(default_factory=Samples)  # between consecutive outputs
    latency_analysed: Samples = field(default_factory=Samples)  # camera -> analysis done
    latency_drawn: Samples = field(default_factory=Samples)  # camera -> drawn (motion-to-photon)
    frames_in: int = 0
    outputs: int = 0
    model_runs: int = 0
    source_gaps: int = 0  # frames the source skipped (index gaps)
    overwritten: int = 0  # frames replaced in the slot before inference took them
    errors: int = 0
    lost_events: int = 0
    estimated: int = 0  # frames through the estimator (inference thread)
    last_estimated_at: float | None = None
    first_output_at: float | None = None  # monotonic time of the first analysed frame
    last_output_at: float | None = None

    @property
    def steady_interval(self) -> float | None:
        """Mean seconds between analysed frames after the first (throughput, not latency)."""
        if self.first_output_at is None or self.last_output_at is None or self.outputs < 2:
            return None
        return (self.last_output_at - self.first_output_at) / (self.outputs - 1)

    @property
    def dropped(self) -> int:
        return self.source_gaps + self.overwritten


def recent_pct(samples: Samples, q: float, n: int = 300) -> float | None:
    if not len(samples):
        return None
    v = samples.values()[-n:]
    return float(np.percentile(v, q))


def ms(v: float | None) -> float | None:
    return None if v is None else round(v * 1000.0, 1)
