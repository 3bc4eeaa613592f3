"""tools/install.sh: its backend fallback, rerun safety and the kiosk unit it renders.

The installer runs here against a fake Python: `python3 -m venv` makes a venv whose `pip`
records what it was asked to install and whose `hinge-mirror model selftest --json` passes
only the backends named in $FAKE_PASS. So the real script's choices are tested (which
backends it tries, in which order, what it reports), without apt, a network or a Pi.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "tools" / "install.sh"
MODEL_NAME = "movenet_singlepose_lightning_int8_4.tflite"

FAKE_PYTHON = r"""#!/usr/bin/env bash
# Stand-in for the system python3: version from $FAKE_PY (e.g. 3.11), venv makes fakes.
if [[ "$1" == "-m" && "$2" == "venv" ]]; then
    venv="${@: -1}"
    mkdir -p "$venv/bin"
    cp "$FAKE_DIR/venv-python" "$venv/bin/python"
    cp "$FAKE_DIR/hinge-mirror" "$venv/bin/hinge-mirror"
    echo "venv $*" >>"$FAKE_LOG"
    exit 0
fi
if [[ "$1" == "-c" && "$2" == *version_info* ]]; then
    exec "$REAL_PY" -c "import sys; sys.version_info = tuple(map(int, '$FAKE_PY'.split('.'))); $2"
fi
exec "$REAL_PY" "$@"
"""

FAKE_VENV_PYTHON = r"""#!/usr/bin/env bash
# The venv's python: pip is faked (state in $FAKE_STATE), everything else is the real one.
if [[ "$1" == "-m" && "$2" == "pip" ]]; then
    shift 2
    args=()
    for a in "$@"; do [[ "$a" == --* || "$a" == -q || "$a" == -y ]] || args+=("$a"); done
    echo "pip ${args[*]}" >>"$FAKE_LOG"
    case "${args[0]}" in
        show) grep -qx "${args[1]}" "$FAKE_STATE" 2>/dev/null; exit ;;
        uninstall)
            grep -vx "${args[1]}" "$FAKE_STATE" >"$FAKE_STATE.new"
            mv "$FAKE_STATE.new" "$FAKE_STATE"
            exit 0 ;;
        install)
            for a in "${args[@]:1}"; do
                case "$a" in
                    *"[litert]") echo ai-edge-litert >>"$FAKE_STATE" ;;
                    *"[tflite]") echo tflite-runtime >>"$FAKE_STATE" ;;
                    ai-edge-litert==*) echo "pinned ${a#*==}" >>"$FAKE_STATE" ;;
                esac
            done
            exit 0 ;;
    esac
    exit 0
