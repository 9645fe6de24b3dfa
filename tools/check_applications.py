"""keras.applications architectures the fixtures never saw, built by Python Keras with random weights (BatchNormalization
statistics randomized too) at a small input size: `keras predict` (Swift) must match Keras's predict within rtol=1e-4,
atol=1e-5, and the file Swift re-saves (`keras convert`) must load in Python Keras and predict the same.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/check_applications.py [--keras .build/debug/keras] [--only MobileNetV2 …]
"""
import argparse
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

# (architecture, input size, keyword arguments): small inputs keep the debug build quick.
ARCHITECTURES = [
    ("MobileNet", 64, {"alpha": 0.25}), ("MobileNetV2", 96, {"alpha": 0.35}), ("MobileNetV3Small", 64, {}),
    ("MobileNetV3Large", 64, {}), ("EfficientNetB0", 64, {}), ("ResNet50", 32, {}), ("DenseNet121", 32, {}),
    ("InceptionV3", 75, {}), ("Xception", 71, {}), ("NASNetMobile", 32, {}), ("VGG16", 32, {}),
]

parser = argparse.ArgumentParser()
parser.add_argument("--keras", default=".build/debug/keras")
parser.add_argument("--only", nargs="*")
args = parser.parse_args()
rng = np.random.default_rng(0)
passed = failed = 0
with tempfile.TemporaryDirectory() as folder:
    for name, size, kwargs in ARCHITECTURES:
        if args.only and name not in args.only:
            continue
        base = os.path.join(folder, name)
        try:
            model = getattr(keras.applications, name)(input_shape=(size, size, 3), weights=None, classes=10, **kwargs)
            model.set_weights([(rng.uniform(0.5, 1.5, w.shape) if "variance" in w.path else rng.normal(0, 0.05, w.shape)).astype("float32")
                               for w in model.weights])
            x = rng.normal(0, 1, (2, size, size, 3)).astype("float32")
            expected = model.predict(x, verbose=0)
            model.save(base + ".keras")
            np.save(base + ".x.npy", x)
            for cmd in ([args.keras, "predict", base + ".keras", "--input", base + ".x.npy", "--output", base + ".y.npy"],
                        [args.keras, "convert", base + ".keras", base + ".converted.keras"]):
                result = subprocess.run(cmd, capture_output=True, text=True)
                assert result.returncode == 0, result.stderr.strip()[:400]
            np.testing.assert_allclose(np.load(base + ".y.npy"), expected, rtol=1e-4, atol=1e-5, err_msg="keras predict")
            reloaded = keras.models.load_model(base + ".converted.keras")
            np.testing.assert_allclose(reloaded.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-5, err_msg="converted file")
            passed += 1
            print(f"ok   {name}: {len(model.layers)} layers, {model.count_params():,} parameters", flush=True)
        except Exception as error:  # noqa: BLE001 - report every failure
            failed += 1
            print(f"FAIL {name}: {str(error)[:600]}", flush=True)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
