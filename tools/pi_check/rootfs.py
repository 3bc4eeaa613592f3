"""Build (or reuse) an arm64 Debian userland that stands in for 64-bit Raspberry Pi OS.

Raspberry Pi OS is Debian plus a few Pi packages, so Debian's arm64 debs give the same Python,
numpy, PyAV and pygame the Pi has. The root is never booted or chrooted: debootstrap's first
stage resolves and fetches the debs, `dpkg-deb -x` unpacks every one of them, and programs are
run with `qemu-aarch64-static` and QEMU_LD_PREFIX=<root> (qemu then looks up absolute paths in
the root first). That needs no binfmt_misc and no second stage under emulation.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

MIRROR = os.environ.get("PI_CHECK_MIRROR", "http://deb.debian.org/debian")

# What the Pi installer takes from apt (tools/install.sh), plus pip/venv for installing ours.
APT_PACKAGES = (
    "python3",
    "python3-venv",
    "python3-pip",
    "python3-setuptools",
    "python3-numpy",
    "python3-av",
    "python3-pygame",
    "python3-gpiozero",
    "ca-certificates",
)


@dataclass(frozen=True)
class Release:
    name: str
    python: str  # "3.11"
    glibc: tuple[int, int]  # for the manylinux tags pip may accept

    @property
    def cp(self) -> str:
        return "cp" + self.python.replace(".", "")


RELEASES = {
    "bookworm": Release("bookworm", "3.11", (2, 36)),
    "trixie": Release("trixie", "3.13", (2, 41)),
}

# /proc/cpuinfo of the board being stood in for. qemu-user 7.x hands the guest the *host's*
# x86 /proc/cpuinfo; ARM runtimes that parse it (cpuinfo, used by LiteRT >= 2.2) then crash.
# A Pi has its own, so the root gets a Pi's (qemu finds <root>/proc/cpuinfo first).
CPUINFO = {
    "pi4": ("cortex-a72", "0xd08", "0x0", "3", "BCM2835", "Raspberry Pi 4 Model B Rev 1.4"),
    "pi5": ("cortex-a76", "0xd0b", "0x4", "1", "", "Raspberry Pi 5 Model B Rev 1.0"),
}


def qemu_cpu(board: str) -> str:
    return CPUINFO[board][0] if board in CPUINFO else "max"


def cpuinfo_text(board: str) -> str:
    _cpu, part, variant, rev, hardware, model = CPUINFO[board]
    core = (
        "processor\t: {i}\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid"
        + (" atomics fphp asimdhp asimdrdm lrcpc dcpop asimddp" if board == "pi5" else "")
        + f"\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: {variant}\n"
        f"CPU part\t: {part}\nCPU revision\t: {rev}\n"
    )
    text = "\n".join(core.format(i=i) for i in range(4)) + "\n"
    if hardware:
        text += f"Hardware\t: {hardware}\n"
    return text + f"Revision\t: c03114\nSerial\t\t: 10000000abcdef01\nModel\t\t: {model}\n"


def log(msg: str) -> None:
    print(f"[pi-check] {msg}", file=sys.stderr, flush=True)


def ensure_host_tools() -> None:
    """qemu-aarch64-static and debootstrap from apt (Debian/Ubuntu hosts), when missing."""
    need = [p for p, exe in (("qemu-user-static", "qemu-aarch64-static"),
                             ("debootstrap", "debootstrap")) if not shutil.which(exe)
            and not Path("/usr/sbin", exe).exists()]
    pip = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True)
    if pip.returncode != 0:  # the host's pip fetches the aarch64 wheels
        need.append("python3-pip")
    if not need:
        return
    if os.geteuid() != 0:
        sys.exit(f"pi-check: needs {' '.join(need)}: sudo apt-get install {' '.join(need)}")
    log(f"installing {' '.join(need)} with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-q", *need], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def recipe_id(release: Release, packages: tuple[str, ...] = APT_PACKAGES) -> str:
    """Changes whenever the root would be built differently, so a stale cache is rebuilt."""
    text = f"v4 {release.name} {MIRROR} {' '.join(sorted(packages))}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _debootstrap() -> str:
    return shutil.which("debootstrap") or "/usr/sbin/debootstrap"


def build_root(release: Release, cache: Path, rebuild: bool = False) -> Path:
    """The unpacked root for this release, from the cache when its recipe is unchanged."""
    root = cache / release.name / "root"
    stamp = root / ".pi-check-ready"
    rid = recipe_id(release)
    if not rebuild and stamp.is_file() and stamp.read_text().strip() == rid:
        return root
    ensure_host_tools()
    debs = cache / "debs" / release.name
    debs.mkdir(parents=True, exist_ok=True)
    (cache / release.name).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="root-building-", dir=cache / release.name))
    log(f"{release.name}: debootstrap --foreign (debs cached in {debs})")
    cmd = [_debootstrap(), "--foreign", "--arch=arm64", "--variant=minbase",
           f"--cache-dir={debs}", f"--include={','.join(APT_PACKAGES)}",
           release.name, str(work), MIRROR]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        shutil.rmtree(work, ignore_errors=True)
        sys.exit(f"pi-check: debootstrap {release.name} failed:\n{tail}")
    archives = sorted((work / "var/cache/apt/archives").glob("*.deb"))
    log(f"{release.name}: unpacking {len(archives)} debs")
    alternatives: dict[str, tuple[int, str, str]] = {}
    for deb in archives:
        subprocess.run(["dpkg-deb", "-x", str(deb), str(work)], check=True)
        _collect_alternatives(deb, alternatives)
    _link_alternatives(work, alternatives)
    (work / "proc").mkdir(exist_ok=True)
    for deb in archives:  # the debs stay in the shared cache; the root need not keep them
        deb.unlink()
    if root.exists():
        shutil.rmtree(root)
    work.rename(root)
    stamp.write_text(rid + "\n")
    return root


_ALT = re.compile(r"update-alternatives\s+--install\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+)")


def _collect_alternatives(deb: Path, out: dict[str, tuple[int, str, str]]) -> None:
    """Remember each `update-alternatives --install` a postinst would run (highest wins)."""
    proc = subprocess.run(["dpkg-deb", "--ctrl-tarfile", str(deb)], capture_output=True)
    if proc.returncode != 0:
        return
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
        for member in tar.getmembers():
            if not member.name.endswith("postinst"):
                continue
            f = tar.extractfile(member)
            script = f.read().decode(errors="replace") if f else ""
            script = re.sub(r"\\\n\s*", " ", script)  # join continued lines
            script = script.replace("${DEB_HOST_MULTIARCH}", "aarch64-linux-gnu")
            script = script.replace("$DEB_HOST_MULTIARCH", "aarch64-linux-gnu")
            for link, name, path, prio in _ALT.findall(script):
                if "$" in link + path:
                    continue
                if name not in out or int(prio) > out[name][0]:
                    out[name] = (int(prio), link, path)


def _link_alternatives(root: Path, alts: dict[str, tuple[int, str, str]]) -> None:
    """Point each alternative's link straight at its target (libblas.so.3 and the like)."""
    for _prio, link, path in alts.values():
        target = root / path.lstrip("/")
        dest = root / link.lstrip("/")
        if not target.exists() or dest.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.symlink_to(os.path.relpath(target, dest.parent))


