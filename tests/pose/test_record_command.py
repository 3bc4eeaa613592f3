"""`hinge-mirror record`: --out is replaced only when the whole source was read (s10 breakit #2)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from mirror.cli import main
from mirror.pose.keypoints import Pose
from mirror.pose.recording import RecordingHeader, RecordingWriter, read_recording


def write_good(path, frames=90):
    kps = np.full((17, 3), 0.9)
    with RecordingWriter(path, RecordingHeader(640, 480, 30.0)) as w:
        for i in range(frames):
            w.write(i / 30, Pose(kps.copy(), i / 30, 640, 480))


@pytest.mark.parametrize("same", ["same_path", "other_spelling"])
def test_record_a_recording_onto_itself_keeps_every_frame(tmp_path, monkeypatch, same):
    src = tmp_path / "same.jsonl"
    write_good(src)
    before = src.read_text()
    monkeypatch.chdir(tmp_path)
    out = str(src) if same == "same_path" else "./sub/../same.jsonl"
    (tmp_path / "sub").mkdir()
    assert main(["record", str(src), "--out", out]) == 0
    assert src.read_text() == before
    assert len(read_recording(src)) == 90
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same.jsonl", "sub"]  # no temp left


def test_record_onto_itself_thinned_is_the_thinned_recording(tmp_path):
    src = tmp_path / "same.jsonl"
    write_good(src)
    assert main(["record", str(src), "--out", str(src), "--max-fps", "10"]) == 0
    assert len(read_recording(src)) == 30


def test_a_failing_source_leaves_an_existing_out_as_it_was(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    write_good(bad, 60)
    with bad.open("a") as f:
        f.write("{not json\n")
    victim = tmp_path / "victim.jsonl"
    write_good(victim)
    os.chmod(victim, 0o640)
    before = victim.read_bytes()
    assert main(["record", str(bad), "--out", str(victim)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{bad}:62:" in err[0]
    assert victim.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "victim.jsonl"]
    # a good rewrite keeps the file's permissions
    assert main(["record", str(victim), "--out", str(victim), "--max-fps", "10"]) == 0
    assert oct(os.stat(victim).st_mode & 0o777) == oct(0o640)


def test_record_refuses_a_folder_or_an_empty_out(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    write_good(src, 10)
    (tmp_path / "d").mkdir()
    for out in (str(tmp_path / "d"), ""):
        assert main(["record", str(src), "--out", out]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "--out" in err[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "in.jsonl"]


def test_record_to_a_pipe_or_device_writes_it_in_place(tmp_path):
    src = tmp_path / "in.jsonl"
    write_good(src, 10)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    assert main(["record", str(src), "--out", str(fifo)]) == 0
    reader.join(timeout=60)
    assert len(got[0].splitlines()) == 11
    assert not fifo.is_file() and os.path.exists(fifo)
