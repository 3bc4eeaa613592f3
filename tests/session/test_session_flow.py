"""SessionFlow: screens follow the person and the buttons; reps, cues and sets come out right."""

from __future__ import annotations

from dataclasses import replace

from mirror.analysis.engine import AnalysisUpdate
from mirror.analysis.events import AnalysisState, Cue, Phase, RepEvent
from mirror.config import Config
from mirror.session.flow import EffectKind, SessionFlow
from mirror.session.state import Command, Screen

CFG = Config()


def st(visible=True, calibrated=True, message="", phase=Phase.STANDING, depth=0.0):
    return AnalysisState(person_visible=visible, calibrated=calibrated, message=message,
                         phase=phase, depth=depth)


def rep(n=1, counted=True, depth=1.0, faults=()):
    return RepEvent(n, counted, 0.0, 3.0, 1.5, depth, 1.5, 0.3, 1.2, tuple(faults))


class Run:
    """Feeds a flow like the app does, with a hand-driven clock."""

    def __init__(self, config=CFG):
        self.flow = SessionFlow(config, wall=lambda: 1_700_000_000.0)
        self.t = 0.0
        self.effects = []

    def upd(self, state=None, reps=(), cue=None, dt=0.1):
        self.t += dt
        self.effects += self.flow.analysis(AnalysisUpdate(state or st(), tuple(reps), cue), self.t)
        return self.flow.state

    def cmd(self, c):
        self.effects += self.flow.command(c, self.t)
        return self.flow.state

    def wait(self, s, state=None):
        end = self.t + s
        while self.t < end - 1e-9:
            self.upd(state, dt=min(0.1, end - self.t))
        return self.flow.state

    def kinds(self):
        return [e.kind for e in self.effects]


def start_set(run):
    run.upd(st(calibrated=False))
    assert run.flow.state.screen == Screen.GET_READY
    run.upd(st())
    assert run.flow.state.screen == Screen.ACTIVE


def test_idle_until_someone_steps_in_then_auto_start_when_calibrated():
    r = Run()
    assert r.upd(st(visible=False, calibrated=False)).screen == Screen.IDLE
    assert r.upd(st(calibrated=False)).screen == Screen.GET_READY
    s = r.upd(st())
    assert s.screen == Screen.ACTIVE and s.set_number == 1 and s.reps == 0


def test_reps_count_chime_and_partials_do_not():
    r = Run()
    start_set(r)
    s = r.upd(reps=[rep(1)])
    assert s.reps == 1 and r.kinds()[-2:] == [EffectKind.CHIME, EffectKind.COUNT]
    assert r.effects[-1].text == "one"
    s = r.upd(reps=[rep(1, counted=False, depth=0.5)])
    assert s.reps == 1 and s.partials == 1 and r.kinds()[-1] == EffectKind.PARTIAL
    s = r.upd(reps=[rep(2), rep(3)])
    assert s.reps == 3 and [x.counted for x in s.set_reps] == [True, False, True, True]
    assert s.last_rep.number == 3


def test_leaving_ends_the_set_with_a_summary_then_rest_and_saves_once():
    r = Run()
    start_set(r)
    r.upd(reps=[rep(1)])
    r.upd(reps=[rep(2)], cue=Cue("squatting", "Hips back, not down", 0.0))
    r.upd(cue=Cue("squatting", "Hips back, not down", 0.0))
    r.upd(cue=Cue("shallow", "Go deeper", 0.0))
    gone = st(visible=False, calibrated=False)
    s = r.wait(CFG.session.leave_grace_s - 0.5, gone)
    assert s.screen == Screen.ACTIVE  # a short step out is forgiven
    s = r.wait(1.0, gone)
    assert s.screen == Screen.SUMMARY and s.reps == 2 and s.top_cue == "Hips back, not down"
    saves = [e for e in r.effects if e.kind == EffectKind.SAVE_SET]
    assert len(saves) == 1
    rec = saves[0].record
    assert rec.exercise == "hip-hinge" and rec.counted == 2 and rec.top_cue == s.top_cue
    s = r.wait(CFG.session.summary_s, gone)
    assert s.screen == Screen.REST and s.last_set_reps == 2
    s = r.wait(5.0, gone)
    # rest is timed from the end of the set (0.5 s after the grace), summary included
    assert abs(s.rest_s - (0.5 + CFG.session.summary_s + 5.0)) < 0.2
    # back in view, calibrated: the next set starts
    r.upd(st(calibrated=False))
    s = r.upd(st())
    assert s.screen == Screen.ACTIVE and s.set_number == 2 and s.reps == 0
    assert len([e for e in r.effects if e.kind == EffectKind.SAVE_SET]) == 1


