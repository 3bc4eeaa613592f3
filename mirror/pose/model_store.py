"""Finding, downloading and verifying the MoveNet model file.

Lookup order: --model PATH, $HINGE_MIRROR_MODEL, the user cache (~/.cache/hinge-mirror/models/).
The model is never shipped with the project: `hinge-mirror model fetch` downloads it from the
official source and checks its sha256; a checksum mismatch is refused.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mirror.errors import ModelError
from mirror.fileio import why_unreadable

MODEL_FILENAME = "movenet_singlepose_lightning_int8_4.tflite"
MODEL_SHA256 = "cd7cc22fa946e5d146a7b98d496853e1923e22828d3972d579973f27f91bb105"
MODEL_SIZE = 2_894_840
MODEL_URLS: tuple[str, ...] = (
    "https://tfhub.dev/google/lite-model/movenet/singlepose/lightning/tflite/int8/4?lite-format=tflite",
    "https://storage.googleapis.com/tfhub-lite-models/google/lite-model/movenet/singlepose/lightning/tflite/int8/4.tflite",
)
ENV_VAR = "HINGE_MIRROR_MODEL"
MAX_DOWNLOAD = 64 * 1024 * 1024


@dataclass(frozen=True)
class ModelLocation:
    path: Path
    origin: str  # "--model", "$HINGE_MIRROR_MODEL" or "cache"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hinge-mirror" / "models"


def candidate_locations(explicit: str | os.PathLike | None = None) -> list[ModelLocation]:
    out = []
    if explicit:
        out.append(ModelLocation(Path(explicit).expanduser(), "--model"))
    env = os.environ.get(ENV_VAR)
    if env:
        out.append(ModelLocation(Path(env).expanduser(), f"${ENV_VAR}"))
    out.append(ModelLocation(cache_dir() / MODEL_FILENAME, "cache"))
    return out


def find_model(explicit: str | os.PathLike | None = None) -> ModelLocation:
    """The first configured location. An explicit or env path must exist: no silent fallback."""
    for loc in candidate_locations(explicit):
        if loc.origin != "cache" or loc.path.is_file():
            if why := why_unreadable(loc.path, "model file"):
                raise ModelError(f"{loc.path}: {why} (from {loc.origin})")
            return loc
    raise ModelError(
        f"no pose model: run 'hinge-mirror model fetch', or pass --model PATH, "
        f"or set ${ENV_VAR} (looked in {cache_dir()})"
    )


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify(path: Path) -> str:
    """Raise ModelError unless the file is the pinned MoveNet model; return its sha256."""
    if why := why_unreadable(path, "model file"):
        raise ModelError(f"{path}: {why}")
    digest = sha256_of(path)
    if digest != MODEL_SHA256:
        raise ModelError(
            f"{path}: sha256 {digest} does not match MoveNet Lightning int8 v4 ({MODEL_SHA256})"
        )
    return digest


def _extract_tflite(data: bytes) -> bytes:
    """A download is either the raw .tflite or a .tar.gz holding it."""
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar.getmembers():
                if member.isfile() and member.name.endswith(".tflite"):
                    f = tar.extractfile(member)
                    if f is not None:
                        return f.read()
    except tarfile.TarError as e:
        raise ModelError(f"download is a broken .tar.gz ({e})") from None
    raise ModelError("download is a .tar.gz with no .tflite inside")


ProgressFn = Callable[[int, int | None], None]


def _stderr_progress(done: int, total: int | None) -> None:
    if total:
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r  [{bar}] {done / 1e6:5.1f}/{total / 1e6:.1f} MB")
    else:
        sys.stderr.write(f"\r  {done / 1e6:5.1f} MB")
    sys.stderr.flush()


def _download(url: str, progress: ProgressFn | None, timeout: float) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "hinge-mirror"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        length = resp.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        chunks, done = [], 0
        while True:
            chunk = resp.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            done += len(chunk)
            if done > MAX_DOWNLOAD:
                raise ModelError(f"{url}: download larger than {MAX_DOWNLOAD >> 20} MB, refused")
            if progress:
                progress(done, total)
        if progress:
            sys.stderr.write("\n") if progress is _stderr_progress else None
        return b"".join(chunks)


def fetch(
    dest: Path | None = None,
    urls: Sequence[str] = MODEL_URLS,
    progress: ProgressFn | None = _stderr_progress,
    timeout: float = 30.0,
) -> Path:
    """Download, verify and atomically install the model. Tries each URL in turn."""
    dest = dest or cache_dir() / MODEL_FILENAME
    if dest.is_file() and sha256_of(dest) == MODEL_SHA256:
        return dest
    try:  # before downloading megabytes that could not be kept
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise _unwritable(dest, e) from None
    failures = []
    for url in urls:
        try:
            data = _extract_tflite(_download(url, progress, timeout))
        except (urllib.error.URLError, OSError, ModelError) as e:
            reason = getattr(e, "reason", None) or e
            failures.append(f"{url}: {reason}")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != MODEL_SHA256:
            failures.append(f"{url}: sha256 {digest} does not match the pinned {MODEL_SHA256}")
            continue
        try:
            fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".download-", suffix=".tflite")
        except OSError as e:
            raise _unwritable(dest, e) from None
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, dest)
        except OSError as e:
            Path(tmp).unlink(missing_ok=True)
            raise _unwritable(dest, e) from None
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return dest
    raise ModelError("model download failed: " + " | ".join(failures))


def _unwritable(dest: Path, e: OSError) -> ModelError:
    return ModelError(f"{dest.parent}: cannot save the model there ({e.strerror or e}); "
                      "expected a writable folder (see $XDG_CACHE_HOME or $HOME)")
