"""aarch64 wheels for one release, fetched on the host with `pip download` and cached.

The emulated pip then installs offline from this wheelhouse (`--no-index --find-links`), so
it resolves against the root's apt packages exactly as pip on a Pi would, without paying for
downloads under emulation. Dependencies are resolved here with numpy pinned to the apt version,
so e.g. ml_dtypes comes in a version that accepts the Pi's numpy.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rootfs import Release, log


@dataclass(frozen=True)
class Candidate:
    """One backend build to try: `spec` is what pip installs next to the project."""

    backend: str  # litert | tflite
    spec: str  # e.g. "ai-edge-litert==2.2.0"

    @property
    def label(self) -> str:
        return self.spec.replace("ai-edge-litert", "litert").replace("tflite-runtime", "tflite")


CANDIDATES = (
    Candidate("litert", "ai-edge-litert==2.3.0"),
    Candidate("litert", "ai-edge-litert==2.2.0"),
    Candidate("litert", "ai-edge-litert==2.1.6"),
    Candidate("litert", "ai-edge-litert==2.0.3"),
    Candidate("tflite", "tflite-runtime==2.14.0"),
)
# Also fetched so `pip install .[litert]` can take whatever the project's extra allows.
LATEST = ("ai-edge-litert", "tflite-runtime")
# pip builds the project from the checkout (install.sh) in an isolated env: it needs these.
BUILD = ("setuptools>=64", "wheel")


def host_pip() -> list[str]:
    return [sys.executable, "-m", "pip"]


def platform_args(release: Release) -> list[str]:
    """Every manylinux tag the release's glibc accepts (pip does not widen them itself)."""
    major, minor = release.glibc
    args = ["--platform", "manylinux2014_aarch64"]
    for m in range(17, minor + 1):
        args += ["--platform", f"manylinux_{major}_{m}_aarch64"]
    return args + ["--python-version", release.python, "--implementation", "cp",
                   "--only-binary=:all:"]


def download(release: Release, specs: list[str], dest: Path, pins: dict[str, str]) -> str | None:
    """Fetch specs and their deps into dest; None, or pip's last error line."""
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        for name, version in pins.items():
            f.write(f"{name}=={version}\n")
        constraints = f.name
    cmd = [*host_pip(), "download", "-q", "--disable-pip-version-check", "-d", str(dest),
           *platform_args(release), "-c", constraints, *specs]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    Path(constraints).unlink(missing_ok=True)
    if proc.returncode == 0:
        return None
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("ERROR")]
    return (lines or proc.stderr.strip().splitlines() or ["pip download failed"])[-1]


def wheelhouse(release: Release, cache: Path, apt: dict[str, str],
               candidates: tuple[Candidate, ...]) -> tuple[Path, dict[str, str]]:
    """The release's wheelhouse and, per candidate label, why it has no wheel (if so)."""
    dest = cache / "wheels" / release.name
    # Only numpy is pinned: the others the project needs come from apt, not from here.
    pins = {"numpy": apt["numpy"]} if "numpy" in apt else {}
    missing: dict[str, str] = {}
    stamp = dest / ".fetched"
    done = set(stamp.read_text().split()) if stamp.is_file() else set()
    for c in candidates:
        if c.spec in done:
            continue
        log(f"{release.name}: pip download {c.spec} (aarch64, cp{release.python})")
        err = download(release, [c.spec], dest, pins)
        if err:
            missing[c.label] = err
        else:
            done.add(c.spec)
    for name in (*LATEST, *BUILD):
        if name not in done:
            download(release, [name], dest, pins)  # absence is reported by the rows above
            done.add(name)
    for extra in ("pygame",):  # the wheel alternative to apt's python3-pygame
        if extra not in done and download(release, [extra], dest, {}) is None:
            done.add(extra)
    stamp.write_text("\n".join(sorted(done)) + "\n")
    # A candidate fetched on an earlier run may still lack a wheel for this release.
    for c in candidates:
        if c.spec not in done and c.label not in missing:
            missing[c.label] = "no aarch64 wheel"
    return dest, missing


def project_wheel(repo: Path, cache: Path) -> Path:
    """Build the project's (pure Python) wheel on the host, as pip would on the Pi."""
    out = cache / "project"
    for old in out.glob("*.whl"):
        old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    cmd = [*host_pip(), "wheel", "-q", "--no-deps", "--disable-pip-version-check",
           "-w", str(out), str(repo)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    wheels = sorted(out.glob("hinge_mirror-*.whl"))
    if proc.returncode != 0 or not wheels:
        sys.exit(f"pi-check: building the project wheel failed:\n{proc.stderr[-2000:]}")
    return wheels[-1]
