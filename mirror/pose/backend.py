"""One small adapter over the two TensorFlow Lite runtimes, and the rule that picks one.

LiteRT (`ai-edge-litert`) is preferred; `tflite-runtime` is the fallback. A backend is only
trusted on a machine after it ran one frame of the real model in a child process (a crashing
runtime must not take the app down with it): see `selftest`.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mirror.errors import ModelError
from mirror.fileio import why_unreadable

# name -> (distribution, interpreter module)
BACKENDS: dict[str, tuple[str, str]] = {
    "litert": ("ai-edge-litert", "ai_edge_litert.interpreter"),
    "tflite": ("tflite-runtime", "tflite_runtime.interpreter"),
}
PREFERENCE = ("litert", "tflite")

# Versions known to crash loading MoveNet int8, by machine: (backend, machine) -> version
# prefixes. Empty now. Under qemu-aarch64, ai-edge-litert 2.2 and 2.3 segfaulted in
# allocate_tensors(); tools/pi-check traced that to qemu showing the host's x86 /proc/cpuinfo
# (with a Pi 4 or Pi 5 cpuinfo both run MoveNet, keypoints identical to 2.1.6), so they are
# not excluded. The guard on a real Pi is the self-test, which runs each backend in a child
# process and records a failure for that exact version (docs/raspberry-pi.md).
KNOWN_BAD: dict[tuple[str, str], tuple[str, ...]] = {}


@dataclass(frozen=True)
class BackendInfo:
    name: str
    distribution: str
    version: str

    def __str__(self) -> str:
        return f"{self.name} ({self.distribution} {self.version})"


def _machine() -> str:
    m = platform.machine().lower()
    return "aarch64" if m in ("arm64", "aarch64") else m


def known_bad_reason(name: str, version: str, machine: str | None = None) -> str | None:
    """Why this backend version must not be used on this machine, or None."""
    machine = machine or _machine()
    for prefix in KNOWN_BAD.get((name, machine), ()):
        if version.startswith(prefix):
            return f"{BACKENDS[name][0]} {version} is known to crash loading MoveNet on {machine}"
    return None


def installed_backends() -> list[BackendInfo]:
    """Backends whose distribution is installed, in preference order (not yet imported)."""
    found = []
    for name in PREFERENCE:
        dist, _module = BACKENDS[name]
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
        found.append(BackendInfo(name, dist, version))
    return found


def choose_backend(
    installed: list[BackendInfo],
    requested: str = "auto",
    machine: str | None = None,
    selftest_passed: dict[str, bool] | None = None,
) -> BackendInfo:
    """The selection rule: requested one if given, else the first installed backend in
    PREFERENCE order that is not known-bad here and did not fail a recorded self-test."""
    if requested != "auto":
        if requested not in BACKENDS:
            raise ModelError(f"--backend {requested!r}: expected auto, litert or tflite")
        for b in installed:
            if b.name == requested:
                return b
        raise ModelError(
            f"backend {requested} is not installed: pip install 'hinge-mirror[{requested}]'"
        )
    reasons = []
    for b in installed:
        bad = known_bad_reason(b.name, b.version, machine)
        if bad:
            reasons.append(bad)
            continue
        if selftest_passed is not None and selftest_passed.get(b.name) is False:
            reasons.append(f"{b} failed its self-test on this machine")
            continue
        return b
    if not installed:
        raise ModelError(
            "no inference backend installed: pip install 'hinge-mirror[litert]' "
            "(or 'hinge-mirror[tflite]' where LiteRT has no wheel)"
        )
    raise ModelError("no usable inference backend: " + "; ".join(reasons))


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """Hide the runtime's "INFO: Created TensorFlow Lite XNNPACK delegate" line on fd 2."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class TfliteModel:
    """A loaded .tflite model with one float32 output, run one input at a time."""

    def __init__(self, model_path: str | Path, backend: BackendInfo, threads: int = 2) -> None:
        path = Path(model_path)
        if why := why_unreadable(path, "model file"):
            raise ModelError(f"{path}: {why}")
        try:
            module = importlib.import_module(BACKENDS[backend.name][1])
        except ImportError as e:
            raise ModelError(f"{backend} is installed but cannot be imported: {e}") from None
        try:
            with _quiet_native_stderr():
                self._interp = module.Interpreter(model_path=str(path), num_threads=threads)
                self._interp.allocate_tensors()
        except (ValueError, RuntimeError) as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ModelError(f"{path}: not a valid TensorFlow Lite model ({first})") from None
        inputs = self._interp.get_input_details()
        outputs = self._interp.get_output_details()
        if len(inputs) != 1 or len(outputs) != 1:
            raise ModelError(f"{path}: expected one input and one output (a MoveNet model)")
        self.input_shape = tuple(int(v) for v in inputs[0]["shape"])
        self.input_dtype = np.dtype(inputs[0]["dtype"])
        self.output_shape = tuple(int(v) for v in outputs[0]["shape"])
        self._in = inputs[0]["index"]
        self._out = outputs[0]["index"]
        self.backend = backend
        self.threads = threads
        self.path = path
        self.last_invoke_s = 0.0

    def run(self, batch: np.ndarray) -> np.ndarray:
        """Run one input (already shaped and typed like the model's input)."""
        self._interp.set_tensor(self._in, batch)
        t0 = time.perf_counter()
        self._interp.invoke()
        self.last_invoke_s = time.perf_counter() - t0
        return self._interp.get_tensor(self._out)


