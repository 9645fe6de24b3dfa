"""Keras 2 `.h5` files converted by Swift (`keras convert x.h5 x.keras`) must load in Python Keras 3 (with the
Keras 3 port of the 2016 Antirectifier as custom object) and predict what Keras 2 predicted.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/check_keras2_convert.py [--keras .build/debug/keras] [FOLDER …]
FOLDER holds <name>.h5, <name>.input.npy and <name>.output.npy (default: Fixtures/keras2).
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from antirectifier2016 import keras3_class  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--keras", default=".build/debug/keras")
parser.add_argument("folders", nargs="*", default=["Fixtures/keras2"])
args = parser.parse_args()
passed = failed = refused = 0
with tempfile.TemporaryDirectory() as tmp:
    for folder in args.folders:
        for h5 in sorted(glob.glob(os.path.join(folder, "*.h5"))):
            base = h5[:-3]
            out = os.path.join(tmp, os.path.basename(base) + ".keras")
            try:
                result = subprocess.run([args.keras, "convert", h5, out], capture_output=True, text=True)
                if result.returncode != 0 and "Keras 2's hard_sigmoid" in result.stderr:
                    # Documented refusal: Keras 3 has no activation equal to Keras 2's hard_sigmoid.
                    refused += 1
                    print(f"refused {h5}: {result.stderr.strip()[:120]}", flush=True)
                    continue
                assert result.returncode == 0, result.stderr.strip()
                model = keras.models.load_model(out, custom_objects={"Antirectifier": keras3_class()})
                inputs = sorted(glob.glob(base + ".input_*.npy"))  # a Functional model with several inputs
                x = [np.load(p) for p in inputs] if inputs else np.load(base + ".input.npy")
                np.testing.assert_allclose(model.predict(x, verbose=0), np.load(base + ".output.npy"), rtol=1e-4, atol=1e-5)
                passed += 1
            except Exception as error:  # noqa: BLE001 - report every failure
                failed += 1
                print(f"FAIL {h5}: {error}", flush=True)
if refused:
    print(f"{refused} model(s) refused by design: Keras 2's hard_sigmoid has no Keras 3 equivalent by name")
print(f"{passed} passed, {failed} failed, {refused} skipped")
sys.exit(1 if failed else 0)
