"""Checks a model built and trained in Swift (the seed example's antirectifier.keras) in Python Keras 3:
it loads with the seed's Antirectifier class as custom object, predicts what Swift predicts, reports the
optimizer iteration count Swift reached, and trains further with fit.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/check_swift_trained.py MODEL.keras SWIFT_PREDICTIONS.npy \
        --mnist Fixtures/seed/mnist_test_500.npz --iterations N
"""
import argparse
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from antirectifier import Antirectifier  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("model")
parser.add_argument("swift_predictions")
parser.add_argument("--mnist", required=True)
parser.add_argument("--iterations", type=int, required=True)
args = parser.parse_args()

model = keras.models.load_model(args.model, custom_objects={"Antirectifier": Antirectifier})
with np.load(args.mnist) as f:
    x, y = f["x_test"].reshape(-1, 784).astype("float32") / 255, f["y_test"]
np.testing.assert_allclose(model.predict(x, verbose=0), np.load(args.swift_predictions), rtol=1e-4, atol=1e-5)
assert int(model.optimizer.iterations) == args.iterations, f"iterations {int(model.optimizer.iterations)} != {args.iterations}"
before = int(model.optimizer.iterations)
model.fit(x, y, batch_size=128, epochs=1, verbose=0)
assert int(model.optimizer.iterations) == before + 4
print(f"ok: Python Keras {keras.__version__} loaded {args.model}, predicted like Swift, iterations {before}, trained on to {before + 4}")
print("1 passed, 0 failed")
