"""Stopping the mirror: SIGTERM/SIGINT end the loop promptly and a set in progress is saved;
run lengths that are not finite are refused (s10 breakit #5)."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import signal  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from mirror.analysis.engine import AnalysisUpdate  # noqa: E402
from mirror.analysis.events import AnalysisState, Phase, RepEvent  # noqa: E402
from mirror.cli import main  # noqa: E402
from mirror.session.demo import side_pose  # noqa: E402
from mirror.session.state import Screen  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_app_loop import make_app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_ends_the_loop_and_saves_the_set_in_progress(tmp_path, sig):
    app, producer, made, audio, store = make_app(tmp_path)
    sent = []

    def director(now, state):
        if not sent and state.screen == Screen.ACTIVE and state.reps >= 1:
            sent.append(now)
            os.kill(os.getpid(), sig)  # the handler runs at once, in this (the main) thread
        return []

    real_step = app.step

    def step(now, commands=None):  # the source: a person, then one counted rep
        if made and app.flow.state.screen == Screen.ACTIVE and not app.flow.state.reps:
            made[-1].next = AnalysisUpdate(
                AnalysisState(t=now, person_visible=True, calibrated=True,
                              phase=Phase.LOCKOUT, reps=1),
                (RepEvent(1, True, 0.0, 1.0, 0.5, 1.0, 0.5, 0.1, 0.4),))
        producer.step(now, side_pose(0.0))
        real_step(now, commands)

    app.director = director
    app.step = step
    before = signal.getsignal(sig)
    app.run(seconds=600)  # ends long before: a timeout here would fail the test run
    assert sent, "the director never saw a rep"
    assert signal.getsignal(sig) is before  # the old handler is back
    (row,) = store.sets()  # the set was in progress when the signal came: saved
    assert (row["reps"], row["exercise"]) == (1, "hip-hinge")
    store.close()


def test_headless_demo_stops_on_sigterm_and_keeps_its_history(tmp_path):
    """`timeout`/`systemctl stop` send SIGTERM; SDL used to swallow it (the demo ran on)."""
    db = tmp_path / "h.db"
    env = dict(os.environ, PYTHONPATH=str(ROOT), SDL_VIDEODRIVER="dummy",
               SDL_AUDIODRIVER="dummy", XDG_CACHE_HOME=str(tmp_path / "cache"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "mirror", "demo", "--headless", "--seconds", "600", "--mute",
         "--stand-in", "--speed", "4", "--size", "360x640", "--history", str(db)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:  # up: the loop has started
            if "mirror running" in line:
                break
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=120)  # generous: it stops at the next frame
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "SIGTERM: stopping" in err and "Traceback" not in err
    assert out.startswith("ui: ")
    with sqlite3.connect(db) as conn:  # the history is there and whole
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM sets").fetchone()[0] >= 0
    assert not list(tmp_path.glob("*.corrupt-*"))


@pytest.mark.parametrize("argv", [
    ["demo", "--seconds", "nan"], ["demo", "--seconds", "inf"], ["demo", "--seconds", "0"],
    ["demo", "--speed", "nan"], ["demo", "--speed", "inf"], ["demo", "--speed", "1e9"],
    ["run", "--seconds", "-1"], ["run", "--seconds", "nan"]])
def test_run_lengths_and_speeds_that_never_end_are_refused(argv, capsys):
    assert main([*argv, "--headless"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"hinge-mirror: error: {argv[1]} {argv[2]}: " + (
        "expected a number greater than 0 and at most 1000" if argv[1] == "--speed"
        else "expected a number greater than 0")]
