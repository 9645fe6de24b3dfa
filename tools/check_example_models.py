"""Opens models saved by the Swift examples in Python Keras 3 and checks that Python predicts what Swift predicted
(`--predictions`, saved by the example itself) on the same MNIST test images (rtol 1e-4, atol 1e-5): the first N
test images for N saved predictions, each reshaped to the model's input shape.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/check_example_models.py --mnist path/to/mnist.npz \
        model.keras:predictions.npy ...
"""
import argparse
import os
import sys
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from antirectifier import Antirectifier  # noqa: E402
from antirectifier2016 import keras3_class  # noqa: E402
from run_mnist_vit import PatchEncoder  # noqa: E402


def custom_objects(path):
    """The examples' own layers. Both Antirectifiers are called "Antirectifier": the 2023 one has an initializer."""
    with zipfile.ZipFile(path) as archive:
        config = archive.read("config.json")
    antirectifier = Antirectifier if b'"initializer"' in config else keras3_class()
    return {"Antirectifier": antirectifier, "PatchEncoder": PatchEncoder}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mnist", default="../shared/datasets/mnist.npz")
    parser.add_argument("pairs", nargs="+", help="model.keras:predictions.npy")
    args = parser.parse_args()
    with np.load(args.mnist) as f:
        images = f["x_test"].astype("float32") / 255
    failures = 0
    for pair in args.pairs:
        path, predictions = pair.split(":")
        swift = np.load(predictions)
        model = keras.saving.load_model(path, custom_objects=custom_objects(path))
        x = images[: len(swift)].reshape((-1,) + tuple(model.input_shape[1:]))
        python = model.predict(x, verbose=0)
        ok = swift.shape == python.shape and np.allclose(swift, python, rtol=1e-4, atol=1e-5)
        failures += not ok
        difference = np.max(np.abs(swift - python)) if swift.shape == python.shape else f"shapes {swift.shape}, {python.shape}"
        print(f"{'ok' if ok else 'FAIL'}: {os.path.basename(path)} opened by Python Keras, its predictions on {len(swift)} test "
              f"images {'match' if ok else 'differ from'} Swift's (max |diff| {difference})")
    print(f"{len(args.pairs) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
