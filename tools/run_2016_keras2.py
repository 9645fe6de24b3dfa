"""The 2016 Antirectifier recipe in genuine Keras 2 (tf_keras): 40 epochs, batch 128, RMSprop, categorical
cross-entropy on one-hot labels, validated on the test set. Prints the test accuracy and seconds per epoch.

    TF_USE_LEGACY_KERAS=1 .venv-keras2/bin/python tools/run_2016_keras2.py [--epochs 40] [--mnist ../shared/datasets/mnist.npz]
"""
import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402
from tf_keras import layers  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from antirectifier2016 import keras2_class  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=40)
parser.add_argument("--mnist", default="../shared/datasets/mnist.npz")
args = parser.parse_args()
Antirectifier = keras2_class()
with np.load(args.mnist) as f:
    x_train, y_train, x_test, y_test = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
x_train = x_train.reshape(60000, 784).astype("float32") / 255
x_test = x_test.reshape(10000, 784).astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
model = keras.Sequential([layers.Dense(256, input_shape=(784,)), Antirectifier(), layers.Dropout(0.1), layers.Dense(256),
                          Antirectifier(), layers.Dropout(0.1), layers.Dense(10), layers.Activation("softmax")])
model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])


class Timer(keras.callbacks.Callback):
    times = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self.start)


timer = Timer()
model.fit(x_train, y_train, batch_size=128, epochs=args.epochs, verbose=0, validation_data=(x_test, y_test), callbacks=[timer])
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"keras {keras.__version__}: test accuracy {accuracy:.4f}, loss {loss:.4f}, "
      f"{statistics.median(timer.times[1:] or timer.times):.2f} s per epoch (median)")
