"""CPU affinity for the live pipeline: the model's thread gets cores of its own.

Why: everything else the mirror does per frame (decoding or camera conversion, preparing the
model input, analysis, drawing the UI at 60 Hz) is Python on other threads. Left to the
scheduler, those threads land on the model's core too and the model's thread, when invoke()
returns, waits behind them: measured on a 2-core x86 VM, each invoke() took 5-17 % longer in
wall time than in CPU time. With the model's thread on its own core and the rest on the
others, the gap went to ~0 (wall/CPU 0.98-1.03). On a Pi 4 (4 cores, 3 model threads) the
same split leaves one core for camera, analysis and UI.

Linux only (os.sched_setaffinity acts on the calling thread there); elsewhere, or when the
machine has too few cores to split, nothing is pinned.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CorePlan:
    """Which cores the model's thread runs on, and which everything else runs on."""

    model: frozenset[int]
    rest: frozenset[int]


def plan_cores(model_threads: int, available: set[int] | None = None) -> CorePlan | None:
    """The last `model_threads` available cores for the model, the others for the rest; None
    when that leaves the rest nothing (then the scheduler decides, as without a plan)."""
    if available is None:
        if not hasattr(os, "sched_getaffinity"):
            return None
        try:
            available = set(os.sched_getaffinity(0))
        except OSError:
            return None
    cores = sorted(available)
    n_model = max(1, int(model_threads))
    if len(cores) <= n_model:
        return None
    return CorePlan(frozenset(cores[-n_model:]), frozenset(cores[:-n_model]))


def pin_current_thread(cores: frozenset[int]) -> set[int] | None:
    """Run the calling thread on `cores`; returns its previous cores (None if not pinned)."""
    if not cores or not hasattr(os, "sched_setaffinity"):
        return None
    try:
        before = set(os.sched_getaffinity(0))
        os.sched_setaffinity(0, cores)
        return before
    except OSError as e:  # a container or policy may forbid it: run unpinned
        log.info("could not set CPU affinity %s: %s", sorted(cores), e)
        return None


@contextmanager
def pinned(cores: frozenset[int] | None) -> Iterator[None]:
    """The calling thread on `cores` for the block, then back. Open the model inside it: the
    backend's worker threads are created then and keep the mask they were born with."""
    before = pin_current_thread(cores) if cores else None
    try:
        yield
    finally:
        if before is not None:
            pin_current_thread(frozenset(before))
