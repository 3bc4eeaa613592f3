"""One frame of MoveNet on one TFLite runtime, with stage markers (runs on the emulated Pi).

Independent of the `mirror` package on purpose: it tells whether the runtime itself works, so a
failure here is the runtime's, not ours. Each stage is printed to stderr *before* it runs, so
when the process dies on a signal the parent knows where ("segfault in allocate_tensors").
Usage: python probe_infer.py litert|tflite MODEL [THREADS]
"""

import json
import sys
import time

MODULES = {"litert": "ai_edge_litert.interpreter", "tflite": "tflite_runtime.interpreter"}


def stage(name: str) -> None:
    print(f"STAGE {name}", file=sys.stderr, flush=True)


def main() -> int:
    backend, model = sys.argv[1], sys.argv[2]
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    stage("import numpy")
    import numpy as np

    stage("import runtime")
    import importlib

    module = importlib.import_module(MODULES[backend])
    stage("load model")
    interp = module.Interpreter(model_path=model, num_threads=threads)
    stage("allocate_tensors")
    interp.allocate_tensors()
    inp = interp.get_input_details()[0]
    out = interp.get_output_details()[0]
    stage("set_tensor")
    shape = tuple(int(v) for v in inp["shape"])
    # A grey frame with a bright vertical bar: deterministic, not all zeros.
    frame = np.full(shape, 96, dtype=inp["dtype"])
    frame[..., shape[2] // 2 - 8 : shape[2] // 2 + 8, :] = 200
    interp.set_tensor(inp["index"], frame)
    stage("invoke")
    t0 = time.perf_counter()
    interp.invoke()
    invoke_ms = (time.perf_counter() - t0) * 1000
    stage("get_tensor")
    result = interp.get_tensor(out["index"])
    if result.shape != (1, 1, 17, 3) or not np.isfinite(result).all():
        print(f"bad output: shape {result.shape}", file=sys.stderr)
        return 1
    stage("done")
    print(json.dumps({"backend": backend, "numpy": np.__version__, "invoke_ms": round(invoke_ms),
                      "output_shape": list(result.shape)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
