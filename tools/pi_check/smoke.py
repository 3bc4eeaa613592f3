"""The smoke suite: the product's own commands on the emulated Pi, each time-limited."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import steps
from steps import Outcome

IMPORT_ALL = r"""
import importlib, json, pkgutil, sys, traceback
import mirror
bad = {}
names = ["mirror"] + [m.name for m in pkgutil.walk_packages(mirror.__path__, "mirror.")
                      if not m.name.endswith("__main__")]  # that one runs the CLI
for name in names:
    try:
        importlib.import_module(name)
    except BaseException as e:  # noqa: BLE001 - report every kind of failure
        bad[name] = f"{type(e).__name__}: {e}".splitlines()[0][:100]
print(json.dumps({"modules": len(names), "failed": bad}))
"""

FRAME_PNG = r"""
import sys, av, pygame
src, t, dest = sys.argv[1], float(sys.argv[2]), sys.argv[3]
with av.open(src) as c:
    for f in c.decode(video=0):
        if f.time is not None and f.time >= t:
            rgb = f.to_ndarray(format="rgb24")
            break
h, w, _ = rgb.shape
pygame.image.save(pygame.image.frombuffer(rgb.tobytes(), (w, h), "RGB"), dest)
print(f"{w}x{h} frame at {t} s, PyAV {av.__version__}")
"""

# The Pi's analysis sees ~10 fps, so the clip is re-encoded at 10 fps (timing kept) and half
# size: the same rep, a third of the frames to emulate.
TEN_FPS_CLIP = r"""
import sys
from fractions import Fraction
import av
src, dest = sys.argv[1], sys.argv[2]
with av.open(src) as inp, av.open(dest, "w") as out:
    vin = inp.streams.video[0]
    w, h = vin.codec_context.width // 2 // 2 * 2, vin.codec_context.height // 2 // 2 * 2
    st = out.add_stream("mpeg4", rate=10)
    st.width, st.height, st.pix_fmt = w, h, "yuv420p"
    st.bit_rate = 4_000_000
    n, next_t = 0, 0.0
    for f in inp.decode(vin):
        if f.time is None or f.time + 1e-6 < next_t:
            continue
        g = f.reformat(width=w, height=h, format="yuv420p")
        g.pts, g.time_base = n, Fraction(1, 10)
        out.mux(st.encode(g))
        n, next_t = n + 1, next_t + 0.1
    out.mux(st.encode(None))
print(f"{n} frames at 10 fps, {w}x{h}")
"""

LIT_PIXELS = r"""
import sys, pygame
s = pygame.image.load(sys.argv[1])
w, h = s.get_size()
lit = sum(1 for x in range(0, w, 4) for y in range(0, h, 4) if sum(s.get_at((x, y))[:3]) > 60)
print(f"{w}x{h}, {100 * lit * 16 / (w * h):.1f}% lit")
"""

PYGAME_DISPLAY = r"""
import pygame
pygame.init()
screen = pygame.display.set_mode((540, 960))
screen.fill((0, 0, 0))
text = pygame.font.Font(None, 200).render("7", True, (255, 255, 255))
screen.blit(text, (200, 300))
pygame.display.flip()
lit = sum(1 for x in range(0, 540, 2) for y in range(0, 960, 2) if screen.get_at((x, y))[0] > 128)
assert lit > 100, lit
print(f"pygame {pygame.version.ver}, SDL {'.'.join(map(str, pygame.get_sdl_version()))}, "
      f"driver {pygame.display.get_driver()}, font ok")
"""

GPIO_MOCK = r"""
import time
from gpiozero import Button, Device
from gpiozero.pins.mock import MockFactory
Device.pin_factory = MockFactory()
b = Button(17, hold_time=0.2)
held = []
b.when_held = lambda: held.append(True)
b.pin.drive_low()
time.sleep(0.6)
assert b.is_pressed and held, (b.is_pressed, held)
b.pin.drive_high()
import importlib.metadata as m
extra = ""
try:
    import mirror.controls.gpio  # noqa: F401
    extra = ", mirror.controls.gpio imports"
except ImportError as e:
    extra = f", mirror.controls.gpio: {e}"
