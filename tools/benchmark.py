"""The benchmark suite: Swift (release builds) and Python Keras 3 (JAX backend) side by side, in one run, on this
machine, for the seed recipe. Prints each measurement, the ratio Swift / Keras and the target it is held to.

  1. one steady-state training epoch (batch 128, validation_split 0.15, validation included): median of epochs 2..N;
     the Swift run also prints where each epoch's time went (KERAS_PROFILE=1: forward, backward, optimizer,
     validation and the rest, each with its GEMM time);
  2. predicting the 10,000 MNIST test rows: a fresh `keras predict` process (load included) vs Keras's warm
     in-process `model.predict` (batch 128 both; median of RUNS each);
  3. a fresh process loading the seed model and predicting one row: wall time and peak memory (median of RUNS);
  4. peak memory (max RSS) of the training process;
  5. the GEMM floor: the epoch's FLOPs divided by the best sgemm throughput on the training step's shapes among
     the GEMM libraries installed here (tools/gemm_floor.c: OpenBLAS as installed and with forced kernels, BLIS,
     oneDNN), and which GEMM library and kernel the Swift engine ran;
  6. keras.io's mnist_convnet: one steady-state training epoch on both sides;
  7. the training epoch of 1 again while the machine is busy: one CPU-bound process per core runs beside it (as
     when a build or another service shares the machine);
  9. fine-tuning the bundled seed model (trained by Keras: `keras fit` on it, Keras `load_model` + `fit`), one
     steady-state epoch on both sides with the recipe's settings: the headline workload; a trained model's gradients
     underflow to subnormal floats, which Keras's backends flush to zero (and so does the engine, in `fit`);
  8. (only with --lstm-epochs N, N ≥ 2) the MNIST LSTM example (LSTM(128), 28 steps of 28 features): one
     steady-state training epoch (median of epochs 2..N) on both sides.

    swift build -c release --product keras --product antirectifier --product mnist-convnet [--product mnist-lstm]
    KERAS_BACKEND=jax .venv-tools/bin/python tools/benchmark.py [--epochs 4] [--runs 5] [--mnist ../shared/datasets/mnist.npz] [--lstm-epochs 2]
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=4)
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--mnist", default="../shared/datasets/mnist.npz")
parser.add_argument("--keras", default=".build/release/keras")
parser.add_argument("--example", default=".build/release/antirectifier")
parser.add_argument("--model", default="Fixtures/seed/seed_mnist.keras")
parser.add_argument("--convnet", default=".build/release/mnist-convnet")
parser.add_argument("--convnet-epochs", type=int, default=2)
parser.add_argument("--busy-epochs", type=int, default=2)
parser.add_argument("--lstm", default=".build/release/mnist-lstm")
parser.add_argument("--lstm-epochs", type=int, default=0, help="measure the MNIST LSTM example with this many epochs (0: skip)")
parser.add_argument("--only-lstm", action="store_true", help="run measurement 8 alone")
args = parser.parse_args()

PYTHON_PRELUDE = """
import os, sys, json, time
os.environ.setdefault("KERAS_BACKEND", "jax")
sys.path.insert(0, "tools")
import keras, numpy as np
from keras import layers
from antirectifier import Antirectifier
"""

EPOCH_TIMER = """
class EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None): self.start = time.perf_counter()
    def on_epoch_end(self, epoch, logs=None): self.times.append(time.perf_counter() - self.start)
"""

PYTHON_TRAIN = PYTHON_PRELUDE + EPOCH_TIMER + """
with np.load(sys.argv[1]) as f:
    x, y = f["x_train"].reshape(-1, 784).astype("float32") / 255, f["y_train"]
model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(256), Antirectifier(), layers.Dense(256),
                          Antirectifier(), layers.Dropout(0.5), layers.Dense(10)])
model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer=keras.optimizers.RMSprop(),
              metrics=[keras.metrics.SparseCategoricalAccuracy()])
