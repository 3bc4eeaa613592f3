"""SessionFlow: the one place that turns commands and analysis updates into the next AppState.

Why effects instead of calls: the flow stays pure and testable (no sound, no SQLite, no
threads); the app performs what it returns (chime, speak, save a set, switch the analyzer).
Times are monotonic seconds passed in by the caller, so tests drive time directly.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum

from mirror.analysis.engine import AnalysisUpdate
from mirror.config import Config, display_name
from mirror.session.state import AppState, Command, RepSummary, Screen, SetRecord

CUE_SHOW_S = 4.0
TOAST_S = 2.0
VOLUME_STEP = 0.1

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                "seventeen", "eighteen", "nineteen", "twenty")


class EffectKind(str, Enum):
    CHIME = "chime"  # a counted rep
    PARTIAL = "partial"  # a rep that did not count
    SPEAK = "speak"  # a cue, spoken (or a tone without speech)
    COUNT = "count"  # the new count, spoken (nothing without speech: the chime said it)
    SET_EXERCISE = "set_exercise"  # the analyzer must switch exercise
    RESET_ANALYSIS = "reset_analysis"
    SAVE_SET = "save_set"
    SHUTDOWN = "shutdown"
    QUIT = "quit"


@dataclass(frozen=True)
class Effect:
    kind: EffectKind
    text: str = ""
    record: SetRecord | None = None


DARK_SPOKEN = "It is too dark for me to see you. Turn on a light."

VISIBILITY_WORDS = ("see", "visible", "view", "step back", "turn", "frame", "someone")


def is_visibility_problem(message: str) -> bool:
    """Analysis messages are either instructions ("Stand tall and still to start": shown on
    the get-ready screen) or say the camera cannot see the person well enough (an error
    screen if it lasts)."""
    m = message.lower()
    return bool(m) and any(w in m for w in VISIBILITY_WORDS)


def count_words(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


class SessionFlow:
    def __init__(self, config: Config, wall: Callable[[], float] = time.time) -> None:
        self.config = config
        self._wall = wall
        s = config.session
        self.state = AppState(
            exercise=config.exercises.start,
            muted=config.sound.muted or not config.sound.enabled,
            volume=config.sound.volume,
            overlay=config.ui.overlay,
            diagnostics_on=config.ui.diagnostics,
            rest_target_s=s.rest_s,
        )
        self._now = 0.0
        self._last_seen = 0.0
        self._last_activity = 0.0  # set start or last rep
        self._set_started_wall = 0.0
        self._ended_at = 0.0  # monotonic time the last set ended
        self._armed = False  # in rest/summary: the person left or re-calibrates -> may auto start
        self._cues: Counter[str] = Counter()
        self._cue_until = 0.0
        self._toast_until = 0.0
        self._partial_since: float | None = None
        self._error_source = False  # error screen caused by the source (camera/model)

    # ---- inputs -------------------------------------------------------------------------

    def command(self, cmd: Command, now: float) -> list[Effect]:
        self._now = now
        st = self.state
        if st.shutdown_menu:
            self.state = replace(st, shutdown_menu=False)
            if cmd in (Command.SHUTDOWN_CONFIRM, Command.START_PAUSE):
                return [Effect(EffectKind.SHUTDOWN)]
            return []  # any other button cancels the menu
        handler = {
            Command.PREV_EXERCISE: lambda: self._change_exercise(-1),
            Command.NEXT_EXERCISE: lambda: self._change_exercise(+1),
            Command.START_PAUSE: self._start_pause,
            Command.END_SET: self._end_set_command,
            Command.RESET: self._reset,
            Command.MUTE_TOGGLE: self._mute,
            Command.VOLUME_UP: lambda: self._volume(+VOLUME_STEP),
            Command.VOLUME_DOWN: lambda: self._volume(-VOLUME_STEP),
            Command.SHUTDOWN_REQUEST: self._shutdown_menu,
            Command.SHUTDOWN_CONFIRM: lambda: [],  # only meaningful with the menu open
            Command.TOGGLE_OVERLAY: self._toggle_overlay,
            Command.TOGGLE_DIAGNOSTICS: self._toggle_diagnostics,
            Command.QUIT: lambda: [Effect(EffectKind.QUIT)],
        }[cmd]
        return handler()

    def analysis(self, update: AnalysisUpdate, now: float) -> list[Effect]:
        """Apply one analysis update (state plus the reps and cue it finished)."""
        self._now = now
        a = update.state
        self.state = replace(self.state, analysis=a)
        effects: list[Effect] = []
        if a.person_visible:
            self._last_seen = now
        if self._error_source:
            return effects
        screen = self.state.screen
        self._track_visibility(a, now)
        screen = self.state.screen
        if screen in (Screen.IDLE, Screen.GET_READY) and a.person_visible:
            if a.calibrated:
                effects += self._start_set()
            elif screen == Screen.IDLE:
                self.state = replace(self.state, screen=Screen.GET_READY)
        elif screen in (Screen.REST, Screen.SUMMARY):
            if not a.person_visible or not a.calibrated:
                self._armed = True
            elif self._armed:
                effects += self._start_set()
            elif any(r.counted for r in update.reps):
                effects += self._start_set()  # they started repping again: that is a new set
        if self.state.screen == Screen.ACTIVE:
            effects += self._take_reps(update)
            if update.cue is not None and not self.state.paused:
                self._cues[update.cue.text] += 1
                self._cue_until = now + CUE_SHOW_S
                top = self._cues.most_common(1)[0][0]
                self.state = replace(self.state, cue_text=update.cue.text, top_cue=top)
                effects.append(Effect(EffectKind.SPEAK, update.cue.text))
        return effects + self.tick(now)

    def tick(self, now: float) -> list[Effect]:
        """Timers: set end on leaving or idling, summary -> rest, rest timer, toasts."""
        self._now = now
        st = self.state
        effects: list[Effect] = []
        s = self.config.session
        if st.toast and now >= self._toast_until:
            st = self.state = replace(st, toast="")
        if st.cue_text and now >= self._cue_until:
            st = self.state = replace(st, cue_text="")
        gone = now - self._last_seen
        left = gone >= s.leave_grace_s and not st.analysis.person_visible
        if st.screen == Screen.ACTIVE:
            idle = bool(st.reps or st.partials) and now - self._last_activity >= s.idle_set_end_s
            if left or idle:
                effects += self._end_set()
        elif st.screen == Screen.GET_READY and left:
            self.state = replace(st, screen=Screen.IDLE)
        elif st.screen == Screen.SUMMARY and now - self._ended_at >= s.summary_s:
            self.state = replace(st, screen=Screen.REST)
        if self.state.screen == Screen.REST:
            self.state = replace(self.state, rest_s=now - self._ended_at)
            if gone >= s.session_timeout_s and not self.state.analysis.person_visible:
                self.state = replace(self.state, screen=Screen.IDLE, set_number=0)
        return effects

    def source_error(self, headline: str, detail: str = "") -> None:
        """The camera or the model failed: show it until source_ok()."""
        self._error_source = True
        self.state = replace(self.state, screen=Screen.ERROR, error=headline, error_detail=detail,
                             paused=False)

    def source_ok(self) -> None:
        if self._error_source:
            self._error_source = False
            self.state = replace(self.state, screen=Screen.IDLE, error="", error_detail="")

    def set_dark(self, dark: bool) -> list[Effect]:
        """The room went dark (or light again). Said aloud when it hides the person mid-set:
        they may be looking at the floor."""
        st = self.state
        if dark == st.dark:
            return []
        self.state = replace(st, dark=dark)
        if dark and st.screen == Screen.ACTIVE and not st.analysis.person_visible:
            return [Effect(EffectKind.SPEAK, DARK_SPOKEN)]
        return []

    def set_diagnostics(self, values: dict[str, float]) -> None:
        self.state = replace(self.state, diagnostics=dict(values))

    # ---- helpers ------------------------------------------------------------------------

    def _track_visibility(self, a, now: float) -> None:
        """Partly visible for a while -> an error screen that says so, until it is fixed."""
        st = self.state
        partly = a.person_visible and not a.calibrated and is_visibility_problem(a.message)
        if not partly:
            self._partial_since = None
            if st.screen == Screen.ERROR:
                self.state = replace(st, screen=Screen.GET_READY if a.person_visible
                                     else Screen.IDLE, error="", error_detail="")
            return
        if self._partial_since is None:
            self._partial_since = now
        limit = self.config.session.not_visible_error_s
        if st.screen in (Screen.IDLE, Screen.GET_READY) and now - self._partial_since >= limit:
            self.state = replace(st, screen=Screen.ERROR, error="Can't see all of you",
                                 error_detail=a.message)
        elif st.screen == Screen.ERROR:
            self.state = replace(st, error_detail=a.message)

    def _take_reps(self, update: AnalysisUpdate) -> list[Effect]:
        st = self.state
        if st.paused or not update.reps:
            return []
        effects: list[Effect] = []
        reps, partials, rows = st.reps, st.partials, list(st.set_reps)
        for rep in update.reps:
            if rep.recounted:  # a partial read again: it was a rep after all
                partials = max(0, partials - 1)
                first = next((i for i, r in enumerate(rows) if not r.counted), None)
                if first is not None:
                    rows.pop(first)
            if rep.counted:
                reps += 1
                effects.append(Effect(EffectKind.CHIME))
                if self.config.sound.speak_counts:
                    effects.append(Effect(EffectKind.COUNT, count_words(reps)))
            else:
                partials += 1
                effects.append(Effect(EffectKind.PARTIAL))
            rows.append(RepSummary.from_event(rep, reps))
        self._last_activity = self._now
        self.state = replace(st, reps=reps, partials=partials, set_reps=tuple(rows))
        return effects

    def _start_set(self) -> list[Effect]:
        st = self.state
        self._last_activity = self._now
        self._last_seen = max(self._last_seen, self._now)
        self._set_started_wall = self._wall()
        self._cues.clear()
        self._armed = False
        self.state = replace(st, screen=Screen.ACTIVE, set_number=st.set_number + 1, reps=0,
                             partials=0, set_reps=(), top_cue="", cue_text="", paused=False,
                             last_set_reps=st.reps if st.screen in (Screen.REST, Screen.SUMMARY)
                             else st.last_set_reps)
        return []

    def _end_set(self) -> list[Effect]:
        st = self.state
        self._ended_at = self._now
        self._armed = not st.analysis.person_visible
        if not st.set_reps:
            self.state = replace(st, screen=Screen.GET_READY if st.analysis.person_visible
                                 else Screen.IDLE, set_number=max(0, st.set_number - 1),
                                 paused=False, cue_text="")
            return []
        top = st.top_cue or ("Clean set, well done" if st.reps and not self._cues else "")
        record = SetRecord(st.exercise, st.set_number, self._set_started_wall, self._wall(),
                           st.set_reps, top)
        self.state = replace(st, screen=Screen.SUMMARY, top_cue=top, rest_s=0.0, paused=False,
                             cue_text="", last_set_reps=st.reps)
        return [Effect(EffectKind.SAVE_SET, record=record)]

    def _end_set_command(self) -> list[Effect]:
        if self.state.screen == Screen.ACTIVE:
            return self._end_set()
        if self.state.screen == Screen.SUMMARY:
            self.state = replace(self.state, screen=Screen.REST)
        return []

    def _start_pause(self) -> list[Effect]:
        st = self.state
        if st.screen == Screen.ACTIVE:
            self.state = replace(st, paused=not st.paused)
            self._toast("Paused" if not st.paused else "Go")
            return []
        if st.screen in (Screen.IDLE, Screen.GET_READY, Screen.REST, Screen.SUMMARY):
            return self._start_set()
        return []

    def _change_exercise(self, step: int) -> list[Effect]:
        effects: list[Effect] = []
        was_active = self.state.screen == Screen.ACTIVE
        if was_active:
            effects += self._end_set()  # saved; no summary: the person wants the next exercise
        order = self.config.exercises.order
        cur = self.state.exercise
        i = order.index(cur) if cur in order else 0
        ex = order[(i + step) % len(order)]
        st = self.state
        screen = st.screen
        if was_active or screen in (Screen.IDLE, Screen.GET_READY):
            screen = Screen.GET_READY if st.analysis.person_visible else Screen.IDLE
        self.state = replace(st, exercise=ex, screen=screen)
        self._armed = True
        self._toast(display_name(ex))
        return effects + [Effect(EffectKind.SET_EXERCISE, ex)]

    def _reset(self) -> list[Effect]:
        st = self.state
        self._cues.clear()
        self._armed = False
        if st.screen == Screen.ERROR and self._error_source:
            return [Effect(EffectKind.RESET_ANALYSIS)]
        self.state = replace(st, screen=Screen.GET_READY if st.analysis.person_visible
                             else Screen.IDLE, set_number=0, reps=0, partials=0, set_reps=(),
                             top_cue="", cue_text="", paused=False, last_set_reps=0, error="",
                             error_detail="")
        self._toast("Reset")
        return [Effect(EffectKind.RESET_ANALYSIS)]

    def _mute(self) -> list[Effect]:
        muted = not self.state.muted
        self.state = replace(self.state, muted=muted)
        self._toast("Sound off" if muted else f"Sound on {round(self.state.volume * 100)}%")
        return []

    def _volume(self, step: float) -> list[Effect]:
        vol = round(min(1.0, max(0.0, self.state.volume + step)), 2)
        self.state = replace(self.state, volume=vol, muted=False)
        self._toast(f"Volume {round(vol * 100)}%")
        return []

    def _shutdown_menu(self) -> list[Effect]:
        self.state = replace(self.state, shutdown_menu=True)
        return []

    def _toggle_overlay(self) -> list[Effect]:
        self.state = replace(self.state, overlay=not self.state.overlay)
        return []

    def _toggle_diagnostics(self) -> list[Effect]:
        self.state = replace(self.state, diagnostics_on=not self.state.diagnostics_on)
        return []

    def _toast(self, text: str) -> None:
        self._toast_until = self._now + TOAST_S
        self.state = replace(self.state, toast=text)