def open_model(
    model_path: str | Path, backend: str = "auto", threads: int = 2, selftest_first: bool = False
) -> TfliteModel:
    """Load the model on the chosen backend (see choose_backend), honouring cached self-tests.

    selftest_first: when an installed backend version has no recorded self-test (a new install
    or a pip upgrade), run the self-test in child processes before loading anything here, so a
    runtime that crashes on this machine is skipped instead of taking the kiosk down.
    """
    installed = installed_backends()
    passed = _cached_selftests(model_path)
    if selftest_first and any(b.name not in passed for b in installed):
        selftest(model_path, threads)
        passed = _cached_selftests(model_path)
    info = choose_backend(installed, backend, selftest_passed=passed)
    return TfliteModel(model_path, info, threads)


# --- self-test -------------------------------------------------------------------------------


def _selftest_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hinge-mirror" / "selftest.json"


def _cache_key() -> str:
    return f"{_machine()}-py{sys.version_info.major}.{sys.version_info.minor}"


def _model_sha(model_path: str | Path) -> str:
    from mirror.pose.model_store import sha256_of  # noqa: PLC0415

    try:
        return sha256_of(Path(model_path))
    except OSError:
        return ""


def _cached_selftests(model_path: str | Path | None = None) -> dict[str, bool]:
    """Recorded results for the installed versions; with model_path, only those of a test
    that ran that very model (by sha256): a user's broken or foreign .tflite failing says
    nothing about the backend, and must not stop it being used with the real model."""
    try:
        data = json.loads(_selftest_cache().read_text())
    except (OSError, ValueError):
        return {}
    entry = data.get(_cache_key(), {}) if isinstance(data, dict) else {}
    if not isinstance(entry, dict):
        return {}
    versions = {b.name: b.version for b in installed_backends()}
    sha = _model_sha(model_path) if model_path is not None else None
    # A result only counts for the version (and model) that was tested.
    return {
        name: bool(r.get("ok"))
        for name, r in entry.items()
        if isinstance(r, dict) and r.get("version") == versions.get(name)
        and (sha is None or (sha and r.get("model") == sha))
    }


def selftest(model_path: str | Path, threads: int = 2, timeout_s: float = 60.0) -> list[dict]:
    """Run one frame on every installed backend, each in a child process; cache the results
    (keyed by the model's sha256, see _cached_selftests)."""
    if not isinstance(threads, int) or threads < 1:
        raise ModelError(f"--threads {threads}: expected 1 or more")
    if why := why_unreadable(Path(model_path), "model file"):
        raise ModelError(f"{model_path}: {why}")
    sha = _model_sha(model_path)
    results = []
    for b in installed_backends():
        result = {"backend": b.name, "distribution": b.distribution, "version": b.version,
                  "model": sha}
        bad = known_bad_reason(b.name, b.version)
        if bad:
            result.update(ok=False, how=f"skipped: {bad}")
            results.append(result)
            continue
        cmd = [sys.executable, "-m", "mirror.pose.selftest_child"]
        cmd += [b.name, str(model_path), str(threads)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            result.update(ok=False, how=f"timed out after {timeout_s:.0f} s")
            results.append(result)
            continue
        if proc.returncode == 0:
            try:
                child = json.loads(proc.stdout.strip().splitlines()[-1])
            except (ValueError, IndexError):
                child = {}
            result.update(ok=True, how=f"ran one frame in {child.get('invoke_ms', '?')} ms")
        elif proc.returncode < 0:
            result.update(ok=False, how=f"crashed (signal {-proc.returncode})")
        else:
            last = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
            result.update(ok=False, how=last)
        results.append(result)
    _store_selftests(results)
    return results


def _store_selftests(results: list[dict]) -> None:
    path = _selftest_cache()
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = {}
    data[_cache_key()] = {
        r["backend"]: {"ok": r["ok"], "version": r["version"], "how": r["how"],
                       "model": r["model"]}
        for r in results
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs a re-test next time
