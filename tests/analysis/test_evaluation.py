"""`eval`'s summary: per exercise/view and per view rates, the front view split by camera
height, false reps on non-exercise motion, and fault precision/recall matched by time."""

import json

import pytest

from mirror.analysis.counting import CountResult
from mirror.analysis.eval_command import at_rate
from mirror.analysis.evaluation import Case, Outcome, format_table, summarise
from mirror.analysis.events import RepEvent
from mirror.cli import main
from mirror.pose.recording import write_recording
from mirror.sim import SimSpec, simulate


def _rep(n: int, end: float, faults: tuple[str, ...] = ()) -> RepEvent:
    return RepEvent(number=n, counted=True, start_s=end - 2.0, end_s=end, bottom_s=end - 1.0,
                    depth=1.0, down_s=1.0, pause_s=0.0, up_s=1.0, faults=faults, metrics={})


def _outcome(name: str, view: str, true: int, got: int, height: float | None = None,
             motion: bool = False, truth_faults: tuple[str, ...] = (),
             found_faults: tuple[str, ...] = ()) -> Outcome:
    times = [(3.0 * i, 3.0 * i + 2.0, truth_faults) for i in range(true)]
    reps = [_rep(i + 1, 3.0 * i + 2.0, found_faults) for i in range(got)]
    case = Case(name, "rdl", view, true, times, motion=motion, camera_height_m=height)
    return Outcome(case, CountResult("rdl", got, reps, []))


def test_views_split_the_front_by_camera_height() -> None:
    outs = [
        _outcome("a", "front", 5, 5, height=1.6),
        _outcome("b", "front", 5, 4, height=0.7),
        _outcome("c", "front", 5, 5, height=0.9),
        _outcome("d", "side", 4, 6, height=0.7),
    ]
    views = {r["view"]: r for r in summarise(outs)["views"]}
    assert views["front"]["n"] == 3 and abs(views["front"]["exact"] - 2 / 3) < 1e-9
    assert views["front, camera < 1.2 m"]["n"] == 2
    assert views["front, camera < 1.2 m"]["exact"] == 0.5
    assert views["front, camera >= 1.2 m"]["exact"] == 1.0
    assert views["side"]["off_by_one"] == 0.0 and views["side"]["mae"] == 2.0
    assert not any(v.startswith("side,") for v in views)  # only the front view is split
    assert "front, camera < 1.2 m" in format_table(summarise(outs))


def test_false_reps_and_fault_tallies() -> None:
    outs = [
        _outcome("walk:1:rdl", "side", 0, 1, motion=True),
        _outcome("e", "side", 2, 2, truth_faults=("shallow",), found_faults=("shallow",)),
        _outcome("f", "side", 2, 2, found_faults=("too_fast",)),
    ]
    s = summarise(outs)
    assert s["non_exercise"] == [{"motion": "walk", "n": 1, "false_reps": 1}]
    faults = {r["fault"]: r for r in s["faults"]}
    assert (faults["shallow"]["tp"], faults["shallow"]["fp"]) == (2, 0)
    assert (faults["too_fast"]["fp"], faults["too_fast"]["precision"]) == (2, 0.0)


def test_eval_at_a_devices_rate_thins_every_recording(tmp_path, capsys) -> None:
    """`eval --max-fps 10`: each labelled recording is analysed as a Pi 4 would see it (about
    every third frame of a 30 fps camera) and still counts; a rate that is not positive is
    refused with the option named."""
    res = simulate(SimSpec(exercise="rdl", reps=3, yaw_deg=90.0, fps=30, noise=0.5, seed=5))
    write_recording(tmp_path / "rdl.jsonl", res.recording)
    (tmp_path / "labels.json").write_text(
        json.dumps({"rdl.jsonl": {"exercise": "rdl", "reps": 3, "view": "side"}}))
    case = Case("rdl", "rdl", "side", 3, poses=res.recording.frames)
    thinned = at_rate(case, 10.0).poses
    assert len(res.recording.frames) / 3 - 1 <= len(thinned) <= len(res.recording.frames) / 3 + 1
    assert at_rate(case, None) is case
    args = ["eval", "--n", "0", "--labels", str(tmp_path / "labels.json"), "--json"]
    assert main([*args, "--max-fps", "10"]) == 0
    rows = json.loads(capsys.readouterr().out)["counts"]
    assert [(r["n"], r["exact"]) for r in rows] == [(1, 1.0)]
    assert main([*args, "--max-fps", "0"]) == 2
    assert "--max-fps" in capsys.readouterr().err
    # Refused before the suite is simulated (a default --n would take minutes).
    assert main(["eval", "--max-fps", "-1"]) == 2
    assert "--max-fps" in capsys.readouterr().err


@pytest.mark.parametrize("labels, words", [
    ([], "expected a JSON object"),
    ({"a.jsonl": 5}, "'a.jsonl': expected an object"),
    ({"a.jsonl": {}}, "exercise None"),
    ({"a.jsonl": {"exercise": "rdl", "reps": "three"}}, "reps 'three'"),
    ({"a.jsonl": {"exercise": "rdl", "reps": -3}}, "reps -3"),
    ({"a.jsonl": {"exercise": "rdl", "reps": 3, "view": "upside"}}, "view 'upside'"),
])
def test_a_labels_file_of_the_wrong_shape_is_a_one_line_error(tmp_path, capsys, labels, words):
    (tmp_path / "labels.json").write_text(json.dumps(labels))
    assert main(["eval", "--n", "0", "--labels", str(tmp_path / "labels.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "labels.json" in err and len(err.splitlines()) == 1
