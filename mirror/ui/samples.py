"""AppStates for every screen: the screenshot tests and the PNG gallery draw these."""

from __future__ import annotations

from mirror.analysis.events import AnalysisState, Phase, View
from mirror.session.state import AppState, RepSummary, Screen


def _reps() -> tuple[RepSummary, ...]:
    depths = (0.92, 1.05, 1.1, 0.7, 1.02, 1.08, 0.98, 1.12)
    out = []
    n = 0
    for i, d in enumerate(depths):
        counted = d >= 0.8
        n += counted
        out.append(RepSummary(n, counted, d, 2.1 + 0.1 * (i % 3), 0.4, 1.1 - 0.05 * i,
                              () if counted else ("shallow",), 10.0 + 4 * i))
    return tuple(out)


def sample_states() -> dict[str, AppState]:
    reps = _reps()
    counted = sum(r.counted for r in reps)
    seen = AnalysisState(t=30.0, exercise="rdl", person_visible=True, calibrated=True,
                         view=View.SIDE, phase=Phase.BOTTOM, reps=counted, depth=0.86)
    return {
        "idle": AppState(screen=Screen.IDLE, exercise="rdl"),
        "idle_dark": AppState(screen=Screen.IDLE, exercise="rdl", dark=True),
        "get_ready": AppState(screen=Screen.GET_READY, exercise="rdl", set_number=1,
                              analysis=AnalysisState(person_visible=True, view=View.SIDE)),
        "active": AppState(screen=Screen.ACTIVE, exercise="rdl", analysis=seen, set_number=2,
                           reps=counted, partials=1, set_reps=reps,
                           cue_text="Hips back, not down"),
        "rest": AppState(screen=Screen.REST, exercise="rdl", set_number=2, reps=counted,
                         last_set_reps=counted, rest_s=27.4, rest_target_s=90.0),
        "summary": AppState(screen=Screen.SUMMARY, exercise="rdl", set_number=2, reps=counted,
                            partials=1, set_reps=reps, top_cue="Hips back, not down"),
        "error": AppState(screen=Screen.ERROR, exercise="rdl", error="No camera found",
                          error_detail="Tried the Pi camera and /dev/video0: nothing answered. "
                          "Check the ribbon cable."),
    }