timer = EpochTimer(); timer.times = []
model.fit(x, y, batch_size=128, epochs=int(sys.argv[2]), validation_split=0.15, verbose=0, callbacks=[timer])
print(json.dumps(timer.times))
"""

PYTHON_FINETUNE = PYTHON_PRELUDE + EPOCH_TIMER + """
with np.load(sys.argv[2]) as f:
    x, y = f["x_train"].reshape(-1, 784).astype("float32") / 255, f["y_train"]
model = keras.models.load_model(sys.argv[1], custom_objects={"Antirectifier": Antirectifier})
timer = EpochTimer(); timer.times = []
model.fit(x, y, batch_size=128, epochs=int(sys.argv[3]), validation_split=0.15, verbose=0, callbacks=[timer])
print(json.dumps(timer.times))
"""

PYTHON_PREDICT_WARM = PYTHON_PRELUDE + """
model = keras.models.load_model(sys.argv[1], custom_objects={"Antirectifier": Antirectifier})
x = np.load(sys.argv[2])
model.predict(x, batch_size=128, verbose=0)
times = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    model.predict(x, batch_size=128, verbose=0)
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""

PYTHON_PREDICT_FRESH = PYTHON_PRELUDE + """
model = keras.models.load_model(sys.argv[1], custom_objects={"Antirectifier": Antirectifier})
np.save(sys.argv[3], model.predict(np.load(sys.argv[2]), verbose=0))
"""


# Linux keeps a process's peak RSS across fork and exec, so a child forked from this (large) Python process would
# report at least this process's size: each command is started by a minimal Python (no site, no numpy) instead,
# which reports the command's own peak.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
open(sys.argv[1], "w").write(f"{time.perf_counter() - start} {usage.ru_maxrss} {status}")
"""


def measure(cmd):
    """Wall seconds, peak RSS in MiB and stdout of a fresh process."""
    with tempfile.NamedTemporaryFile("r") as report:
        out = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, report.name, *cmd], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True).stdout
        wall, maxrss, status = open(report.name).read().split()
        wall, maxrss, status = float(wall), int(maxrss), int(status)
    if status != 0:
        sys.exit(f"{cmd[0]} failed with status {status}")
    return wall, maxrss / 1024, out


def busy_machine():
    """One CPU-bound process per core; the caller terminates them."""
    return [subprocess.Popen([sys.executable, "-S", "-c", "while True: pass"]) for _ in range(os.cpu_count() or 1)]


def training_epochs(folder, epochs):
    """Seconds of each training epoch of the seed recipe, Swift and Keras, and the Swift run's output."""
    # KERAS_PROFILE=1: the Swift run also prints where each epoch's time goes (on standard error, merged here).
    os.environ["KERAS_PROFILE"] = "1"
    _, swift_rss, out_swift = measure(["sh", "-c", 'exec "$0" "$@" 2>&1', args.example, "--epochs", str(epochs), "--seed", "1",
                                       "--data", args.mnist, "--output", os.path.join(folder, "m.keras")])
    del os.environ["KERAS_PROFILE"]
    swift_times = [float(t) for t in re.findall(r"epoch_seconds: ([0-9.]+)", out_swift)]
    _, keras_rss, out = measure([sys.executable, "-c", PYTHON_TRAIN, args.mnist, str(epochs)])
    return swift_times, json.loads(out.strip().splitlines()[-1]), swift_rss, keras_rss, out_swift


def example_epochs(folder, swift_binary, python_script, epochs):
    """Seconds of each training epoch of a Swift example and of its Keras script (both print their epoch times)."""
    _, _, out = measure([swift_binary, "--epochs", str(epochs), "--seed", "1", "--data", args.mnist,
                         "--output", os.path.join(folder, "example.keras")])
    swift_times = [float(t) for t in re.findall(r"epoch_seconds: ([0-9.]+)", out)]
    _, _, out = measure([sys.executable, python_script, "--epochs", str(epochs), "--mnist", args.mnist])
    return swift_times, json.loads(out.strip().splitlines()[-1])["epoch_seconds"]


