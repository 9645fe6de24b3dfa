"""Wall time and peak memory of a fresh process that loads the seed model and predicts one MNIST row:
Swift `keras predict` (release build) vs Python Keras 3 (JAX backend). Median of RUNS runs each.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/bench_predict_one.py [--runs 5] [--keras .build/release/keras]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--keras", default=".build/release/keras")
parser.add_argument("--model", default="Fixtures/seed/seed_mnist.keras")
args = parser.parse_args()

PYTHON_PREDICT = """
import os, sys
os.environ.setdefault("KERAS_BACKEND", "jax")
sys.path.insert(0, "tools")
import keras, numpy as np
from antirectifier import Antirectifier
model = keras.models.load_model(sys.argv[1], custom_objects={"Antirectifier": Antirectifier})
np.save(sys.argv[3], model.predict(np.load(sys.argv[2]), verbose=0))
"""


def measure(cmd):
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{cmd[0]} failed with status {status}")
    return wall, usage.ru_maxrss / 1024  # MiB (ru_maxrss is in KiB on Linux)


with tempfile.TemporaryDirectory() as folder:
    with np.load("Fixtures/seed/mnist_test_500.npz") as f:
        row = f["x_test"][:1].reshape(1, 784).astype("float32") / 255
    np.save(os.path.join(folder, "row.npy"), row)
    out = os.path.join(folder, "out.npy")
    commands = {
        "swift keras predict": [args.keras, "predict", args.model, "--input", os.path.join(folder, "row.npy"), "--output", out],
        "python keras (jax)": [sys.executable, "-c", PYTHON_PREDICT, args.model, os.path.join(folder, "row.npy"), out],
    }
    results = {}
    for name, cmd in commands.items():
        runs = [measure(cmd) for _ in range(args.runs)]
        results[name] = (statistics.median(w for w, _ in runs), max(m for _, m in runs))
        print(f"{name:22s} wall {results[name][0]:.3f} s (median of {args.runs})   peak RSS {results[name][1]:.0f} MiB", flush=True)
    (sw, sm), (pw, pm) = results["swift keras predict"], results["python keras (jax)"]
    print(f"ratio: Swift takes {sw / pw:.3f}x Python's wall time ({pw / sw:.0f}x faster) and {sm / pm:.3f}x its peak memory")
