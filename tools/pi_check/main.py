"""tools/pi-check: does Hinge Mirror install and run on 64-bit Raspberry Pi OS? (emulated)

For each release (Bookworm: Python 3.11, numpy 1.24; Trixie: Python 3.13, numpy 2.2) it builds
or reuses an arm64 root, then
  1. per backend candidate (ai-edge-litert 2.3 ... 2.0, tflite-runtime 2.14): pip-installs it
     next to the project in a --system-site-packages venv, runs one MoveNet frame on the raw
     runtime (with a Pi's /proc/cpuinfo, and with qemu's own), runs `hinge-mirror model
     selftest`, and checks its native libraries load on a 16 KiB-page kernel (Pi 5);
  2. runs tools/install.sh itself (no apt, no systemd: those are the root's and the Pi's), and
     on the backend it chose, the smoke suite: imports, model verify, pose, record, count on a
     recording and on a real clip, demo --headless, pygame and gpiozero (mock pins).
It prints one markdown table per release and writes the results as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import rootfs  # noqa: E402
import smoke  # noqa: E402
import steps  # noqa: E402
import wheels  # noqa: E402
from steps import Outcome  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).resolve().parent / "probe_infer.py"


def default_cache() -> Path:
    env = os.environ.get("PI_CHECK_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hinge-mirror" / "pi-check"


def parse_args(argv: list[str]) -> argparse.Namespace:
    shared = REPO.parent / "shared"
    p = argparse.ArgumentParser(prog="tools/pi-check", description=__doc__.split("\n")[0])
    p.add_argument("--release", action="append", choices=sorted(rootfs.RELEASES),
                   help="bookworm and/or trixie (default: both)")
    p.add_argument("--board", default="pi4", choices=("pi4", "pi5"),
                   help="whose /proc/cpuinfo and CPU model to present (default pi4)")
    p.add_argument("--cache", type=Path, default=default_cache(),
                   help="roots, debs and wheels (default $PI_CHECK_CACHE or "
                   "~/.cache/hinge-mirror/pi-check)")
    p.add_argument("--model", type=Path,
                   default=shared / "models" / "movenet_singlepose_lightning_int8_4.tflite",
                   help="MoveNet int8 .tflite (default ../shared/models/; or fetch one with "
                   "`hinge-mirror model fetch` and pass its path)")
    p.add_argument("--clip", type=Path,
                   default=shared / "clips" / "deadlift_side_good-form_1_1rep.mp4",
                   help="a few seconds of real video for `count` (default: a 1-rep deadlift)")
    p.add_argument("--exercise", default="deadlift", help="exercise id of --clip")
    p.add_argument("--expect-reps", type=int, default=1, help="reps in --clip")
    p.add_argument("--candidates", default="all",
                   help="'all', 'none', or comma-separated labels like litert==2.3.0")
    p.add_argument("--rebuild", action="store_true", help="rebuild the roots from cached debs")
    p.add_argument("--timeout", type=float, default=300, help="seconds per step (default 300)")
    p.add_argument("--json", type=Path, help="also write the results here")
    args = p.parse_args(argv)
    args.release = args.release or ["bookworm", "trixie"]
    return args


class Env:
    """Everything one release's steps need: root, python wrapper, environment."""

    def __init__(self, release: rootfs.Release, cache: Path, board: str, model: Path,
                 rebuild: bool = False) -> None:
        self.release = release
        self.base = cache / release.name
        self.root = rootfs.build_root(release, cache, rebuild)
        rootfs.present_board(self.root, board)
        self.board = board
        self.python = rootfs.python_wrapper(self.root, release, board)
        self.home = self.base / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.model = model

    def env(self, **extra: str) -> dict[str, str]:
        e = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "PIP_CONFIG_FILE": os.devnull,  # the host's pip.conf is not the Pi's
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "SDL_VIDEODRIVER": "dummy",
            "SDL_AUDIODRIVER": "dummy",
            "GPIOZERO_PIN_FACTORY": "mock",
            "PYGAME_HIDE_SUPPORT_PROMPT": "1",
        }
        e.update(extra)
        return e


