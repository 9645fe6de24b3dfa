"""What the by-hand Python Keras MNIST runs share (`run_mnist_convnet.py`, `run_mnist_lstm.py`): their options, the
dataset, and one `fit` + `evaluate` that prints per-epoch seconds and test accuracy as one JSON line."""
import argparse
import json
import os
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402


def arguments(default_epochs):
    """`--epochs`, `--mnist` and `--seed`; seeds Keras."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=default_epochs)
    parser.add_argument("--mnist", default="../shared/datasets/mnist.npz")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    keras.utils.set_random_seed(args.seed)
    return args


def load_mnist(path):
    """Keras's mnist.npz: images scaled to [0, 1] (28×28 float32) and integer labels."""
    with np.load(path) as f:
        return (f["x_train"].astype("float32") / 255, f["y_train"], f["x_test"].astype("float32") / 255, f["y_test"])


class EpochTimer(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.times = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self.start)


def fit_and_report(model, x_train, y_train, x_test, y_test, epochs):
    """The examples' `fit` (batch 128, validation_split 0.1), then one JSON line with the test score and timings."""
    timer = EpochTimer()
    model.fit(x_train, y_train, batch_size=128, epochs=epochs, validation_split=0.1, verbose=2, callbacks=[timer])
    score = model.evaluate(x_test, y_test, verbose=0)
    print(json.dumps({"keras_version": keras.__version__, "backend": keras.backend.backend(), "epochs": epochs,
                      "test_loss": score[0], "test_accuracy": score[1], "epoch_seconds": [round(t, 3) for t in timer.times]}))
