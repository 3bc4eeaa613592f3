"""Video files: every frame decoded, and a file cut short before its first frame is an error,
not an empty count (a copy interrupted, a download stopped early)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mirror.camera.video import VideoFileSource
from mirror.cli import main
from mirror.errors import SourceError

av = pytest.importorskip("av")


def _write_video(path: Path, frames: int = 10) -> bytes:
    """A small H.264 MP4 with its index first (as cameras and phones write them), so a copy
    cut short still opens: only its frames are missing."""
    with av.open(str(path), "w", options={"movflags": "faststart"}) as c:
        s = c.add_stream("libx264", rate=10)
        s.width = s.height = 64
        s.pix_fmt = "yuv420p"
        for i in range(frames):
            img = np.full((64, 64, 3), 20 * i, np.uint8)
            for packet in s.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                c.mux(packet)
        for packet in s.encode():
            c.mux(packet)
    return path.read_bytes()


def _cut_before_first_frame(tmp_path: Path) -> Path:
    data = _write_video(tmp_path / "whole.mp4")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: data.index(b"mdat") - 4])  # the index, none of the frame data
    return cut


def test_every_frame_of_a_whole_video_is_decoded_in_order(tmp_path) -> None:
    _write_video(tmp_path / "v.mp4", frames=10)
    frames = list(VideoFileSource(tmp_path / "v.mp4").frames())
    assert [f.index for f in frames] == list(range(10))
    assert frames[0].t == 0.0 and frames[-1].t == pytest.approx(0.9)
    assert frames[0].image.shape == (64, 64, 3)


def test_a_video_cut_before_its_first_frame_is_an_error_not_zero_frames(tmp_path) -> None:
    cut = _cut_before_first_frame(tmp_path)
    source = VideoFileSource(cut)  # the index is there: it opens
    with pytest.raises(SourceError, match=r"cut\.mp4: no frame could be decoded"):
        list(source.frames())


def test_count_on_a_video_cut_short_exits_2_with_one_line(tmp_path, model_path, capsys) -> None:
    cut = _cut_before_first_frame(tmp_path)
    assert main(["count", str(cut), "--exercise", "rdl", "--model", str(model_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no frame could be decoded" in err
