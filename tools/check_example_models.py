"""Opens models saved by the Swift examples in Python Keras 3 and checks that Python predicts what Swift predicts
on the bundled 500 MNIST test images (rtol 1e-4, atol 1e-5), each image reshaped to the model's input shape.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/check_example_models.py --keras .build/release/keras FILE.keras ...
"""
import argparse
import os
import subprocess
import sys
import tempfile
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from antirectifier import Antirectifier  # noqa: E402
from antirectifier2016 import keras3_class  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--keras", default=".build/release/keras")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    with np.load(os.path.join(ROOT, "Fixtures/seed/mnist_test_500.npz")) as f:
        images = f["x_test"].astype("float32") / 255
    failures = 0
    for path in args.files:
        # Both examples' layers are called "Antirectifier": the 2023 one has a kernel, the 2016 one no weights.
        with zipfile.ZipFile(path) as archive:
            antirectifier = Antirectifier if b'"initializer"' in archive.read("config.json") else keras3_class()
        model = keras.saving.load_model(path, custom_objects={"Antirectifier": antirectifier})
        x = images.reshape((-1,) + tuple(model.input_shape[1:]))
        with tempfile.TemporaryDirectory() as work:
            np.save(os.path.join(work, "x.npy"), x)
            subprocess.run([args.keras, "predict", path, "--input", os.path.join(work, "x.npy"),
                            "--output", os.path.join(work, "swift.npy")], check=True, stdout=subprocess.DEVNULL)
            swift = np.load(os.path.join(work, "swift.npy"))
        python = model.predict(x, verbose=0)
        ok = swift.shape == python.shape and np.allclose(swift, python, rtol=1e-4, atol=1e-5)
        failures += not ok
        print(f"{'ok' if ok else 'FAIL'}: {os.path.basename(path)} opened by Python Keras, predictions "
              f"{'match' if ok else 'differ from'} Swift's (max |diff| {np.max(np.abs(swift - python)) if swift.shape == python.shape else 'shape'})")
    print(f"{len(args.files) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
