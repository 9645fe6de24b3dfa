"""Cross-checks the Swift `keras` tool against real Python Keras on models the fixtures never saw.

For COUNT random Sequential models (random widths, depths, activations, initializers, Dropout / Activation /
Antirectifier placement, compiled or not), Python Keras saves the model, then:
  1. `keras predict` (Swift) must match Keras's predict within rtol=1e-4, atol=1e-5;
  2. `keras convert` (Swift load → save) must give a file Python Keras loads and that predicts the same;
  3. for compiled models, `keras fit` (Swift, one epoch) must give a file Python Keras loads, with the optimizer
     iteration count Swift reached, and that Python trains further with fit.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/crosscheck.py [--count 20] [--seed 0] [--keras .build/debug/keras]
Prints one line per model and a closing line 'N passed, M failed'; exits non-zero on any failure.
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from antirectifier import Antirectifier  # noqa: E402
from crosscheck_common import check_against_keras, main  # noqa: E402

ACTIVATIONS = ["linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "silu", "swish", "mish", "sigmoid",
               "hard_sigmoid", "tanh", "softmax", "log_softmax", "softplus", "softsign"]
INITIALIZERS = ["glorot_uniform", "he_normal", "lecun_uniform", "orthogonal", "random_normal", "truncated_normal",
                "he_uniform", "glorot_normal", "variance_scaling", "zeros", "ones"]
CUSTOM = {"Antirectifier": Antirectifier}


def random_model(rng):
    width = int(rng.integers(2, 12))
    model_layers = [keras.Input((width,))]
    for _ in range(int(rng.integers(1, 5))):
        kind = rng.choice(["dense", "dense", "anti", "dropout", "activation"])
        if kind == "dense":
            width = int(rng.integers(1, 16))
            model_layers.append(layers.Dense(width, activation=str(rng.choice(ACTIVATIONS)), use_bias=bool(rng.random() > 0.2),
                                             kernel_initializer=str(rng.choice(INITIALIZERS))))
        elif kind == "anti":
            model_layers.append(Antirectifier(initializer=str(rng.choice(INITIALIZERS))))
        elif kind == "dropout":
            model_layers.append(layers.Dropout(float(rng.uniform(0, 0.9))))
        else:
            model_layers.append(layers.Activation(str(rng.choice(ACTIVATIONS))))
    classes = int(rng.integers(2, 6))
    model_layers.append(layers.Dense(classes))
    model = keras.Sequential(model_layers)
    model.set_weights([rng.normal(0, 0.7, w.shape).astype("float32") for w in model.get_weights()])
    compiled = rng.random() > 0.4
    if compiled:
        optimizer = rng.choice(["rmsprop", "adam", "sgd"])
        model.compile(optimizer=str(optimizer), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    return model, classes, compiled


def check(index, rng, keras_bin, folder):
    model, classes, compiled = random_model(rng)
    base = os.path.join(folder, f"m{index}")
    model.save(base + ".keras")
    x = rng.normal(0, 2, (16,) + tuple(model.input_shape[1:])).astype("float32")
    y = rng.integers(0, classes, 16).astype("float32") if compiled else None
    check_against_keras(model, [x], y, base, keras_bin, custom_objects=CUSTOM, compare_training=False)
    summary = [layer.__class__.__name__ for layer in model.layers]
    return " → ".join(summary) + (" (compiled)" if compiled else "")


if __name__ == "__main__":
    main(check, default_count=20)
