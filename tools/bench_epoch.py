"""Seconds per training epoch of the seed recipe (batch 128, validation_split 0.15, validation included) in
Swift (release build of the Antirectifier example) and in Python Keras 3 (JAX backend), on the same machine.
Reports the median over epochs 2..EPOCHS (epoch 1 includes compilation/warm-up).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/bench_epoch.py [--epochs 4] [--mnist ../shared/datasets/mnist.npz]
(build first: swift build -c release --product antirectifier)
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from antirectifier import Antirectifier  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=4)
parser.add_argument("--mnist", default="../shared/datasets/mnist.npz")
parser.add_argument("--swift", default=".build/release/antirectifier")
args = parser.parse_args()


class EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self.start)


with np.load(args.mnist) as f:
    x_train, y_train = f["x_train"].reshape(-1, 784).astype("float32") / 255, f["y_train"]
model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(256), Antirectifier(), layers.Dense(256),
                          Antirectifier(), layers.Dropout(0.5), layers.Dense(10)])
model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer=keras.optimizers.RMSprop(),
              metrics=[keras.metrics.SparseCategoricalAccuracy()])
timer = EpochTimer()
timer.times = []
model.fit(x_train, y_train, batch_size=128, epochs=args.epochs, validation_split=0.15, verbose=0, callbacks=[timer])
keras_epoch = statistics.median(timer.times[1:])

with tempfile.TemporaryDirectory() as folder:
    out = subprocess.run([args.swift, "--epochs", str(args.epochs), "--seed", "1", "--data", args.mnist,
                          "--output", os.path.join(folder, "m.keras")], capture_output=True, text=True, check=True).stdout
    swift_times = [float(t) for t in re.findall(r"epoch_seconds: ([0-9.]+)", out)]
swift_epoch = statistics.median(swift_times[1:]) if len(swift_times) > 1 else swift_times[0]
print(f"python keras (jax)  {keras_epoch:.2f} s per epoch (median of epochs 2..{args.epochs}: {[round(t, 2) for t in timer.times]})")
print(f"swift               {swift_epoch:.2f} s per epoch (median of epochs 2..{args.epochs}: {[round(t, 2) for t in swift_times]})")
print(f"ratio: Swift takes {swift_epoch / keras_epoch:.2f}x Keras's time per epoch")
