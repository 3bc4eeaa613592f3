"""What the mirror shows, as one immutable value: the renderer draws an AppState, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from mirror.analysis.events import AnalysisState, RepEvent


class Screen(str, Enum):
    IDLE = "idle"  # nobody there: exercise name, "step into view"
    GET_READY = "get_ready"  # someone there, calibrating while they stand still
    ACTIVE = "active"  # a set in progress
    REST = "rest"  # between sets
    SUMMARY = "summary"  # right after a set
    ERROR = "error"  # no camera, no model, person not fully visible


class Command(str, Enum):
    """What buttons and keys ask for; only SessionFlow decides what it means now."""

    PREV_EXERCISE = "prev_exercise"
    NEXT_EXERCISE = "next_exercise"
    START_PAUSE = "start_pause"
    END_SET = "end_set"
    RESET = "reset"
    MUTE_TOGGLE = "mute_toggle"
    VOLUME_UP = "volume_up"
    VOLUME_DOWN = "volume_down"
    SHUTDOWN_REQUEST = "shutdown_request"
    SHUTDOWN_CONFIRM = "shutdown_confirm"
    TOGGLE_OVERLAY = "toggle_overlay"
    TOGGLE_DIAGNOSTICS = "toggle_diagnostics"
    QUIT = "quit"


@dataclass(frozen=True)
class RepSummary:
    """One rep of a set as the summary chart and the history store see it."""

    number: int
    counted: bool
    depth: float
    down_s: float
    pause_s: float
    up_s: float
    faults: tuple[str, ...] = ()
    t: float = 0.0

    @property
    def tempo_s(self) -> float:
        return self.down_s + self.pause_s + self.up_s

    @classmethod
    def from_event(cls, rep: RepEvent, number: int) -> RepSummary:
        return cls(number, rep.counted, rep.depth, rep.down_s, rep.pause_s, rep.up_s,
                   tuple(rep.faults), rep.end_s)


@dataclass(frozen=True)
class SetRecord:
    """A finished set, as written to history."""

    exercise: str
    number: int  # set number within the session
    started_at: float  # wall clock (epoch seconds)
    ended_at: float
    reps: tuple[RepSummary, ...]
    top_cue: str = ""

    @property
    def counted(self) -> int:
        return sum(1 for r in self.reps if r.counted)


# What the mirror shows when the camera's picture is too dark to find anyone in.
DARK_TEXT = "Too dark to see you"
DARK_HINT = "Turn on a light in front of the mirror"


@dataclass(frozen=True)
class AppState:
    screen: Screen = Screen.IDLE
    exercise: str = "hip-hinge"
    analysis: AnalysisState = field(default_factory=AnalysisState)
    set_number: int = 0  # sets done or in progress this session
    reps: int = 0  # counted reps in the current (or, in rest/summary, the last) set
    partials: int = 0
    paused: bool = False
    set_reps: tuple[RepSummary, ...] = ()  # current/last set, counted and partial
    top_cue: str = ""  # the cue that came up most in the current/last set
    cue_text: str = ""  # banner text now
    rest_s: float = 0.0  # seconds since the last set ended
    rest_target_s: float = 90.0
    error: str = ""  # headline for the error screen
    error_detail: str = ""
    muted: bool = False
    volume: float = 0.7
    overlay: bool = False
    diagnostics_on: bool = False
    diagnostics: dict[str, float] = field(default_factory=dict)
    shutdown_menu: bool = False
    toast: str = ""  # short notice ("Volume 80%")
    notice: str = ""  # lasting small line ("History not saved: ..."): the session runs on
    dark: bool = False  # the camera's picture is too dark to find anyone in
    last_set_reps: int = 0

    @property
    def last_rep(self) -> RepSummary | None:
        counted = [r for r in self.set_reps if r.counted]
        return counted[-1] if counted else None
