"""The app loop: a rep from the source chimes and changes the count in the next frame; the
demo runs headless and saves a screenshot; the UI never waits on the producer."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import threading  # noqa: E402
from dataclasses import replace  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from mirror.analysis.engine import AnalysisUpdate  # noqa: E402
from mirror.analysis.events import AnalysisState, Phase, RepEvent  # noqa: E402
from mirror.app import App, Display  # noqa: E402
from mirror.config import Config  # noqa: E402
from mirror.session.demo import ScriptAnalyzer, ScriptedAthlete, side_pose  # noqa: E402
from mirror.session.producer import PoseProducer, SwitchableAnalyzer  # noqa: E402
from mirror.session.state import Command, Screen  # noqa: E402
from mirror.session.store import HistoryStore  # noqa: E402
from mirror.ui.audio import Audio  # noqa: E402


class ScriptedSource:
    """A stand-in analyzer whose next update the test decides."""

    def __init__(self, exercise="hip-hinge"):
        self.exercise = exercise
        self.next: AnalysisUpdate | None = None
        self.resets = 0

    def update(self, t, pose):
        u = self.next or AnalysisUpdate(AnalysisState(t=t, person_visible=True, calibrated=True,
                                                      phase=Phase.STANDING))
        self.next = None
        return u

    def reset(self):
        self.resets += 1


def make_app(tmp_path, config=None):
    config = config or Config()
    pygame.font.init()
    made: list[ScriptedSource] = []

    def factory(ex):
        made.append(ScriptedSource(ex))
        return made[-1]

    analyzer = SwitchableAnalyzer("hip-hinge", factory)
    producer = PoseProducer(lambda: iter(()), analyzer)  # stepped by hand, no thread
    cfg = replace(config, display=replace(config.display, width=1080, height=1920))
    display = Display(cfg, headless=True)
    pygame.mixer.quit()
    audio = Audio(speech=False, cache_dir=tmp_path)
    store = HistoryStore(tmp_path / "h.db")
    app = App(cfg, producer, display, analyzer=analyzer, audio=audio, store=store)
    return app, producer, made, audio, store


def count_drawn(app) -> list[str]:
    return [d.text for d in app.renderer.drawn if d.kind == "text" and d.text.isdigit()
            and d.size > 300]


def test_a_rep_from_the_source_chimes_and_shows_in_the_next_frame(tmp_path):
    app, producer, made, audio, store = make_app(tmp_path)
    t = 0.0
    producer.step(t, side_pose(0.0))
    app.step(t, [])
    assert app.flow.state.screen == Screen.ACTIVE
    before = pygame.surfarray.array3d(app.display.surface).copy()
    assert count_drawn(app) == ["0"]
    made[-1].next = AnalysisUpdate(
        AnalysisState(t=1.0, person_visible=True, calibrated=True, phase=Phase.LOCKOUT, reps=1),
        (RepEvent(1, True, 0.0, 1.0, 0.5, 1.0, 0.5, 0.1, 0.4),))
    producer.step(1.0, side_pose(0.0))  # the producer thread publishes a rep
    app.step(1.0 + 1 / 60, [])  # the very next UI frame
    assert audio.played == ["chime"]
    assert count_drawn(app) == ["1"]
    after = pygame.surfarray.array3d(app.display.surface)
    assert (before != after).any()
    # the same output drawn again does not chime twice
    app.step(1.0 + 2 / 60, [])
    assert audio.played == ["chime"]
    store.close()


def test_partial_rep_plays_the_other_tone_and_end_set_writes_history(tmp_path):
    app, producer, made, audio, store = make_app(tmp_path)
    producer.step(0.0, side_pose(0.0))
    app.step(0.0, [])
    made[-1].next = AnalysisUpdate(AnalysisState(person_visible=True, calibrated=True),
                                   (RepEvent(0, False, 0, 1, 0.5, 0.5, 0.5, 0, 0.5,
                                             ("shallow",)),
                                    RepEvent(1, True, 1, 2, 1.5, 1.1, 0.5, 0, 0.5)))
    producer.step(2.0, side_pose(0.0))
    app.step(2.0, [])
    assert audio.played == ["partial", "chime"]
    app.step(2.1, [Command.END_SET])
    assert app.flow.state.screen == Screen.SUMMARY
    (row,) = store.sets()
    assert (row["reps"], row["partials"]) == (1, 1)
    assert len(store.reps(row["id"])) == 2
    store.close()


def test_exercise_button_switches_the_analyzer_on_the_producer_thread(tmp_path):
    app, producer, made, audio, store = make_app(tmp_path)
    app.step(0.0, [Command.NEXT_EXERCISE])
    assert len(made) == 1  # not switched from the UI thread
    producer.step(0.1, None)
    assert [m.exercise for m in made] == ["hip-hinge", "rdl"]
    app.step(0.2, [Command.RESET])
    producer.step(0.3, None)
    assert made[-1].resets == 1
    app.step(0.4, [Command.MUTE_TOGGLE])
    assert audio.muted
    store.close()


def test_source_error_shows_the_error_screen(tmp_path):
    app, producer, made, audio, store = make_app(tmp_path)
    producer.error = "SourceError: camera /dev/video0 not found"
    app.step(0.0, [])
    assert app.flow.state.screen == Screen.ERROR and app.flow.state.error == "No camera"
    producer.error = ""
    app.step(2.0, [])
    assert app.flow.state.screen == Screen.IDLE
    store.close()


def test_ui_loop_does_not_wait_for_a_stalled_producer(tmp_path):
    """The producer thread is blocked inside analysis; frames keep being drawn."""
    gate = threading.Event()

    class Stalled:
        def update(self, t, pose):
            gate.wait(10)
            return AnalysisUpdate(AnalysisState())

        def reset(self):
            pass

    def poses():
        while True:
            yield 0.0, None

    analyzer = SwitchableAnalyzer("rdl", lambda ex: Stalled())
    producer = PoseProducer(poses, analyzer, realtime=False)
    cfg = replace(Config(), display=replace(Config().display, width=400, height=700))
    app = App(cfg, producer, Display(cfg, headless=True))
    threading.Timer(0.5, gate.set).start()  # unblock after the run, so stop() can join
    try:
        stats = app.run(seconds=0.3)
        assert stats.frames >= 5  # drawing went on while analysis was stuck
    finally:
        gate.set()


def test_demo_headless_screenshot(tmp_path, capsys):
    import argparse

    from mirror.app_command import cmd_demo, register

    p = argparse.ArgumentParser()
    register(p.add_subparsers())
    out = tmp_path / "mirror.png"
    args = p.parse_args(["demo", "--headless", "--seconds", "1", "--screenshot", str(out),
                         "--size", "540x960", "--mute", "--speed", "4"])
    assert cmd_demo(args) == 0
    img = pygame.image.load(str(out))
    assert img.get_size() == (540, 960)
    assert "fps" in capsys.readouterr().out


def test_demo_rejects_bad_options():
    import argparse

    from mirror.app_command import register
    from mirror.errors import UserError

    p = argparse.ArgumentParser()
    register(p.add_subparsers())
    for argv in (["demo", "--seconds", "0"], ["demo", "--size", "big"],
                 ["demo", "--exercise", "squat"]):
        with pytest.raises(UserError):  # --seconds is checked as it is parsed
            args = p.parse_args(argv)
            args.func(args)


def test_scripted_demo_source_walks_through_sets_and_exercises(tmp_path):
    """Stepping the whole demo on a fake clock: sets are counted, the exercise changes."""
    from mirror.session.demo import Director

    pygame.font.init()
    cfg = Config()
    cfg = replace(cfg, session=replace(cfg.session, summary_s=3.0, leave_grace_s=2.0),
                  display=replace(cfg.display, width=360, height=640))
    athlete = ScriptedAthlete("hip-hinge")
    analyzer = SwitchableAnalyzer("hip-hinge", lambda ex: ScriptAnalyzer(athlete, ex))
    producer = PoseProducer(lambda: iter(()), analyzer)
    store = HistoryStore(tmp_path / "h.db")
    app = App(cfg, producer, Display(cfg, headless=True), analyzer=analyzer, store=store,
              director=Director(after_rest_s=1.0))
    t = 0.0
    screens = set()
    while t < 90.0:
        producer.step(t, athlete.pose_at(t))
        app.step(t)
        screens.add(app.flow.state.screen)
        t += 1 / 15
    sets = store.sets()
    assert len(sets) >= 2
    assert [s["reps"] for s in sets[:2]] == [5, 5]  # 6 reps, the 4th one shallow
    assert [s["partials"] for s in sets[:2]] == [1, 1]
    assert sets[0]["exercise"] != sets[1]["exercise"]
    assert {Screen.IDLE, Screen.GET_READY, Screen.ACTIVE, Screen.SUMMARY,
            Screen.REST} <= screens
    store.close()


def test_a_rep_of_the_simulated_athlete_chimes_and_counts_in_the_next_frame(tmp_path):
    """mirror.sim's athlete through the real engine: each counted rep is heard and seen at
    once (the frame right after the analysis that finished it)."""
    sim = pytest.importorskip("mirror.sim")
    from mirror.analysis.engine import HingeAnalyzer

    pygame.font.init()
    cfg = replace(Config(), display=replace(Config().display, width=540, height=960))
    analyzer = SwitchableAnalyzer("rdl", HingeAnalyzer)
    producer = PoseProducer(lambda: iter(()), analyzer)
    pygame.mixer.quit()
    audio = Audio(speech=False, cache_dir=tmp_path)
    app = App(cfg, producer, Display(cfg, headless=True), analyzer=analyzer, audio=audio)
    athlete = sim.SimAthlete(sim.SimSpec(exercise="rdl", reps=3, yaw_deg=90, seed=2))
    seen = 0
    for t in athlete.times():
        out = producer.step(t, athlete.pose_at(t))
        counted = sum(r.counted for r in out.update.reps)
        chimes = audio.played.count("chime")
        app.step(t)
        if counted:
            seen += counted
            assert audio.played.count("chime") == chimes + counted
            assert app.flow.state.reps == seen
            assert count_drawn(app) == [str(seen)]
    assert seen >= 2
    audio.close()


def test_a_lost_camera_shows_on_screen_and_clears_when_it_is_back(tmp_path):
    app, producer, made, audio, store = make_app(tmp_path)
    state = {"camera": "lost", "camera_message": "Pi camera: no frames for 2 s"}
    producer.diagnostics = lambda: dict(state)
    app.step(0.0, [])
    s = app.flow.state
    assert s.screen == Screen.ERROR and s.error == "Camera lost" and "no frames" in s.error_detail
    state["camera"] = "ok"
    app.step(1.5, [])
    assert app.flow.state.screen == Screen.IDLE
    store.close()


def test_rotated_display_draws_sideways_and_shows_upright(tmp_path):
    cfg = replace(Config(), display=replace(Config().display, width=1920, height=1080,
                                            rotation=90))
    d = Display(cfg, headless=True)
    assert d.surface.get_size() == (1080, 1920)  # laid out portrait
    assert d.shown().get_size() == (1920, 1080)  # as the landscape panel shows it


def test_sim_frame_source_renders_the_athlete_and_empty_frames_while_away():
    pytest.importorskip("mirror.sim")
    from mirror.session.demo import SimFrameSource, SimShow

    show = SimShow(lambda: "rdl", reps=1, away_s=1.0, size=(240, 320))
    src = SimFrameSource(show)
    assert src.size == (240, 320) and src.fps == 15.0
    frames = []
    for f in src.frames():
        frames.append(f)
        if len(frames) > 600:
            break
    src.close()
    assert all(f.image.shape == (320, 240, 3) for f in frames)
    ts = [f.t for f in frames]
    assert all(b > a for a, b in zip(ts, ts[1:], strict=False))  # one clock across sets
    lit = [int((f.image != 110).any()) for f in frames]
    assert 1 in lit and 0 in lit  # the athlete, and the empty room while away


MODEL = "/work/shared/models/movenet_singlepose_lightning_int8_4.tflite"


@pytest.mark.skipif(not os.path.exists(MODEL), reason="pose model not on this machine")
def test_demo_with_real_inference_runs(tmp_path, capsys):
    pytest.importorskip("ai_edge_litert")
    import argparse

    from mirror.app_command import register

    p = argparse.ArgumentParser()
    register(p.add_subparsers())
    out = tmp_path / "inf.png"
    args = p.parse_args(["demo", "--headless", "--seconds", "1.5", "--inference", "--model",
                         MODEL, "--size", "360x640", "--mute", "--screenshot", str(out)])
    assert args.func(args) == 0
    assert pygame.image.load(str(out)).get_size() == (360, 640)


def test_retrying_producer_shows_the_failure_then_recovers(tmp_path):
    """No model at boot: the error screen says so; when it appears, the mirror carries on."""
    import time

    from mirror.errors import ModelError
    from mirror.session.producer import RetryingProducer

    ready = threading.Event()
    inner = PoseProducer(lambda: iter(()), SwitchableAnalyzer("rdl", lambda ex:
                                                              ScriptedSource(ex)))

    def build():
        if not ready.is_set():
            raise ModelError("movenet.tflite: file not found")
        return inner

    producer = RetryingProducer(build, retry_s=0.01).start()
    cfg = replace(Config(), display=replace(Config().display, width=400, height=700))
    app = App(cfg, producer, Display(cfg, headless=True))
    deadline = time.monotonic() + 5
    while producer.attempts < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    app.step(0.0, [])
    assert app.flow.state.screen == Screen.ERROR and app.flow.state.error == "No pose model"
    ready.set()
    while producer.latest() is None and producer.error and time.monotonic() < deadline:
        time.sleep(0.01)
    inner.step(0.1, side_pose(0.0))
    app.step(2.0, [])
    assert app.flow.state.screen != Screen.ERROR
    producer.stop()


def test_a_dark_room_says_so_and_mid_set_says_it_aloud(tmp_path):
    app, producer, made, audio, store = make_app(tmp_path)
    said: list[str] = []
    audio.say = lambda text, **kw: said.append(text)
    diag = {"dark": 1.0, "light_level": 4.0}
    producer.diagnostics = lambda: dict(diag)
    app.step(0.0, [])
    texts = [d.text for d in app.renderer.drawn if d.kind == "text"]
    assert app.flow.state.dark and "Too dark to see you" in texts
    assert "Step into view" not in texts and not said  # nobody mid-set: nothing spoken
    diag["dark"] = 0.0
    app.step(1.5, [])
    texts = [d.text for d in app.renderer.drawn if d.kind == "text"]
    assert not app.flow.state.dark and "Step into view" in texts
    # Mid-set, the lights go out and the person is lost: the banner and a spoken line.
    app.flow.state = replace(app.flow.state, screen=Screen.ACTIVE,
                             analysis=AnalysisState(t=3.0, person_visible=False))
    diag["dark"] = 1.0
    app.step(3.0, [])
    assert said and "too dark" in said[-1].lower()
    assert any("Too dark to see you" in (d.text or "") for d in app.renderer.drawn)
    store.close()


@pytest.mark.parametrize("kind", ["parent_is_file", "directory"])
def test_demo_runs_on_and_says_so_when_history_cannot_be_saved(tmp_path, monkeypatch, caplog,
                                                                kind):
    """s10 breakit #4: a bad history path is one ERROR line and a line on the mirror, not a
    traceback; nothing at the path is moved."""
    from mirror.cli import main

    (tmp_path / "f.txt").write_text("keep")
    (tmp_path / "d").mkdir()
    path = {"parent_is_file": tmp_path / "f.txt" / "h.db", "directory": tmp_path / "d"}[kind]
    seen = {}
    real_run = App.run

    def spy(self, seconds=None, screenshot=None):
        stats = real_run(self, seconds, screenshot)
        seen["notice"] = self.flow.state.notice
        seen["drawn"] = [d.text for d in self.renderer.drawn if d.kind == "text"]
        return stats

    monkeypatch.setattr(App, "run", spy)
    caplog.set_level("ERROR")
    assert main(["demo", "--headless", "--seconds", "0.3", "--size", "360x640", "--mute",
                 "--stand-in", "--history", str(path)]) == 0
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and str(path) in errors[0] and "not be saved" in errors[0]
    assert seen["notice"].startswith("Sets are not being saved")
    assert seen["notice"] in seen["drawn"]
    assert (tmp_path / "f.txt").read_text() == "keep" and (tmp_path / "d").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "f.txt"]


def test_kiosk_runs_on_with_an_empty_history_path(tmp_path, monkeypatch, caplog):
    from mirror.cli import main

    monkeypatch.chdir(tmp_path)
    cfg = tmp_path / "c.toml"
    cfg.write_text('[session]\nhistory = ""\n[sound]\nenabled = false\n')
    caplog.set_level("ERROR")
    assert main(["run", "--config", str(cfg), "--headless", "--seconds", "0.3",
                 "--no-buttons"]) == 0
    assert any("history path (empty)" in r.getMessage() for r in caplog.records)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]
