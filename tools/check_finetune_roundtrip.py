"""A model with a learning-rate schedule, regularizers and constraints, trained by Swift (`keras fit`), must load
in Python Keras with its schedule, regularizers and constraints, match the same training done by Keras, and keep
training in Python at the same learning rate (rtol=1e-4, atol=1e-5). Also the other way: a file Keras trained
resumes in Swift.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/check_finetune_roundtrip.py [--keras .build/debug/keras]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers, optimizers as O, regularizers as R, constraints as C  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--keras", default=".build/debug/keras")
args = parser.parse_args()

SCHEDULES = {
    "exponential": lambda: O.schedules.ExponentialDecay(0.05, 3, 0.5),
    "cosine_warmup": lambda: O.schedules.CosineDecay(0.001, 6, alpha=0.1, warmup_target=0.05, warmup_steps=4),
    "restarts": lambda: O.schedules.CosineDecayRestarts(0.05, 2, t_mul=1.5, m_mul=0.8),
    "piecewise": lambda: O.schedules.PiecewiseConstantDecay([2, 5], [0.05, 0.02, 0.005]),
}
failures = []


def build(schedule):
    model = keras.Sequential([
        keras.Input((6,)),
        layers.Dense(12, activation="relu", kernel_regularizer=R.L2(0.01), bias_regularizer=R.L1(0.01),
                     activity_regularizer=R.L1L2(0.001, 0.001), kernel_constraint=C.MaxNorm(1.0)),
        layers.BatchNormalization(gamma_regularizer=R.L2(0.02), beta_constraint=C.NonNeg()),
        layers.Dense(3, kernel_regularizer=R.OrthogonalRegularizer(0.05), kernel_constraint=C.UnitNorm(axis=0)),
    ])
    model.compile(optimizer=O.Adam(schedule), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def close(what, a, b):
    a, b = np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64")
    if a.shape != b.shape or not np.allclose(a, b, rtol=1e-4, atol=1e-5):
        failures.append(f"{what}: max difference {np.max(np.abs(a - b)) if a.shape == b.shape else (a.shape, b.shape)}")


def same_weights(what, m1, m2):
    for w1, w2 in zip(m1.weights, m2.weights):
        close(f"{what} {w1.path}", w1, w2)
    for v1, v2 in zip(m1.optimizer.variables, m2.optimizer.variables):
        close(f"{what} optimizer {v1.path}", v1, v2)


with tempfile.TemporaryDirectory() as folder:
    rng = np.random.default_rng(5)
    x = rng.normal(0, 1, (24, 6)).astype("float32")
    y = (np.arange(24) % 3).astype("float32")
    np.save(f"{folder}/x.npy", x)
    np.save(f"{folder}/y.npy", y)
    for i, (name, make) in enumerate(SCHEDULES.items()):
        keras.utils.set_random_seed(40 + i)
        initial = f"{folder}/{name}.keras"
        build(make()).save(initial)
        swift = f"{folder}/{name}.swift.keras"
        run = subprocess.run([args.keras, "fit", initial, "--x", f"{folder}/x.npy", "--y", f"{folder}/y.npy", "--epochs", "2",
                              "--batch-size", "8", "--no-shuffle", "--output", swift, "--json"], capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"{name}: keras fit failed: {run.stderr.strip()}")
            continue
        swift_history = json.loads(run.stdout)["history"]
        reference = keras.models.load_model(initial)
        history = reference.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
        for key, values in history.items():
            close(f"{name} logged {key}", swift_history.get(key, [np.nan] * len(values)), values)

        resumed = keras.models.load_model(swift)
        schedule = resumed.optimizer._learning_rate
        if not isinstance(schedule, O.schedules.LearningRateSchedule) or schedule.get_config() != make().get_config():
            failures.append(f"{name}: the Swift file's learning rate is {schedule!r}, not the schedule")
        for layer, ref in zip(resumed.layers, reference.layers):
            if layer.get_config() != ref.get_config():
                failures.append(f"{name}: layer {layer.name} config differs after Swift's save")
        if int(resumed.optimizer.iterations) != 6:
            failures.append(f"{name}: iterations {int(resumed.optimizer.iterations)}, expected 6")
        close(f"{name} learning rate after 6 steps", float(resumed.optimizer.learning_rate), float(reference.optimizer.learning_rate))
        same_weights(f"{name} after Swift's 6 steps", resumed, reference)
        # Python keeps training the Swift-trained file exactly as it keeps training its own.
        resumed.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
        reference.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
        close(f"{name} learning rate after 9 steps", float(resumed.optimizer.learning_rate), float(reference.optimizer.learning_rate))
        same_weights(f"{name} after 3 more steps in Python", resumed, reference)

        # The other way: the file Keras trained resumes in Swift like in Keras.
        keras_trained = f"{folder}/{name}.keras-trained.keras"
        reference.save(keras_trained)
        swift_resumed = f"{folder}/{name}.resumed.keras"
        run = subprocess.run([args.keras, "fit", keras_trained, "--x", f"{folder}/x.npy", "--y", f"{folder}/y.npy",
                              "--batch-size", "8", "--no-shuffle", "--output", swift_resumed], capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"{name}: keras fit (resume) failed: {run.stderr.strip()}")
            continue
        reference.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
        same_weights(f"{name} resumed in Swift", keras.models.load_model(swift_resumed), reference)
        print(f"{name}: ok")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"all {len(SCHEDULES)} schedules: Swift-trained files with regularizers and constraints resume in Keras at the same learning rate")