def steady(times):
    return statistics.median(times[1:]) if len(times) > 1 else times[0]


rows = []


def report(what, swift, keras, unit, target_ratio=None, target_text="", other="keras"):
    ratio = swift / keras
    verdict = "" if target_ratio is None else ("  meets target" if ratio <= target_ratio else "  misses target")
    rows.append((what, swift, keras, ratio))
    print(f"{what:58s} swift {swift:9.3f} {unit:4s} {other:5s} {keras:9.3f} {unit:4s} ratio {ratio:6.3f}  {target_text}{verdict}", flush=True)


def cpu_model():
    try:
        return next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.platform()


print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {cpu_model()}")
if args.lstm_epochs:   # 8: the MNIST LSTM example, first so that --only-lstm can stop after it
    with tempfile.TemporaryDirectory() as folder:
        swift_lstm, keras_lstm = example_epochs(folder, args.lstm, "tools/run_mnist_lstm.py", args.lstm_epochs)
    print(f"   mnist LSTM epochs: swift {swift_lstm} s, keras {keras_lstm} s")
    report("8. mnist LSTM training epoch (steady state: epochs 2..N)", steady(swift_lstm), steady(keras_lstm), "s")
    if args.only_lstm:
        sys.exit(0)
with tempfile.TemporaryDirectory() as folder:
    # 1 and 4: training
    swift_times, keras_times, swift_rss, keras_rss, out_swift_train = training_epochs(folder, args.epochs)
    swift_kernel = re.search(r"gemm_kernel: (.*)", out_swift_train).group(1)
    report("1. training epoch (steady state, validation included)", steady(swift_times), steady(keras_times), "s", 0.60, "target ≤ 0.60")
    for line in re.findall(r"profile epoch .*", out_swift_train):
        print("   swift " + line)

    # 5: the GEMM floor of that epoch, and the kernel the engine ran
    floor_binary = os.path.join(folder, "gemm_floor")
    subprocess.run(["cc", "-O2", "-o", floor_binary, "tools/gemm_floor.c", "-ISources/CMatMul/include",
                    "Sources/CMatMul/matmul.c", "Sources/CMatMul/context.c", "-ldnnl", "-lgomp", "-ldl", "-lpthread"], check=True)
    floor_env = dict(os.environ, BLIS_NUM_THREADS=str(os.cpu_count()))
    floor_out = subprocess.run([floor_binary], stdout=subprocess.PIPE, text=True, env=floor_env, check=True).stdout
    step_flops = float(re.search(r"step_flops (\S+)", floor_out).group(1))
    libraries = [(name, float(rate), kernel) for name, rate, _, kernel in re.findall(r"gemm (\S+) ([0-9.]+) (\S+) (\S+)", floor_out)]
    for name, rate, kernel in libraries:
        print(f"   GEMM on the step's shapes: {name:22s} {rate:7.1f} GFLOP/s  kernel {kernel}")
    best_name, best_rate, _ = max(libraries, key=lambda lib: lib[1])
    # Training: 51,000 rows forward and backward (step_flops per 128 rows); validation: 9,000 rows forward.
    forward_per_row = 2 * (784 * 256 + 512 * 256 + 256 * 256 + 512 * 256 + 256 * 10)
    epoch_flops = 51000 * step_flops / 128 + 9000 * forward_per_row
    floor = epoch_flops / (best_rate * 1e9)
    print(f"5. GEMM floor: {epoch_flops / 1e9:.1f} GFLOP per epoch / {best_rate:.1f} GFLOP/s ({best_name}) = {floor:.3f} s;"
          f" the Swift engine ran {swift_kernel}")
    report("5. training epoch vs the GEMM floor", steady(swift_times), floor, "s", 1.3, "target ≤ 1.30", other="floor")

    # 2: predicting the 10k test rows
    with np.load(args.mnist) as f:
        x_test = f["x_test"].reshape(-1, 784).astype("float32") / 255
    test_path = os.path.join(folder, "x_test.npy")
    np.save(test_path, x_test)
    swift_walls = [measure([args.keras, "predict", args.model, "--input", test_path, "--output", os.path.join(folder, "y.npy"),
                            "--batch-size", "128"])[0] for _ in range(args.runs)]
    _, _, out = measure([sys.executable, "-c", PYTHON_PREDICT_WARM, args.model, test_path, str(args.runs)])
    keras_walls = json.loads(out.strip().splitlines()[-1])
    print(f"   predict 10k rows: swift {[round(t, 3) for t in swift_walls]} s, keras {[round(t, 3) for t in keras_walls]} s (medians compared)")
    report("2. predict 10k rows: fresh Swift process vs warm Keras", statistics.median(swift_walls), statistics.median(keras_walls),
           "s", 1.0, "target ≤ 1")

    # 3: fresh process, one row
    row_path = os.path.join(folder, "row.npy")
    np.save(row_path, x_test[:1])
    swift_runs = [measure([args.keras, "predict", args.model, "--input", row_path, "--output", os.path.join(folder, "o.npy")]) for _ in range(args.runs)]
    keras_runs = [measure([sys.executable, "-c", PYTHON_PREDICT_FRESH, args.model, row_path, os.path.join(folder, "o.npy")]) for _ in range(args.runs)]
    report("3. fresh process: load + predict one row, wall", statistics.median(r[0] for r in swift_runs),
           statistics.median(r[0] for r in keras_runs), "s", 1 / 50, "target ≤ 0.02")
    report("3. fresh process: load + predict one row, peak memory", max(r[1] for r in swift_runs), max(r[1] for r in keras_runs), "MiB")
    report("4. training process peak memory", swift_rss, keras_rss, "MiB", 0.5, "target ≤ 0.50")

    # 6: keras.io's mnist_convnet, one steady-state epoch on each side
    swift_convnet, keras_convnet = example_epochs(folder, args.convnet, "tools/run_mnist_convnet.py", args.convnet_epochs)
    report("6. mnist_convnet training epoch (steady state)", steady(swift_convnet), steady(keras_convnet), "s", 0.60, "target ≤ 0.60")

    # 9: fine-tuning the bundled seed model (the headline workload)
    os.environ["KERAS_PROFILE"] = "1"
    _, _, out = measure(["sh", "-c", 'exec "$0" "$@" 2>&1', args.keras, "fit", args.model, "--dataset", "mnist",
                         "--data", args.mnist, "--epochs", str(args.epochs), "--batch-size", "128",
                         "--validation-split", "0.15", "--output", os.path.join(folder, "tuned.keras")])
    del os.environ["KERAS_PROFILE"]
    swift_tune = [float(t) for t in re.findall(r"profile epoch \d+: ([0-9.]+) s", out)]
    _, _, out = measure([sys.executable, "-c", PYTHON_FINETUNE, args.model, args.mnist, str(args.epochs)])
    keras_tune = json.loads(out.strip().splitlines()[-1])
    print(f"   fine-tuning epochs: swift {swift_tune} s, keras {[round(t, 3) for t in keras_tune]} s")
    report("9. fine-tuning the seed model: training epoch (steady state)", steady(swift_tune), steady(keras_tune), "s", 0.60, "target ≤ 0.60")

    # 7: the training epoch on a busy machine
    busy = busy_machine()
    try:
        swift_busy, keras_busy, _, _, _ = training_epochs(folder, args.busy_epochs)
    finally:
        for process in busy:
            process.kill()
    report(f"7. training epoch, {len(busy)} busy processes beside it", steady(swift_busy), steady(keras_busy), "s")
