#!/usr/bin/env bash
# Install Hinge Mirror on Raspberry Pi OS (64-bit Bookworm or Trixie) as a kiosk service.
#
#   tools/install.sh [--model PATH] [--user NAME] [--venv DIR] [--backend auto|litert|tflite]
#                    [--no-apt] [--no-systemd] [--dry-run]
#
# Run it from a clone of the repository, as the user who will run the mirror (it uses sudo for
# apt and systemd), or as root with --user. Safe to rerun: every step checks or replaces what
# is there. What it does:
#   1. apt: python3-numpy, python3-av, python3-pygame, python3-picamera2, espeak-ng, ...
#      (Pi OS builds of these match the Pi's camera stack and display; pip does not rebuild them)
#   2. a venv with --system-site-packages, and `pip install .[litert]` into it
#   3. the model: copied from --model PATH, or `hinge-mirror model fetch`
#   4. `hinge-mirror model selftest`: one frame on each installed backend in a child process.
#      If no backend passes, it falls back: the tflite extra (only where tflite-runtime has a
#      wheel: Python <= 3.11), then ai-edge-litert ${KNOWN_GOOD_LITERT}; each is self-tested.
#   5. the systemd unit hinge-mirror.service (`hinge-mirror run`, restarted always).
# docs/raspberry-pi.md explains what was verified in emulation and what only a real Pi shows.
set -euo pipefail

KNOWN_GOOD_LITERT="2.1.6"   # ran MoveNet int8 under the emulated Pi OS check (tools/pi-check)
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
MODEL=""
RUN_USER="${SUDO_USER:-$(id -un)}"
VENV=""
BACKEND="auto"
DO_APT=1
DO_SYSTEMD=1
DRY_RUN=0

APT_PACKAGES=(python3-venv python3-pip python3-numpy python3-av python3-pygame
              python3-gpiozero python3-picamera2 espeak-ng alsa-utils)

die() { echo "install.sh: error: $*" >&2; exit 2; }
say() { echo "==> $*"; }
usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --model) MODEL="${2:?--model needs a path}"; shift 2 ;;
        --user) RUN_USER="${2:?--user needs a name}"; shift 2 ;;
        --venv) VENV="${2:?--venv needs a directory}"; shift 2 ;;
        --backend) BACKEND="${2:?--backend needs auto, litert or tflite}"; shift 2 ;;
        --no-apt) DO_APT=0; shift ;;
        --no-systemd) DO_SYSTEMD=0; shift ;;
        --dry-run) DRY_RUN=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
done
case "$BACKEND" in auto|litert|tflite) ;; *) die "--backend $BACKEND: expected auto, litert or tflite" ;; esac
[[ -z "$MODEL" || -f "$MODEL" ]] || die "--model $MODEL: file not found"
[[ -f "$REPO/pyproject.toml" ]] || die "$REPO: not a hinge-mirror checkout (no pyproject.toml)"
id "$RUN_USER" >/dev/null 2>&1 || die "--user $RUN_USER: no such user"
if [[ "$RUN_USER" == "$(id -un)" ]]; then
    RUN_HOME="$HOME"
else
    RUN_HOME="$(getent passwd "$RUN_USER" | cut -d: -f6)"
fi
VENV="${VENV:-$RUN_HOME/.local/share/hinge-mirror/venv}"
if [[ $DO_SYSTEMD -eq 1 && "$RUN_USER" == root ]]; then
    die "the mirror must not run as root: run this as the mirror's user, or pass --user NAME"
fi
[[ -z "$MODEL" ]] || MODEL="$(cd "$(dirname "$MODEL")" && pwd)/$(basename "$MODEL")"

# run CMD...: as is, or only printed with --dry-run.
run() {
    if [[ $DRY_RUN -eq 1 ]]; then printf '[dry-run]'; printf ' %q' "$@"; echo; return 0; fi
    "$@"
}
# as_user CMD...: as the mirror's user (pip, the model cache and the self-test cache are theirs).
as_user() {
    if [[ "$(id -un)" == "$RUN_USER" ]]; then run "$@"
    else run sudo -u "$RUN_USER" -H "$@"; fi
}
# as_root CMD...: apt and systemd.
as_root() {
    if [[ $(id -u) -eq 0 ]]; then run "$@"
    else run sudo "$@"; fi
}

# --- 1. apt ---------------------------------------------------------------------------------
if [[ $DO_APT -eq 1 ]]; then
    say "apt: ${APT_PACKAGES[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${APT_PACKAGES[@]}"
    # The kiosk user needs the camera, display, input, GPIO and sound devices.
    for group in video render input gpio audio; do
        if getent group "$group" >/dev/null && ! id -nG "$RUN_USER" | grep -qw "$group"; then
            as_root usermod -aG "$group" "$RUN_USER"
        fi
    done
fi

# --- 2. venv and the package ------------------------------------------------------------------
VPY="$VENV/bin/python"
PIP=("$VPY" -m pip --disable-pip-version-check)
if [[ ! -x "$VPY" ]] || ! "$VPY" -c 'import sys' >/dev/null 2>&1; then
    say "venv (with the system's numpy, PyAV, pygame, picamera2): $VENV"
    as_user mkdir -p "$(dirname "$VENV")"
    as_user "$PYTHON" -m venv --system-site-packages "$VENV"
