"""keras.io's "Simple MNIST convnet" in Python Keras 3 (JAX backend) on this machine: per-epoch seconds and test
accuracy, to put beside the Swift example (`swift run -c release mnist-convnet`).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/run_mnist_convnet.py [--epochs 15] [--mnist ../shared/datasets/mnist.npz]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mnist_run import arguments, fit_and_report, keras, load_mnist  # noqa: E402
from keras import layers  # noqa: E402
import numpy as np  # noqa: E402

args = arguments(default_epochs=15)
num_classes = 10
input_shape = (28, 28, 1)
x_train, y_train, x_test, y_test = load_mnist(args.mnist)
x_train = np.expand_dims(x_train, -1)
x_test = np.expand_dims(x_test, -1)
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
fit_and_report(model, x_train, y_train, x_test, y_test, args.epochs)
