"""The classic Keras recurrent MNIST model in Python Keras 3 (JAX backend) on this machine: each image read as 28
time steps of 28 features by LSTM(128), then Dense(10); per-epoch seconds and test accuracy, to put beside the
Swift example (`swift run -c release mnist-lstm`).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/run_mnist_lstm.py [--epochs 5] [--mnist ../shared/datasets/mnist.npz]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mnist_run import arguments, fit_and_report, keras, load_mnist  # noqa: E402

args = arguments(default_epochs=5)
x_train, y_train, x_test, y_test = load_mnist(args.mnist)   # (samples, 28 steps, 28 features)
model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.LSTM(128), keras.layers.Dense(10)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
fit_and_report(model, x_train, y_train, x_test, y_test, args.epochs)
