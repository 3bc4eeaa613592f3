"""Values the analysis emits: phase changes, reps, cues, and the snapshot the screen draws."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Phase(str, Enum):
    NOT_READY = "not_ready"  # no person, or not calibrated yet
    STANDING = "standing"
    DESCENDING = "descending"
    BOTTOM = "bottom"
    ASCENDING = "ascending"
    LOCKOUT = "lockout"


class View(str, Enum):
    UNKNOWN = "unknown"
    SIDE = "side"
    OBLIQUE = "oblique"
    FRONT = "front"


@dataclass(frozen=True)
class Cue:
    """One coaching cue: `fault` is a stable id, `text` what a coach would say."""

    fault: str
    text: str
    t: float
    needs_side_view: bool = False


@dataclass(frozen=True)
class RepEvent:
    """A finished rep (counted=True) or a partial one (counted=False)."""

    number: int  # the count after this rep (partials repeat the current count)
    counted: bool
    start_s: float
    end_s: float
    bottom_s: float
    depth: float  # 0..1+, fraction of the exercise's target depth reached
    down_s: float  # tempo: lowering
    pause_s: float  # tempo: time at the bottom
    up_s: float  # tempo: rising
    faults: tuple[str, ...] = ()
    metrics: dict[str, float] = field(default_factory=dict)
    recounted: bool = False  # announced as a partial earlier, counted now (read again)


@dataclass(frozen=True)
class AnalysisState:
    """What analysis knows after the latest pose: the renderer draws this, never computes it."""

    t: float = 0.0
    exercise: str = "hip-hinge"
    person_visible: bool = False
    calibrated: bool = False
    view: View = View.UNKNOWN
    phase: Phase = Phase.NOT_READY
    reps: int = 0
    partial_reps: int = 0
    depth: float = 0.0  # current depth as a fraction of the exercise's target (0 standing)
    last_rep: RepEvent | None = None
    cue: Cue | None = None
    message: str = ""  # plain words for the person: "step back: feet not visible", ...
