"""keras.io's "Simple MNIST convnet" in Python Keras 3 (JAX backend) on this machine: per-epoch seconds and test
accuracy, to put beside the Swift example (`swift run -c release mnist-convnet`).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/run_mnist_convnet.py [--epochs 15] [--mnist ../shared/datasets/mnist.npz]
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
parser.add_argument("--epochs", type=int, default=15)
parser.add_argument("--mnist", default="../shared/datasets/mnist.npz")
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()


class EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self.start)


keras.utils.set_random_seed(args.seed)
num_classes = 10
input_shape = (28, 28, 1)
with np.load(args.mnist) as f:
    x_train, y_train, x_test, y_test = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)
model = keras.Sequential([
    keras.Input(shape=input_shape),
    layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dropout(0.5),
    layers.Dense(num_classes, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
timer = EpochTimer()
timer.times = []
model.fit(x_train, y_train, batch_size=128, epochs=args.epochs, validation_split=0.1, verbose=2, callbacks=[timer])
score = model.evaluate(x_test, y_test, verbose=0)
print(json.dumps({"keras_version": keras.__version__, "backend": keras.backend.backend(), "epochs": args.epochs,
                  "test_loss": score[0], "test_accuracy": score[1], "epoch_seconds": [round(t, 3) for t in timer.times]}))