def test_clean_set_gets_praise():
    r = Run()
    start_set(r)
    r.upd(reps=[rep(1)])
    s = r.cmd(Command.END_SET)
    assert s.screen == Screen.SUMMARY and s.top_cue.startswith("Clean set")


def test_standing_around_after_reps_ends_the_set_and_repping_again_starts_the_next():
    r = Run()
    start_set(r)
    r.upd(reps=[rep(1)])
    s = r.wait(CFG.session.idle_set_end_s + 0.2)
    assert s.screen == Screen.SUMMARY
    s = r.upd(reps=[rep(2)])
    assert s.screen == Screen.ACTIVE and s.set_number == 2 and s.reps == 1


def test_rest_times_out_to_idle_when_nobody_comes_back():
    r = Run()
    start_set(r)
    r.upd(reps=[rep(1)])
    r.cmd(Command.END_SET)
    r.cmd(Command.END_SET)
    assert r.flow.state.screen == Screen.REST
    s = r.wait(CFG.session.session_timeout_s + 1, st(visible=False, calibrated=False))
    assert s.screen == Screen.IDLE and s.set_number == 0


def test_buttons_start_pause_end_and_reset():
    r = Run()
    s = r.cmd(Command.START_PAUSE)
    assert s.screen == Screen.ACTIVE and s.set_number == 1
    s = r.cmd(Command.START_PAUSE)
    assert s.paused and s.toast == "Paused"
    s = r.upd(reps=[rep(1)])
    assert s.reps == 0  # paused: nothing counts
    s = r.cmd(Command.START_PAUSE)
    s = r.upd(reps=[rep(1)])
    assert s.reps == 1
    s = r.cmd(Command.END_SET)
    assert s.screen == Screen.SUMMARY
    s = r.cmd(Command.END_SET)
    assert s.screen == Screen.REST
    s = r.cmd(Command.RESET)
    assert s.screen == Screen.GET_READY and s.set_number == 0 and s.reps == 0
    assert r.kinds()[-1] == EffectKind.RESET_ANALYSIS


def test_ending_an_empty_set_saves_nothing():
    r = Run()
    start_set(r)
    s = r.cmd(Command.END_SET)
    assert s.screen == Screen.GET_READY and s.set_number == 0
    assert EffectKind.SAVE_SET not in r.kinds()


def test_exercise_cycles_in_config_order_and_switches_the_analyzer():
    cfg = replace(CFG, exercises=replace(CFG.exercises, order=("rdl", "deadlift"), start="rdl"))
    r = Run(cfg)
    s = r.cmd(Command.NEXT_EXERCISE)
    assert s.exercise == "deadlift" and r.effects[-1].kind == EffectKind.SET_EXERCISE
    assert r.effects[-1].text == "deadlift" and s.toast == "Deadlift"
    assert r.cmd(Command.NEXT_EXERCISE).exercise == "rdl"
    assert r.cmd(Command.PREV_EXERCISE).exercise == "deadlift"


def test_changing_exercise_mid_set_saves_the_set_first():
    r = Run()
    start_set(r)
    r.upd(reps=[rep(1)])
    s = r.cmd(Command.NEXT_EXERCISE)
    assert r.kinds()[-2:] == [EffectKind.SAVE_SET, EffectKind.SET_EXERCISE]
    assert r.effects[-2].record.exercise == "hip-hinge"
    assert s.exercise == "rdl" and s.screen == Screen.GET_READY


