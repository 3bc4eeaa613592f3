"""Child process of the backend self-test: load the model on one backend, run one frame.

Run as `python -m mirror.pose.selftest_child BACKEND MODEL THREADS`. A crash here (segfault)
shows up in the parent as a negative exit code instead of killing the app.
"""

from __future__ import annotations

import json
import sys

import numpy as np

from mirror.errors import UserError
from mirror.pose.backend import TfliteModel, installed_backends


def main(argv: list[str]) -> int:
    name, model_path, threads = argv[0], argv[1], int(argv[2])
    infos = [b for b in installed_backends() if b.name == name]
    if not infos:
        print(f"{name} is not installed", file=sys.stderr)
        return 1
    try:
        model = TfliteModel(model_path, infos[0], threads)
        shape = model.input_shape
        out = model.run(np.full(shape, 127, dtype=model.input_dtype))
    except UserError as e:
        print(str(e), file=sys.stderr)
        return 1
    if out.shape != (1, 1, 17, 3) or not np.all(np.isfinite(out)):
        print(f"unexpected output {out.shape}", file=sys.stderr)
        return 1
    print(json.dumps({"ok": True, "invoke_ms": round(model.last_invoke_s * 1000, 2)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
