"""The analysis engine: one call per pose, returns the new state and any new events.

HingeAnalyzer is the only thing later stages need from analysis:
    analyzer = HingeAnalyzer("rdl")
    update = analyzer.update(t, pose_or_none)
    update.state   -> AnalysisState (draw it)
    update.reps    -> RepEvents finished by this pose (chime / log them)
    update.cue     -> a Cue to speak now, or None
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mirror.analysis.events import AnalysisState, Cue, RepEvent
from mirror.pose.keypoints import Pose


@dataclass(frozen=True)
class AnalysisUpdate:
    state: AnalysisState
    reps: tuple[RepEvent, ...] = ()
    cue: Cue | None = None
    extra: dict = field(default_factory=dict)


class HingeAnalyzer:
    """Placeholder with the final interface; the real engine replaces the body."""

    def __init__(self, exercise: str) -> None:
        self.exercise = exercise
        self._state = AnalysisState(exercise=exercise)

    def update(self, t: float, pose: Pose | None) -> AnalysisUpdate:
        self._state = AnalysisState(t=t, exercise=self.exercise, person_visible=pose is not None)
        return AnalysisUpdate(self._state)

    def reset(self) -> None:
        self._state = AnalysisState(exercise=self.exercise)