fi
exec "$REAL_PY" "$@"
"""

FAKE_HINGE_MIRROR = r"""#!/usr/bin/env bash
# hinge-mirror: `model selftest --json` passes only what $FAKE_PASS names.
echo "hinge-mirror $*" >>"$FAKE_LOG"
case "$1 $2" in
    "model path")
        [[ -f "$HOME/.cache/hinge-mirror/models/""" + MODEL_NAME + r"""" ]] && echo ok; exit ;;
    "model fetch") exit 0 ;;
    "model selftest")
        exec "$REAL_PY" - "$FAKE_STATE" "$FAKE_PASS" <<'EOF'
import sys
state = open(sys.argv[1]).read().split("\n") if sys.argv[1] else []
passing = sys.argv[2].split(",")
pinned = [s.split()[1] for s in state if s.startswith("pinned ")]
out = []
for dist in ("ai-edge-litert", "tflite-runtime"):
    if dist in state:
        version = pinned[-1] if dist == "ai-edge-litert" and pinned else "9.9"
        ok = f"{dist}=={version}" in passing or dist in passing
        out.append({"backend": dist, "distribution": dist, "version": version, "ok": ok,
                    "how": "ran one frame" if ok else "crashed (signal 11)"})
import json
print(json.dumps(out))
sys.exit(0 if any(r["ok"] for r in out) else 1)
EOF
        ;;
esac
exit 0
"""


@pytest.fixture
def fake(tmp_path: Path):
    d = tmp_path / "fake"
    d.mkdir()
    for name, text in (("python3", FAKE_PYTHON), ("venv-python", FAKE_VENV_PYTHON),
                       ("hinge-mirror", FAKE_HINGE_MIRROR)):
        (d / name).write_text(text)
        (d / name).chmod(0o755)
    model = tmp_path / "model.tflite"
    model.write_bytes(b"not really a model")
    home = tmp_path / "home"
    home.mkdir()

    def run(*args: str, py: str = "3.11", passing: str = "", check: bool = True):
        env = {
            "PATH": os.environ["PATH"], "HOME": str(home), "PYTHON": str(d / "python3"),
            "REAL_PY": sys.executable, "FAKE_DIR": str(d), "FAKE_PY": py,
            "FAKE_PASS": passing, "FAKE_LOG": str(tmp_path / "log"),
            "FAKE_STATE": str(tmp_path / "state"),
        }
        (tmp_path / "state").touch()
        proc = subprocess.run(
            ["bash", str(SCRIPT), "--no-apt", "--no-systemd", "--model", str(model),
             "--venv", str(tmp_path / "venv"), *args],
            env=env, capture_output=True, text=True, timeout=60)
        if check:
            assert proc.returncode == 0, proc.stdout + proc.stderr
        log_file = tmp_path / "log"
        log = log_file.read_text().splitlines() if log_file.is_file() else []
        return proc, log

    run.home = home
    run.tmp = tmp_path
    return run


def pip_installs(log: list[str]) -> list[str]:
    return [ln.split(" ", 2)[2] for ln in log if ln.startswith("pip install")]


def test_litert_that_passes_is_kept_and_reported(fake):
    proc, log = fake(passing="ai-edge-litert")
    assert pip_installs(log) == [f"{REPO}[litert]"]
    assert "backend chosen: ai-edge-litert 9.9" in proc.stdout
    assert (fake.home / ".cache/hinge-mirror/models" / MODEL_NAME).read_bytes() == \
        b"not really a model"


def test_failing_litert_falls_back_to_tflite_on_python_311(fake):
    proc, log = fake(passing="tflite-runtime", py="3.11")
    assert pip_installs(log) == [f"{REPO}[litert]", f"{REPO}[tflite]"]
    assert "pip uninstall ai-edge-litert" in log  # one backend at a time
    assert "backend chosen: tflite-runtime 9.9" in proc.stdout


def test_python_313_skips_tflite_and_pins_the_known_good_litert(fake):
    proc, log = fake(passing="ai-edge-litert==2.1.6", py="3.13")
    assert pip_installs(log) == [f"{REPO}[litert]", f"{REPO}[litert] ai-edge-litert==2.1.6"]
    assert "no wheel for this Python" in proc.stdout
    assert "backend chosen: ai-edge-litert 2.1.6" in proc.stdout


def test_no_backend_passing_is_a_clear_error(fake):
    proc, log = fake(passing="", check=False)
    assert proc.returncode == 2
    assert len(pip_installs(log)) == 3
    assert "no inference backend passed the self-test" in proc.stderr


def test_rerun_reuses_the_venv(fake):
    fake(passing="ai-edge-litert")
    proc, log = fake(passing="ai-edge-litert")
    assert sum(1 for ln in log if ln.startswith("venv ")) == 1
    assert "venv exists" in proc.stdout


def test_bad_options_are_refused_in_one_line(fake):
    proc, _ = fake("--backend", "onnx", check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "install.sh: error: --backend onnx: expected auto, litert or tflite"]


def test_dry_run_renders_a_non_root_kiosk_unit(tmp_path):
    user = "nobody"
    proc = subprocess.run(
        ["bash", str(SCRIPT), "--dry-run", "--no-apt", "--user", user, "--venv",
         str(tmp_path / "v")], capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    unit = [ln[6:] for ln in proc.stdout.splitlines() if ln.startswith("    | ")]
    assert f"User={user}" in unit
    assert f"ExecStart={tmp_path / 'v'}/bin/hinge-mirror run" in unit
    assert "Restart=always" in unit
    assert not any("@" in ln for ln in unit if not ln.startswith("#"))
    assert not (tmp_path / "v").exists()  # a dry run changes nothing


def test_kiosk_refuses_to_run_as_root(tmp_path):
    proc = subprocess.run(["bash", str(SCRIPT), "--dry-run", "--user", "root"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "must not run as root" in proc.stderr


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
def test_shellcheck_is_clean():
    for script in (SCRIPT, REPO / "tools" / "pi-check"):
        proc = subprocess.run(["shellcheck", str(script)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout

