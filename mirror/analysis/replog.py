"""The set's reps as recorded: depth judged against this person's own deepest rep, early
partials read again once the camera's view is learnt, the count kept in order."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from mirror.analysis.events import RepEvent
from mirror.analysis.metrics import HingeMetrics

SHALLOW_FRACTION = 0.75  # a rep under this share of the set's deepest is shallow


@dataclass
class RepRecord:
    """A rep as stored: faults can still be added (no_lockout) after it was announced."""

    event: RepEvent
    faults: list[str]
    peak: HingeMetrics | None = None  # a partial's deepest frame, to be read again later


class RepLog:
    def __init__(self, target_lean: float) -> None:
        self.target_lean = target_lean
        self.records: list[RepRecord] = []

    def clear(self) -> None:
        self.records = []

    @property
    def reps(self) -> int:
        return sum(1 for r in self.records if r.event.counted)

    @property
    def partials(self) -> int:
        return sum(1 for r in self.records if not r.event.counted)

    def judge_depth(self, peak: float, faults: list[str]) -> list[str]:
        """Shallow against this person's own depth in this set (their deepest rep so far,
        as this camera sees it), with the profile's depth as the fallback and cap."""
        faults = [f for f in faults if f != "shallow"]
        deepest = max((r.event.metrics.get("peak_lean", 0.0) for r in self.records
                       if r.event.counted), default=0.0)
        cap = self.target_lean / SHALLOW_FRACTION
        ref = min(max(deepest, peak), cap) if deepest > 0 else cap
        if "squatting" not in faults and peak < SHALLOW_FRACTION * ref:
            faults.append("shallow")
        if peak > deepest > 0:
            self._rejudge_shallow(SHALLOW_FRACTION * min(peak, cap))
        return faults

    def _rejudge_shallow(self, limit: float) -> None:
        """A deeper rep shows this person's real depth: the set's earlier reps that fell
        short of it were shallow too (two shallow reps at the start must not vouch for each
        other). Only adds the fault to the record the set summary reads."""
        for rec in self.records:
            ev = rec.event
            if not ev.counted or "shallow" in rec.faults or "squatting" in rec.faults:
                continue
            if ev.metrics.get("peak_lean", math.inf) < limit:
                rec.faults.append("shallow")
                rec.event = replace(ev, faults=tuple(rec.faults))

    def reread(
        self, read: Callable[[HingeMetrics], float | None], count_lean: float
    ) -> list[RepEvent]:
        """Read each partial's deepest frame again (`read`: its lean now, None if this view
        cannot say); one that reaches the counting depth becomes a rep, announced now and
        numbered in order. Returns the upgraded events."""
        upgraded = []
        for rec in self.records:
            lean = read(rec.peak) if rec.peak is not None else None
            if rec.event.counted or lean is None or lean < count_lean:
                continue
            rec.peak = None
            rec.faults = self.judge_depth(lean, rec.faults)
            metrics = {**rec.event.metrics, "peak_lean": round(lean, 1)}
            rec.event = replace(rec.event, counted=True, faults=tuple(rec.faults), recounted=True,
                                depth=round(lean / self.target_lean, 3), metrics=metrics)
            upgraded.append(rec)
        number = 0
        for rec in self.records:
            if rec.event.counted:
                number += 1
                rec.event = replace(rec.event, number=number)
        return [rec.event for rec in upgraded]
