"""The classic Keras recurrent MNIST model in Python Keras 3 (JAX backend) on this machine: each image read as 28
time steps of 28 features by LSTM(128), then Dense(10); per-epoch seconds and test accuracy, to put beside the
Swift example (`swift run -c release mnist-lstm`).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/run_mnist_lstm.py [--epochs 5] [--mnist ../shared/datasets/mnist.npz]
"""
import argparse
import json
import os
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--mnist", default="../shared/datasets/mnist.npz")
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()


class EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self.start)


keras.utils.set_random_seed(args.seed)
with np.load(args.mnist) as f:
    x_train, y_train, x_test, y_test = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
x_train = x_train.astype("float32") / 255   # (samples, 28 steps, 28 features)
x_test = x_test.astype("float32") / 255
model = keras.Sequential([keras.Input(shape=(28, 28)), layers.LSTM(128), layers.Dense(10)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
timer = EpochTimer()
timer.times = []
model.fit(x_train, y_train, batch_size=128, epochs=args.epochs, validation_split=0.1, verbose=2, callbacks=[timer])
score = model.evaluate(x_test, y_test, verbose=0)
print(json.dumps({"keras_version": keras.__version__, "backend": keras.backend.backend(), "epochs": args.epochs,
                  "test_loss": score[0], "test_accuracy": score[1], "epoch_seconds": [round(t, 3) for t in timer.times]}))
