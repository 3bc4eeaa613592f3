"""A file the user names but cannot be read says why: missing, a folder, or not theirs to
read. "Not found" for a file they can list sends them looking in the wrong place."""

from __future__ import annotations

import errno
import os

import pytest

from mirror.cli import main
from mirror.fileio import why_unreadable


def _denied(monkeypatch, path) -> None:
    """This machine runs the tests as root, who may read anything: the kernel's answer to
    another user (EACCES on stat) is faked for this one path."""
    real = os.stat

    def stat(p, *a, **k):
        if os.fspath(p) == os.fspath(path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(p))
        return real(p, *a, **k)

    monkeypatch.setattr(os, "stat", stat)


def test_reasons(tmp_path, monkeypatch) -> None:
    f = tmp_path / "clip.mp4"
    f.write_bytes(b"x")
    assert why_unreadable(f) is None
    assert why_unreadable(tmp_path / "nope.mp4") == "file not found"
    assert why_unreadable(f / "under-a-file") == "file not found"
    assert why_unreadable(tmp_path, "model file") == "is a folder; expected a model file"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert why_unreadable(fifo).startswith("not a regular file")
    assert why_unreadable(fifo, regular=False) is None
    _denied(monkeypatch, f)
    assert why_unreadable(f, "model file") == "cannot read the model file (permission denied)"


@pytest.mark.parametrize("argv, words", [
    (["count", "{f}", "--exercise", "rdl"], "{f}: cannot read the file (permission denied)"),
    (["pose", "{f}"], "{f}: cannot read the file (permission denied)"),
    (["model", "verify", "--model", "{f}"],
     "{f}: cannot read the model file (permission denied) (from --model)"),
    (["model", "verify", "--model", "{d}"], "{d}: is a folder; expected a model file"),
])
def test_commands_say_why_a_named_file_cannot_be_read(tmp_path, monkeypatch, capsys, argv,
                                                      words) -> None:
    f = tmp_path / "theirs.mp4"
    f.write_bytes(b"x")
    d = tmp_path / "folder"
    d.mkdir()
    _denied(monkeypatch, f)
    fill = {"f": str(f), "d": str(d)}
    assert main([a.format(**fill) for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words.format(**fill) in err, err
