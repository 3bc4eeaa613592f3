"""`bench` over a real clip through the real model: what it reports (not how fast: speed is
the bench's own output, never asserted)."""

from __future__ import annotations

import json

from mirror.cli import main


def test_bench_over_a_real_clip_reports_the_model_and_loops_a_short_clip(
        clips_dir, model_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    clip = clips_dir / "deadlift_side_good-form_1_1rep.mp4"  # a few seconds: looped to 60 s
    assert main(["bench", "--source", str(clip), "--model", str(model_path), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert {"invoke_ms", "pipeline_ms", "ratio", "fps"} <= set(d)
    assert d["invoke_ms"] > 0 and d["pipeline_ms"] > 0 and d["fps"] > 0
    # the ratio comes from the unrounded times; the printed times are rounded to 0.001 ms
    assert abs(d["ratio"] - d["pipeline_ms"] / d["invoke_ms"]) < 0.002
    assert d["backend"].startswith(("litert", "tflite")) and d["threads"] >= 1
    assert d["outputs"] == d["frames_in"] > 0 and d["dropped"] == 0
    assert d["wall_seconds"] > 0 and d["ratio_segments"]["n"] >= 3  # looped: many segments
    assert d["latency_ms"]["drawn_p95"] > 0
    assert d["rss_start_mb"] > 0 and d["rss_end_mb"] > 0
