"""Generates Fixtures/layers/dot/ (inference, two inputs: `<case>.input_0.npy`, `<case>.input_1.npy`) and
Fixtures/layer_training/dot_* (three training steps) for the Dot merge layer, with real Keras 3 (JAX backend).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_dot_fixtures.py
"""
import os
import shutil
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from fixture_cases import save_inference_case, save_training_case  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")

# name: (shape of input 0, shape of input 1, Dot arguments, a Dense after the Dot?)
CASES = {
    "dot_vectors": ((6,), (6,), dict(axes=1), False),
    "dot_vectors_cosine": ((6,), (6,), dict(axes=-1, normalize=True), False),
    "dot_sequences_last_axes": ((4, 5), (3, 5), dict(axes=(2, 2)), False),
    "dot_sequences_first_axes": ((4, 5), (4, 3), dict(axes=1), False),
    "dot_sequences_mixed_axes": ((4, 5), (5, 3), dict(axes=(2, 1)), False),
    "dot_sequences_cosine": ((4, 5), (3, 5), dict(axes=[-1, -1], normalize=True), True),
    "dot_sequences_axes_1_2": ((4, 5), (3, 4), dict(axes=(1, 2)), False),
}


def model_for(shape0, shape1, arguments, dense):
    a, b = keras.Input(shape0), keras.Input(shape1)
    out = L.Dot(**arguments)([L.Dense(shape0[-1])(a), b])
    if dense:
        out = L.Dense(2)(L.Flatten()(out))
    return keras.Model([a, b], out)


def main():
    folder = os.path.join(ROOT, "layers", "dot")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rng = np.random.default_rng(61)
    keras.utils.set_random_seed(61)
    for name, (shape0, shape1, arguments, dense) in CASES.items():
        model = model_for(shape0, shape1, arguments, dense)
        model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.get_weights()])
        xs = [rng.normal(0, 1, (3,) + s).astype("float32") for s in (shape0, shape1)]
        save_inference_case(folder, name, model, xs)
    for name in ("dot_sequences_cosine", "dot_sequences_first_axes"):
        keras.utils.set_random_seed(63)
        shape0, shape1, arguments, _ = CASES[name]
        model = model_for(shape0, shape1, arguments, True)
        model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
        xs = [rng.normal(0, 1, (24,) + s).astype("float32") for s in (shape0, shape1)]
        save_training_case(os.path.join(ROOT, "layer_training", name + "_adam"), model, xs,
                           rng.normal(0, 1, (24, 2)).astype("float32"))


if __name__ == "__main__":
    main()