else
    say "venv exists: $VENV"
fi

# install_extra EXTRA [PIN]: the project with one backend extra (the other backend removed).
install_extra() {
    local extra="$1" pin="${2:-}" other
    if [[ "$extra" == litert ]]; then other=tflite-runtime; else other=ai-edge-litert; fi
    say "pip install '.[$extra]'${pin:+ $pin}"
    if [[ $DRY_RUN -eq 0 ]] && "$VPY" -m pip show -q "$other" >/dev/null 2>&1; then
        as_user "${PIP[@]}" uninstall -y -q "$other"
    fi
    # shellcheck disable=SC2086  # $pin is one word or none
    as_user "${PIP[@]}" install -q --upgrade "${REPO}[$extra]" $pin
}

# --- 3. the model -----------------------------------------------------------------------------
HM="$VENV/bin/hinge-mirror"
install_model() {
    if [[ -n "$MODEL" ]]; then
        local cache="$RUN_HOME/.cache/hinge-mirror/models"
        say "model: copying $MODEL to $cache/"
        as_user mkdir -p "$cache"
        as_user install -m 644 "$MODEL" "$cache/movenet_singlepose_lightning_int8_4.tflite"
    elif [[ $DRY_RUN -eq 1 ]] || ! "$HM" model path >/dev/null 2>&1; then
        say "model: hinge-mirror model fetch"
        as_user "$HM" model fetch
    else
        say "model: already in $("$HM" model path)"
    fi
}

# selftest: 0 when some backend ran one frame; prints each result and sets $chosen.
selftest() {
    say "self-test: one frame of MoveNet on each installed backend"
    if [[ $DRY_RUN -eq 1 ]]; then run "$HM" model selftest --json; return 0; fi
    local out
    out="$(as_user "$HM" model selftest --json)" || true
    chosen="$("$VPY" -c '
import json, sys
try:
    results = json.loads(sys.argv[1].strip().splitlines()[-1])
except (ValueError, IndexError):
    results = []
for r in results:
    mark = "ok  " if r.get("ok") else "FAIL"
    print("    %s %s %s: %s" % (mark, r.get("distribution"), r.get("version"), r.get("how")),
          file=sys.stderr)
ok = [r for r in results if r.get("ok")]
print("%s %s" % (ok[0]["distribution"], ok[0]["version"]) if ok else "")
' "$out")"
    [[ -n "$chosen" ]]
}

# --- 2+4. choose a backend that passes its self-test --------------------------------------------
# tflite-runtime's last wheels (2.14) stop at Python 3.11 (Bookworm); Trixie has 3.13.
if "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    NO_TFLITE_WHEEL=1
else
    NO_TFLITE_WHEEL=0
fi
attempts=()
case "$BACKEND" in
    auto) attempts=("litert" "tflite" "litert ai-edge-litert==$KNOWN_GOOD_LITERT") ;;
    litert) attempts=("litert" "litert ai-edge-litert==$KNOWN_GOOD_LITERT") ;;
    tflite) attempts=("tflite") ;;
esac
chosen=""
model_done=0
for attempt in "${attempts[@]}"; do
    read -r extra pin <<<"$attempt"
    if [[ "$extra" == tflite && $NO_TFLITE_WHEEL -eq 1 ]]; then
        say "skipping tflite-runtime: it has no wheel for this Python (> 3.11)"
        continue
    fi
    if ! install_extra "$extra" "$pin"; then
        say "pip could not install '.[$extra]'${pin:+ $pin}; trying the next backend"
        continue
    fi
    if [[ $model_done -eq 0 ]]; then install_model; model_done=1; fi
    if selftest; then
        break
    fi
    say "no backend passed with '.[$extra]'${pin:+ $pin}; trying the next one"
done
if [[ $DRY_RUN -eq 1 ]]; then
    chosen="(dry run: decided by the self-test)"
fi
[[ -n "$chosen" ]] || die "no inference backend passed the self-test on this machine; see docs/raspberry-pi.md"
say "backend chosen: $chosen"

# --- 5. the systemd unit ------------------------------------------------------------------------
if [[ $DO_SYSTEMD -eq 1 ]]; then
    if [[ $DRY_RUN -eq 0 ]] && ! command -v systemctl >/dev/null; then
        say "no systemd here: start it with $HM run"
    else
        unit=/etc/systemd/system/hinge-mirror.service
        say "systemd: $unit (User=$RUN_USER)"
        tmp="$(mktemp)"
        sed -e "s|@USER@|$RUN_USER|g" -e "s|@VENV@|$VENV|g" -e "s|@HOME@|$RUN_HOME|g" \
            "$REPO/systemd/hinge-mirror.service" >"$tmp"
        [[ $DRY_RUN -eq 0 ]] || sed 's/^/    | /' "$tmp"
        as_root install -m 644 "$tmp" "$unit"
        rm -f "$tmp"
        as_root systemctl daemon-reload
        as_root systemctl enable hinge-mirror.service
        as_root systemctl restart hinge-mirror.service
    fi
fi
say "done: $HM (backend: $chosen)"