def test_sound_and_display_toggles():
    r = Run()
    s = r.cmd(Command.MUTE_TOGGLE)
    assert s.muted and s.toast == "Sound off"
    s = r.cmd(Command.VOLUME_UP)
    assert not s.muted and s.volume == 0.8 and s.toast == "Volume 80%"
    for _ in range(5):
        s = r.cmd(Command.VOLUME_UP)
    assert s.volume == 1.0
    assert r.cmd(Command.VOLUME_DOWN).volume == 0.9
    assert r.cmd(Command.TOGGLE_OVERLAY).overlay
    assert r.cmd(Command.TOGGLE_DIAGNOSTICS).diagnostics_on
    s = r.wait(3.0)
    assert s.toast == ""


def test_shutdown_needs_the_menu_and_a_confirm_other_buttons_cancel():
    r = Run()
    assert r.flow.command(Command.SHUTDOWN_CONFIRM, 0.0) == []
    assert r.cmd(Command.SHUTDOWN_REQUEST).shutdown_menu
    s = r.cmd(Command.NEXT_EXERCISE)
    assert not s.shutdown_menu and s.exercise == "hip-hinge"  # cancelled, not applied
    assert r.cmd(Command.SHUTDOWN_REQUEST).shutdown_menu
    assert [e.kind for e in r.flow.command(Command.START_PAUSE, r.t)] == [EffectKind.SHUTDOWN]
    assert r.cmd(Command.SHUTDOWN_REQUEST).shutdown_menu
    assert [e.kind for e in r.flow.command(Command.SHUTDOWN_CONFIRM, r.t)] == [
        EffectKind.SHUTDOWN]
    assert [e.kind for e in r.flow.command(Command.QUIT, r.t)] == [EffectKind.QUIT]


def test_partly_visible_for_a_while_shows_the_error_screen_until_fixed():
    r = Run()
    part = st(calibrated=False, message="Step back: your feet are not in view")
    s = r.wait(CFG.session.not_visible_error_s - 0.5, part)
    assert s.screen == Screen.GET_READY
    s = r.wait(1.0, part)
    assert s.screen == Screen.ERROR and s.error == "Can't see all of you"
    assert "feet" in s.error_detail
    s = r.upd(st(calibrated=False))
    assert s.screen == Screen.GET_READY


def test_source_errors_hold_the_error_screen_until_ok():
    r = Run()
    r.flow.source_error("No camera", "Pi camera: not detected")
    s = r.upd(st())
    assert s.screen == Screen.ERROR and s.error == "No camera"
    r.flow.source_ok()
    assert r.flow.state.screen == Screen.IDLE
    assert r.upd(st()).screen == Screen.ACTIVE


def test_cue_banner_shows_then_clears_and_cues_are_spoken():
    r = Run()
    start_set(r)
    s = r.upd(cue=Cue("too_fast", "Slow the lowering", 0.0))
    assert s.cue_text == "Slow the lowering"
    assert r.effects[-1].kind == EffectKind.SPEAK and r.effects[-1].text == "Slow the lowering"
    s = r.wait(5.0)
    assert s.cue_text == ""


def test_an_instruction_is_not_an_error_but_a_visibility_problem_is():
    from mirror.session.flow import is_visibility_problem

    assert not is_visibility_problem("Stand tall and still to start")
    assert not is_visibility_problem("")
    assert is_visibility_problem("Turn so I can see your shoulders and hips")
    assert is_visibility_problem("Step back: feet not visible")
    r = Run()
    s = r.wait(CFG.session.not_visible_error_s + 5,
               st(calibrated=False, message="Stand tall and still to start"))
    assert s.screen == Screen.GET_READY


def test_a_partial_read_again_as_a_rep_moves_from_partials_to_reps():
    r = Run()
    start_set(r)
    r.upd(reps=[rep(0, counted=False, depth=0.3)])
    s = r.upd(reps=[replace(rep(1, depth=0.45), recounted=True)])
    assert (s.reps, s.partials) == (1, 0)
    assert [row.counted for row in s.set_reps] == [True]
    assert r.kinds().count(EffectKind.CHIME) == 1