def make_venv(env: Env, venv: Path, timeout: float) -> Outcome:
    """`python3 -m venv --system-site-packages`, as install.sh runs it.

    Under qemu-user 7.x, Python 3.13's ensurepip fails: shutil.copy2 calls listxattr, a
    syscall qemu does not map into the root. The venv is then made --without-pip, and pip
    comes from apt's python3-pip through the system site packages (it installs into the venv).
    """
    stamp = venv / ".pi-check-made"
    if stamp.is_file():
        return Outcome(True, stamp.read_text().strip())
    base = [str(env.python), "-m", "venv", "--system-site-packages"]
    note = ""
    for extra in ([], ["--without-pip"]):
        shutil.rmtree(venv, ignore_errors=True)
        rc, _out, err, secs = steps.run([*base, *extra, str(venv)], env.env(), timeout)
        if rc == 0:
            stamp.write_text(note + "\n")
            return Outcome(True, note, secs)
        if "ensurepip" not in err:
            break
        note = "venv --without-pip (qemu: ensurepip's listxattr)"
    return Outcome(False, "venv: " + steps.describe_failure(rc, err, timeout), secs)


def pip_install(env: Env, venv: Path, house: Path, reqs: list[str], timeout: float) -> Outcome:
    cmd = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-index",
           "--find-links", str(house), *reqs]
    rc, _out, err, secs = steps.run(cmd, env.env(), timeout)
    if rc != 0:
        return Outcome(False, steps.describe_failure(rc, err, timeout), secs)
    return Outcome(True, f"{secs:.0f} s", secs)


def probe(env: Env, venv: Path, backend: str, board: str, timeout: float) -> Outcome:
    """One raw frame on the runtime, presenting `board`'s /proc/cpuinfo (or qemu's: host)."""
    rootfs.present_board(env.root, board)
    try:
        cmd = [str(venv / "bin" / "python"), str(PROBE), backend, str(env.model)]
        rc, out, err, secs = steps.run(cmd, env.env(), timeout)
    finally:
        rootfs.present_board(env.root, env.board)
    if rc == 0:
        try:
            ms = json.loads(out.strip().splitlines()[-1])["invoke_ms"]
        except (ValueError, IndexError, KeyError):
            ms = "?"
        return Outcome(True, f"invoke {ms} ms emulated", secs)
    return Outcome(False, steps.describe_failure(rc, err, timeout), secs)


def mirror_selftest(env: Env, venv: Path, backend: str, timeout: float) -> Outcome:
    cmd = [str(venv / "bin" / "python"), "-m", "mirror", "model", "selftest", "--json",
           "--model", str(env.model)]
    rc, out, err, secs = steps.run(cmd, env.env(), timeout)
    if steps.not_built(err):
        return Outcome(None, "not yet built")
    try:
        results = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return Outcome(False, steps.describe_failure(rc, err, timeout) if rc else "no output")
    for r in results:
        if r.get("backend") == backend:
            return Outcome(bool(r.get("ok")), str(r.get("how", ""))[:120], secs)
    return Outcome(False, "backend not seen by the self-test")


def check_candidate(env: Env, c: wheels.Candidate, house: Path, project: Path,
                    missing: dict[str, str], timeout: float) -> dict[str, Outcome]:
    row: dict[str, Outcome] = {}
    if c.label in missing:
        row["install"] = Outcome(False, "no aarch64 wheel for cp" + env.release.python)
        return row
    venv = env.base / "venvs" / c.label.replace("==", "-")
    made = make_venv(env, venv, timeout)
    if not made.ok:
        row["install"] = made
        return row
    # The project without extras (its numpy, pygame, gpiozero come from apt) plus this backend.
    row["install"] = pip_install(env, venv, house, ["--force-reinstall", "--no-deps",
                                                    str(project)], timeout)
    if row["install"].ok:
        row["install"] = pip_install(env, venv, house, [str(project), c.spec], timeout)
    if not row["install"].ok:
        return row
    row["probe"] = probe(env, venv, c.backend, env.board, timeout)
    row["probe_qemu_cpuinfo"] = probe(env, venv, c.backend, "host", timeout)
    row["selftest"] = mirror_selftest(env, venv, c.backend, timeout)
    site = venv / "lib" / f"python{env.release.python}" / "site-packages"
    row["pages16k"] = steps.page_check(site)
    return row


