"""Command-line values that used to end in a traceback (inf, nan, out of range, a folder for a
file) are one-line errors naming the option, exit 2 (s10 breakit #7, #10)."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mirror.cli import main  # noqa: E402
from mirror.pose.keypoints import Pose  # noqa: E402
from mirror.pose.recording import RecordingHeader, RecordingWriter  # noqa: E402


@pytest.fixture
def rec(tmp_path):
    path = tmp_path / "in.jsonl"
    with RecordingWriter(path, RecordingHeader(640, 480, 30.0)) as w:
        for i in range(30):
            w.write(i / 30, Pose(np.full((17, 3), 0.5), i / 30, 640, 480))
    return path


CASES = [
    (["count", "{rec}", "--exercise", "rdl", "--max-fps", "inf"], "--max-fps inf"),
    (["count", "{rec}", "--exercise", "rdl", "--max-fps", "1e308"], "--max-fps 1e308"),
    (["record", "{rec}", "--out", "{tmp}/o.jsonl", "--max-fps", "nan"], "--max-fps nan"),
    (["eval", "--n", "0", "--max-fps", "inf"], "--max-fps inf"),
    (["eval", "--n", "0", "--max-fps", "1e308"], "--max-fps 1e308"),
    (["sim", "--out", "{tmp}/x.jsonl", "--view", "inf"], "--view 'inf'"),
    (["sim", "--out", "{tmp}/x.jsonl", "--view", "nan"], "--view 'nan'"),
    (["sim", "--out", "{tmp}/x.jsonl", "--fps", "nan"], "--fps nan"),
    (["sim", "--out", "{tmp}/x.jsonl", "--fps", "inf"], "--fps inf"),
    (["sim", "--out", "{tmp}/x.jsonl", "--seed", "-1"], "--seed -1"),
    (["sim", "--out", "{tmp}/x.jsonl", "--distance", "nan"], "--distance nan"),
    (["sim", "--out", "{tmp}/x.jsonl", "--distance", "0"], "--distance 0"),
    (["sim", "--out", "{tmp}/x.jsonl", "--noise", "-1"], "--noise -1"),
    (["sim", "--out", "{tmp}/x.jsonl", "--dropout", "2"], "--dropout 2"),
    (["sim", "--out", "{tmp}/x.jsonl", "--camera-height", "nan"], "--camera-height nan"),
    (["model", "fetch", "--url", "garbage"], "--url 'garbage'"),
    (["model", "fetch", "--url", ""], "--url ''"),
    (["model", "fetch", "--url", "http://[::1"], "--url 'http://[::1'"),
    (["bench", "--source", "{rec}", "--display-fps", "0", "--seconds", "1"], "--display-fps 0"),
    (["demo", "--headless", "--seconds", "1", "--screenshot", "{tmp}"], "--screenshot"),
    (["demo", "--headless", "--seconds", "1", "--screenshot", ""], "--screenshot"),
    # a device or pipe is refused, not replaced (a FIFO here: /dev/null would be at risk
    # if this test ran without the fix)
    (["demo", "--headless", "--seconds", "1", "--screenshot", "{tmp}/fifo"], "not a regular"),
    (["demo", "--headless", "--seconds", "1", "--speed", "nan"], "--speed nan"),
]


@pytest.mark.parametrize("argv,words", CASES, ids=[" ".join(c[0][:1] + c[0][-2:]) for c in CASES])
def test_bad_values_are_one_line_errors(argv, words, rec, tmp_path, capsys):
    argv = [a.format(rec=rec, tmp=tmp_path) for a in argv]
    os.mkfifo(tmp_path / "fifo")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("hinge-mirror: error: ") and words in err[0], err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
    assert not (tmp_path / "fifo").is_file()
