import json

import numpy as np
import pytest

from mirror.cli import main
from mirror.errors import SourceError
from mirror.pose.keypoints import KEYPOINT_NAMES, Pose
from mirror.pose.recording import (
    Recording,
    RecordingHeader,
    RecordingWriter,
    read_recording,
    write_recording,
)


def _header(**kw):
    h = {"format": "hinge-mirror/keypoints", "version": 1, "width": 640, "height": 480,
         "fps": 30, "keypoint_names": list(KEYPOINT_NAMES)}
    h.update(kw)
    return json.dumps(h)


def _frame(t, kps=True):
    return json.dumps({"t": t, "keypoints": [[1.0, 2.0, 0.5]] * 17 if kps else None})


def test_round_trip_keeps_values_and_nulls(tmp_path):
    kps = np.arange(51, dtype=np.float32).reshape(17, 3) / 100
    rec = Recording(RecordingHeader(640, 480, 15.0, {"source": "x.mp4"}),
                    [(0.0, Pose(kps, 0.0, 640, 480)), (0.0667, None)])
    path = tmp_path / "r.jsonl"
    write_recording(path, rec)
    lines = path.read_text().splitlines()
    header = json.loads(lines[0])
    assert header["format"] == "hinge-mirror/keypoints" and header["version"] == 1
    assert header["keypoint_names"] == list(KEYPOINT_NAMES) and header["source"] == "x.mp4"
    assert json.loads(lines[2]) == {"t": 0.0667, "keypoints": None}
    back = read_recording(path)
    assert back.header.width == 640 and back.header.fps == 15.0
    np.testing.assert_allclose(back.frames[0][1].keypoints, kps, atol=1e-4)
    assert back.frames[1] == (0.0667, None)


@pytest.mark.parametrize(
    "lines, where, what",
    [
        ([_header(format="other")], ":1:", '"format"'),
        ([_header(version=2)], ":1:", '"version"'),
        ([_header(width=-1)], ":1:", '"width"'),
        ([_header(keypoint_names=["nose"])], ":1:", "keypoint_names"),
        ([_header(), "{not json"], ":2:", "not JSON"),
        ([_header(), _frame(0), json.dumps({"t": 1, "keypoints": [[1, 2, 3]]})], ":3:", "17"),
        ([_header(), json.dumps({"keypoints": None})], ":2:", '"t"'),
        ([_header(), _frame(1.0), _frame(0.5)], ":3:", "backwards"),
        # numpy would take these quietly as 1.0, 12.5 and NaN
        ([_header(), json.dumps({"t": 0, "keypoints": [[True, 2, 0.5]] * 17})], ":2:", "17"),
        ([_header(), json.dumps({"t": 0, "keypoints": [["12.5", 2, 0.5]] * 17})], ":2:", "17"),
        ([_header(), '{"t": 0, "keypoints": [' + ",".join(["[NaN, 2, 0.5]"] * 17) + "]}"],
         ":2:", "17"),
        ([_header(), json.dumps({"t": 0, "keypoints": [[1, 2, 0.5, 4]] * 17})], ":2:", "17"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path, lines, where, what):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SourceError) as e:
        read_recording(path)
    assert str(path) + where in str(e.value) and what in str(e.value)


def test_cli_bad_recording_is_one_line_exit_2(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text(_header() + "\n" + _frame(0) + "\n{oops\n")
    assert main(["count", str(path), "--exercise", "rdl", "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"{path}:3:" in err and "Traceback" not in err


def test_cli_unknown_exercise_and_missing_file(tmp_path, capsys):
    path = tmp_path / "r.jsonl"
    path.write_text(_header() + "\n" + _frame(0) + "\n")
    assert main(["count", str(path), "--exercise", "squat-press"]) == 2
    assert "unknown exercise 'squat-press'" in capsys.readouterr().err
    assert main(["count", str(tmp_path / "nope.mp4"), "--exercise", "rdl"]) == 2
    assert "nope.mp4: file not found" in capsys.readouterr().err


# --- s10 breakit #6: what used to be a traceback is a one-line error naming file:line --------


def _good_lines(n: int = 5) -> list[bytes]:
    import io

    buf = io.StringIO()
    w = RecordingWriter(buf, RecordingHeader(640, 480, 30.0))
    for i in range(n):
        w.write(i / 30, Pose(np.full((17, 3), 0.5), i / 30, 640, 480))
    w.close()
    return [line.encode() for line in buf.getvalue().splitlines()]


HUGE = "9" * 400


@pytest.mark.parametrize("case,line,words", [
    ("deep_frame", 7, "nested too deeply"),
    ("deep_header", 1, "nested too deeply"),
    ("non_utf8_frame", 7, "not UTF-8 text (byte 0xff"),
    ("huge_t", 7, '"t" is 9999'),
    ("huge_keypoint", 7, '"keypoints" must be'),
    ("huge_fps", 1, '"fps" is 9999'),
])
def test_bad_recordings_are_one_line_errors_naming_the_line(tmp_path, capsys, case, line, words):
    from mirror.cli import main

    lines = _good_lines()
    kps = [[1, 2, 0.5]] * 17
    if case == "deep_frame":
        lines.append(b"[" * 200000 + b"]" * 200000)
    elif case == "deep_header":
        lines[0] = b"[" * 200000 + b"]" * 200000
    elif case == "non_utf8_frame":
        lines.append(b'{"t": 5, "keypoints": null, "x": "\xff\xfe"}')
    elif case == "huge_t":
        lines.append(b'{"t": %s, "keypoints": null}' % HUGE.encode())
    elif case == "huge_keypoint":
        kps = [[int(HUGE), 2, 0.5]] + kps[1:]
        lines.append(json.dumps({"t": 5, "keypoints": kps}).encode())
    elif case == "huge_fps":
        lines[0] = lines[0].replace(b'"fps":30.0', b'"fps":' + HUGE.encode())
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert main(["count", str(path), "--exercise", "rdl"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{path}:{line}: " in err[0] and words in err[0], err
    assert len(err[0]) < 300