def present_board(root: Path, board: str) -> None:
    """Give the emulated programs this board's /proc/cpuinfo ("host" removes it)."""
    path = root / "proc" / "cpuinfo"
    if board == "host":
        path.unlink(missing_ok=True)
    else:
        path.write_text(cpuinfo_text(board))


def python_wrapper(root: Path, release: Release, board: str) -> Path:
    """A host shell script that runs the root's python under qemu.

    Python takes sys.executable from argv[0], which qemu's -0 sets to the script itself, so
    child processes (the model self-test, pip's build steps) and console-script shebangs run
    through the same wrapper, with no binfmt_misc. Invoked through a venv's symlink, argv[0]
    is the venv's path and Python finds the venv's pyvenv.cfg as on a real Pi.
    """
    wrapper = root / "usr" / "bin" / "pi-check-python3"
    qemu = shutil.which("qemu-aarch64-static") or "/usr/bin/qemu-aarch64-static"
    text = (
        "#!/bin/sh\n"
        f"# pi-check: run {release.name}'s python{release.python} under qemu ({board})\n"
        f'QEMU_LD_PREFIX="{root}" QEMU_CPU="{qemu_cpu(board)}" '
        f'exec "{qemu}" -0 "$0" "{root}/usr/bin/python{release.python}" "$@"\n'
    )
    if not wrapper.is_file() or wrapper.read_text() != text:
        wrapper.write_text(text)
        wrapper.chmod(0o755)
    return wrapper


def apt_versions(python: Path) -> dict[str, str]:
    """Versions of the Python distributions apt put in the root (they pin pip's choices)."""
    code = (
        "import importlib.metadata as m, json\n"
        "out = {}\n"
        "for d in ('numpy', 'pygame', 'gpiozero', 'av', 'pip', 'setuptools'):\n"
        "    try: out[d] = m.version(d)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True,
                          timeout=120)
    if proc.returncode != 0:
        sys.exit(f"pi-check: the emulated python does not run:\n{proc.stderr[-2000:]}")
    import json

    return json.loads(proc.stdout.strip().splitlines()[-1])