def run_installer(env: Env, house: Path, timeout: float) -> tuple[Outcome, Path]:
    """tools/install.sh as on a Pi, minus apt (the root has it) and systemd (no init here)."""
    venv = env.base / "venvs" / "installer"
    shutil.rmtree(venv, ignore_errors=True)  # a fresh install each time; reruns are tested
    made = make_venv(env, venv, timeout)      # by tests/test_install_script.py
    if not made.ok:
        return made, venv
    src = env.base / "src"
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", "__pycache__", ".venv", "venv", "out",
        ".pytest_cache", ".ruff_cache"))  # pip builds in the tree: keep the checkout clean
    cmd = ["bash", str(src / "tools" / "install.sh"), "--no-apt", "--no-systemd",
           "--model", str(env.model), "--venv", str(venv)]
    e = env.env(PYTHON=str(env.python), PIP_NO_INDEX="1", PIP_FIND_LINKS=str(house))
    rc, out, err, secs = steps.run(cmd, e, timeout * 4)
    (env.base / "install.log").write_text(out + "\n--- stderr ---\n" + err)
    chosen = [ln.split("backend chosen:", 1)[1].strip() for ln in out.splitlines()
              if "backend chosen:" in ln]
    if rc == 0 and chosen:
        note = f"; {made.how}" if made.how else ""
        return Outcome(True, f"chose {chosen[-1]} ({secs:.0f} s){note}", secs), venv
    return Outcome(False, steps.describe_failure(rc, err, timeout * 4), secs), venv


COLUMNS = (("install", "pip install"), ("probe", "one frame (Pi cpuinfo)"),
           ("probe_qemu_cpuinfo", "one frame (qemu's cpuinfo)"),
           ("selftest", "model selftest"), ("pages16k", "16 KiB pages (Pi 5)"))


def table(release: str, apt: dict[str, str], rows: dict[str, dict[str, Outcome]],
          installer: Outcome | None, suite: dict[str, Outcome]) -> str:
    lines = [f"### {release}: Python {rootfs.RELEASES[release].python}, apt "
             + ", ".join(f"{k} {v}" for k, v in apt.items() if k not in ("pip", "setuptools")),
             ""]
    if rows:
        lines.append("| backend | " + " | ".join(t for _k, t in COLUMNS) + " |")
        lines.append("|---" * (len(COLUMNS) + 1) + "|")
        for label, row in rows.items():
            cells = [row[k].cell() if k in row else "-" for k, _t in COLUMNS]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines.append("")
    if installer is not None:
        lines.append(f"tools/install.sh: {installer.cell()}")
        lines.append("")
    if suite:
        lines.append("| smoke step (installer's backend) | result |")
        lines.append("|---|---|")
        for name, o in suite.items():
            lines.append(f"| {name} | {o.cell()} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if not args.model.is_file():
        sys.exit(f"pi-check: {args.model}: model file not found (give --model PATH)")
    args.cache.mkdir(parents=True, exist_ok=True)
    rootfs.ensure_host_tools()
    project = wheels.project_wheel(REPO, args.cache)
    wanted = list(wheels.CANDIDATES)
    if args.candidates == "none":
        wanted = []
    elif args.candidates != "all":
        labels = set(args.candidates.split(","))
        wanted = [c for c in wanted if c.label in labels]
    started = time.monotonic()
    report = {"date": datetime.date.today().isoformat(), "board": args.board, "releases": {}}
    failed = False
    out_tables = []
    for name in args.release:
        rel = rootfs.RELEASES[name]
        env = Env(rel, args.cache, args.board, args.model.resolve(), args.rebuild)
        apt = rootfs.apt_versions(env.python)
        house, missing = wheels.wheelhouse(rel, args.cache, apt, tuple(wheels.CANDIDATES))
        rows = {}
        for c in wanted:
            rootfs.log(f"{name}: {c.label}")
            rows[c.label] = check_candidate(env, c, house, project, missing, args.timeout)
        rootfs.log(f"{name}: tools/install.sh")
        installer, venv = run_installer(env, house, args.timeout)
        suite = {}
        if installer.ok:
            rootfs.log(f"{name}: smoke suite")
            suite = smoke.run_suite(env, venv, args)
        failed |= not installer.ok or any(o.ok is False for o in suite.values())
        text = table(name, apt, rows, installer, suite)
        out_tables.append(text)
        print(text, flush=True)
        report["releases"][name] = {
            "python": rel.python, "apt": apt,
            "candidates": {k: {s: vars(o) for s, o in r.items()} for k, r in rows.items()},
            "installer": vars(installer), "smoke": {k: vars(o) for k, o in suite.items()},
        }
    report["seconds"] = round(time.monotonic() - started)
    dest = args.json or args.cache / "last-report.json"
    dest.write_text(json.dumps(report, indent=1))
    (args.cache / "last-report.md").write_text(
        f"pi-check {report['date']} (board {args.board}, {report['seconds']} s)\n\n"
        + "\n".join(out_tables))
    print(f"pi-check: {'FAILED' if failed else 'passed'} in {report['seconds']} s "
          f"(report: {dest})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
