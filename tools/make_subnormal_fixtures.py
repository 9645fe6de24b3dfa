"""Generates Fixtures/layers/subnormal/: models whose activations underflow to subnormal floats (below 2^-126 ≈
1.2e-38), which Keras's CPU backends flush to zero (XLA for JAX, TensorFlow), and a later layer scales back up, so
a subnormal kept instead of flushed changes the output by far more than the fixtures' tolerance, with real Keras 3
(JAX backend).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_subnormal_fixtures.py
"""
import os
import shutil
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from fixture_cases import save_inference_case  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")


def main():
    folder = os.path.join(ROOT, "layers", "subnormal")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    # x · 1e-20 is subnormal for |x| below about 1e-18 and flushed to zero; × 1e36 brings a kept one back to ~1e-4.
    # The rows mix inputs whose products underflow with inputs whose products stay normal (the same model must give
    # Keras's non-zero outputs there).
    x = np.array([[1e-20, 3e-21, 0.0, -2e-20], [5e-19, 1e-20, 0.0, 0.0], [1e-15, 2e-16, 1e-17, 0.0],
                  [-1e-16, 0.0, 4e-20, 1e-20]], dtype="float32")
    inputs = keras.Input((4,))
    tiny = L.Dense(3, use_bias=False, name="tiny")(inputs)
    model = keras.Model(inputs, L.Dense(2, use_bias=False, name="scale_up")(tiny))
    model.get_layer("tiny").set_weights([np.full((4, 3), 1e-20, "float32") * np.array([1, 2, 3], "float32")])
    model.get_layer("scale_up").set_weights([np.array([[1e36, 0], [0, 1e36], [1e36, 1e36]], "float32")])
    save_inference_case(folder, "dense_underflow", model, x)
    # The same through relu and a convolution, whose products run on oneDNN's convolution primitives in Swift.
    images = keras.Input((4, 4, 1))
    small = L.Conv2D(2, 2, use_bias=False, activation="relu", name="tiny_conv")(images)
    conv = keras.Model(images, L.Dense(1, use_bias=False, name="scale_up")(L.Flatten()(small)))
    conv.get_layer("tiny_conv").set_weights([np.full((2, 2, 1, 2), 1e-20, "float32")])
    conv.get_layer("scale_up").set_weights([np.full((18, 1), 1e36, "float32")])
    pictures = np.zeros((3, 4, 4, 1), "float32")
    pictures[0, :2, :2, 0] = 1e-20
    pictures[1, 1:3, 1:3, 0] = 1e-12
    pictures[2] = np.linspace(0, 1e-18, 16, dtype="float32").reshape(4, 4, 1)
    save_inference_case(folder, "conv_underflow", conv, pictures)
    for name in ("dense_underflow", "conv_underflow"):
        print(name, np.load(os.path.join(folder, f"{name}.output.npy")).ravel())


if __name__ == "__main__":
    main()