print(f"gpiozero {m.version('gpiozero')}: long press seen{extra}")
"""


def _py(venv: Path) -> str:
    return str(venv / "bin" / "python")


def _call(env, venv: Path, argv: list[str], timeout: float) -> tuple[int | None, str, str, float]:
    return steps.run([_py(venv), *argv], env.env(), timeout)


def _simple(env, venv, argv, timeout, last_line: bool = True) -> Outcome:
    rc, out, err, secs = _call(env, venv, argv, timeout)
    if rc == 0:
        lines = out.strip().splitlines()
        return Outcome(True, ((lines[-1] if lines and last_line else "") + f" ({secs:.0f} s)")
                       .strip(), secs)
    if steps.not_built(err):
        return Outcome(None, "not yet built")
    return Outcome(False, steps.describe_failure(rc, err, timeout), secs)


def _cli(env, venv, args: list[str], timeout: float) -> tuple[Outcome, str]:
    rc, out, err, secs = _call(env, venv, ["-m", "mirror", *args], timeout)
    if rc == 0:
        return Outcome(True, f"{secs:.0f} s", secs), out
    if steps.not_built(err):
        return Outcome(None, "not yet built"), out
    return Outcome(False, steps.describe_failure(rc, err, timeout), secs), out


def run_suite(env, venv: Path, args) -> dict[str, Outcome]:
    t = args.timeout
    data = env.base / "data"
    data.mkdir(exist_ok=True)
    model = ["--model", str(env.model)]
    res: dict[str, Outcome] = {}

    rc, out, err, secs = _call(env, venv, ["-c", IMPORT_ALL], t)
    try:
        r = json.loads(out.strip().splitlines()[-1])
        bad = r["failed"]
        res["import every mirror module"] = Outcome(
            not bad, (f"{r['modules']} modules" if not bad else
                      "; ".join(f"{k}: {v}" for k, v in list(bad.items())[:3])), secs)
    except (ValueError, IndexError, KeyError):
        res["import every mirror module"] = Outcome(False, steps.describe_failure(rc, err, t))

    o, out = _cli(env, venv, ["model", "verify", *model], t)
    if o.ok:
        o.how = out.strip().splitlines()[-1].split(": ", 1)[-1][:100]
    res["model verify"] = o

    o, out = _cli(env, venv, ["model", "selftest", "--json", *model], t)
    if o.ok:
        with contextlib.suppress(ValueError, IndexError, KeyError):
            o.how = "; ".join(f"{r['distribution']} {r['version']} "
                              f"{'ok' if r['ok'] else 'FAIL'}: {r['how']}"
                              for r in json.loads(out.strip().splitlines()[-1]))
    res["model selftest"] = o

    clip_ok = args.clip.is_file()
    png = data / "frame.png"
    if clip_ok:
        res["PyAV decode + PNG frame"] = _simple(
            env, venv, ["-c", FRAME_PNG, str(args.clip), "1.5", str(png)], t)
    if png.is_file():
        o, out = _cli(env, venv, ["pose", str(png), "--json", *model], t)
        if o.ok:
            try:
                kps = json.loads(out)["keypoints"]
                good = sum(1 for k in kps if k["score"] >= 0.3)
                o = Outcome(len(kps) == 17 and good >= 10,
                            f"{len(kps)} keypoints, {good} scored >= 0.3 ({o.seconds:.0f} s)",
                            o.seconds)
            except (ValueError, KeyError, TypeError):
                o = Outcome(False, "output is not the pose JSON")
        res["pose PNG --json"] = o
    else:
        res["pose PNG --json"] = Outcome(None, "no clip to take a frame from")

    clip = data / f"{args.clip.stem}-10fps.mp4"
    if clip_ok and not clip.is_file():
        res["PyAV encode 10 fps clip"] = _simple(
            env, venv, ["-c", TEN_FPS_CLIP, str(args.clip), str(clip)], t)
    clip_ok = clip.is_file()
    rec = data / "clip.jsonl"
    if clip_ok:
        rec.unlink(missing_ok=True)
        o, _ = _cli(env, venv, ["record", str(clip), "--out", str(rec), *model], t)
        if o.ok:
            lines = rec.read_text().splitlines() if rec.is_file() else []
            o.how = f"{max(len(lines) - 1, 0)} frames ({o.seconds:.0f} s)"
            o.ok = len(lines) > 1
        res["record clip -> .jsonl"] = o
    for name, source in (("count recording", rec), ("count clip (10 fps)", clip)):
        if not source.is_file():
            res[name] = Outcome(None, "no source")
            continue
        o, out = _cli(env, venv, ["count", str(source), "--exercise", args.exercise, "--json",
                                  *model], t)
        if o.ok:
            try:
                reps = json.loads(out)["reps"]
                o = Outcome(reps == args.expect_reps,
                            f"{reps} reps (expected {args.expect_reps}, {o.seconds:.0f} s)",
                            o.seconds)
            except (ValueError, KeyError, TypeError):
                o = Outcome(False, "output is not the count JSON")
        res[name] = o

    shot = data / "demo.png"
    shot.unlink(missing_ok=True)
    o, _ = _cli(env, venv, ["demo", "--headless", "--seconds", "3", "--mute", "--screenshot",
                            str(shot)], t)
    if o.ok:
        if shot.is_file():
            lit = _simple(env, venv, ["-c", LIT_PIXELS, str(shot)], t)
            o.how = f"screenshot {lit.how.rsplit(' (', 1)[0]} ({o.seconds:.0f} s)"
        else:
            o = Outcome(False, "no screenshot written")
    res["demo --headless --seconds 3 --screenshot"] = o

    res["pygame display (SDL dummy), font"] = _simple(env, venv, ["-c", PYGAME_DISPLAY], t)
    res["gpiozero MockFactory, long press"] = _simple(env, venv, ["-c", GPIO_MOCK], t)
    return res
