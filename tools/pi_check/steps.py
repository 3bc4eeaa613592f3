"""Time-limited steps under emulation, each boiled down to works / fails / how."""

from __future__ import annotations

import os
import signal
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Outcome:
    ok: bool | None  # None: not run (not built yet, not applicable)
    how: str
    seconds: float = 0.0

    def cell(self) -> str:
        mark = {True: "works", False: "FAILS", None: "-"}[self.ok]
        return f"{mark}: {self.how}" if self.how else mark


def run(cmd: list[str], env: dict[str, str], timeout: float, cwd: Path | None = None
        ) -> tuple[int | None, str, str, float]:
    """(exit code or None on timeout, stdout, stderr, seconds); kills the whole group on hang."""
    import time

    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return None, out, err, time.monotonic() - t0
    return proc.returncode, out, err, time.monotonic() - t0


def signal_of(rc: int, err: str) -> int | None:
    """The signal that ended the emulated program, if one did (qemu reports it on stderr)."""
    if rc < 0:
        return -rc
    if rc > 128 and ("uncaught target signal" in err or rc - 128 in (4, 6, 7, 8, 11)):
        return rc - 128
    return None


SIGNAL_NAMES = {11: "segfault", 6: "abort", 4: "illegal instruction", 7: "bus error",
                8: "FPE"}


def last_stage(err: str) -> str:
    stages = [ln[6:] for ln in err.splitlines() if ln.startswith("STAGE ")]
    return stages[-1] if stages else ""


def describe_failure(rc: int | None, err: str, timeout: float) -> str:
    if rc is None:
        return f"hung (killed after {timeout:.0f} s)"
    sig = signal_of(rc, err)
    if sig:
        name = SIGNAL_NAMES.get(sig, f"signal {sig}")
        stage = last_stage(err)
        return f"{name} in {stage}" if stage else name
    lines = [ln.strip() for ln in err.splitlines() if ln.strip() and not ln.startswith("STAGE")
             and "XNNPACK delegate" not in ln]
    return (lines[-1] if lines else f"exit {rc}")[:160]


def not_built(err: str) -> bool:
    return "invalid choice" in err or "No module named mirror" in err


# --- ELF alignment: Raspberry Pi 5 runs a 16 KiB-page kernel -----------------------------------


def elf_load_align(path: Path) -> int | None:
    """Smallest p_align of the PT_LOAD segments of a 64-bit little-endian ELF file."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if head[:4] != b"\x7fELF" or head[4] != 2:
                return None
            phoff = struct.unpack_from("<Q", head, 32)[0]
            phentsize, phnum = struct.unpack_from("<HH", head, 54)
            f.seek(phoff)
            table = f.read(phentsize * phnum)
    except OSError:
        return None
    aligns = []
    for i in range(phnum):
        p_type = struct.unpack_from("<I", table, i * phentsize)[0]
        if p_type == 1:  # PT_LOAD
            aligns.append(struct.unpack_from("<Q", table, i * phentsize + 48)[0])
    return min(aligns) if aligns else None


def page_check(site_packages: Path) -> Outcome:
    """Every native library pip installed must load on a 16 KiB-page kernel (Pi 5)."""
    libs = [p for p in site_packages.rglob("*.so*") if p.is_file()]
    small = []
    for lib in libs:
        align = elf_load_align(lib)
        if align is not None and align < 16384:
            small.append(f"{lib.name} ({align // 1024} KiB)")
    if small:
        return Outcome(False, f"{len(small)} libs 4 KiB-aligned: {', '.join(small[:3])}")
    return Outcome(True, f"{len(libs)} native libs >= 16 KiB-aligned")
