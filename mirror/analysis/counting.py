"""Counting a whole pose stream: what `count` and `eval` run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from mirror.analysis.engine import HingeAnalyzer
from mirror.analysis.events import Cue, RepEvent
from mirror.pose.keypoints import Pose


@dataclass
class CountResult:
    exercise: str
    reps: int
    rep_details: list[RepEvent]
    partials: list[RepEvent]
    cues: list[Cue] = field(default_factory=list)
    frames: int = 0
    frames_with_person: int = 0
    view: str = "unknown"
    duration_s: float = 0.0

    def to_json(self) -> dict:
        def rep(e: RepEvent) -> dict:
            return {
                "start_s": e.start_s, "end_s": e.end_s, "bottom_s": e.bottom_s,
                "faults": list(e.faults), "depth": e.depth,
                "tempo": {"down_s": e.down_s, "pause_s": e.pause_s, "up_s": e.up_s},
                "metrics": e.metrics,
            }

        return {
            "exercise": self.exercise,
            "reps": self.reps,
            "rep_details": [rep(e) for e in self.rep_details],
            "partial_reps": len(self.partials),
            "partial_details": [rep(e) for e in self.partials],
            "cues": [{"t": round(c.t, 2), "fault": c.fault, "text": c.text} for c in self.cues],
            "faults": dict(Counter(f for e in self.rep_details for f in e.faults)),
            "view": self.view,
            "frames": self.frames,
            "frames_with_person": self.frames_with_person,
            "duration_s": round(self.duration_s, 3),
        }

    def summary(self) -> str:
        lines = [f"{self.exercise}: {self.reps} reps ({len(self.partials)} partial), "
                 f"view {self.view}, {self.frames} frames"]
        for i, e in enumerate(self.rep_details, 1):
            faults = ", ".join(e.faults) or "clean"
            lines.append(f"  rep {i}: {e.start_s:6.2f}-{e.end_s:6.2f} s  depth {e.depth:.2f}  "
                         f"tempo {e.down_s:.1f}/{e.pause_s:.1f}/{e.up_s:.1f} s  {faults}")
        for c in self.cues:
            lines.append(f"  cue at {c.t:.1f} s: {c.text}")
        return "\n".join(lines)


def count_stream(poses: Iterable[tuple[float, Pose | None]], exercise: str) -> CountResult:
    analyzer = HingeAnalyzer(exercise)
    cues: list[Cue] = []
    frames = with_person = 0
    t_first = t_last = 0.0
    for t, pose in poses:
        if frames == 0:
            t_first = t
        frames += 1
        with_person += pose is not None
        t_last = t
        update = analyzer.update(t, pose)
        if update.cue:
            cues.append(update.cue)
    final = analyzer.finish(t_last)
    if final.cue:
        cues.append(final.cue)
    records = [r.event for r in analyzer.log.records]
    return CountResult(
        exercise=exercise,
        reps=sum(1 for e in records if e.counted),
        rep_details=[e for e in records if e.counted],
        partials=[e for e in records if not e.counted],
        cues=cues,
        frames=frames,
        frames_with_person=with_person,
        view=analyzer.last_view.value,
        duration_s=t_last - t_first,
    )
