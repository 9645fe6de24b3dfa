"""Every fixture model (the fine-tuning ones with regularizers, constraints and schedules included), re-saved by
Swift (`keras convert`), must load in Python Keras and predict Keras's original outputs (rtol=1e-4, atol=1e-5),
with every weight dataset bit-identical to the original file's.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/check_fixture_roundtrip.py [--keras .build/debug/keras] [--match rnn_]
"""
import argparse
import glob
import io
import os
import subprocess
import sys
import tempfile
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from antirectifier import Antirectifier  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--keras", default=".build/debug/keras")
parser.add_argument("--match", default="", help="only the fixtures whose path contains this text")
args = parser.parse_args()


def datasets(path):
    with zipfile.ZipFile(path) as z:
        f = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
    found = {}
    f.visititems(lambda name, obj: found.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return found


passed = failed = 0
with tempfile.TemporaryDirectory() as folder:
    originals = [path for pattern in ["Fixtures/models/*.keras", "Fixtures/training/*/final.keras", "Fixtures/layers/*/*.keras",
                                      "Fixtures/layer_training/*/final.keras", "Fixtures/functional/*.keras",
                                      "Fixtures/functional/training/*/final.keras", "Fixtures/finetune/steps/*/final.keras"] for path in sorted(glob.glob(pattern))
                 if args.match in path]
    for original in originals:
        name = original.replace("/", "_")
        copy = os.path.join(folder, name)
        try:
            result = subprocess.run([args.keras, "convert", original, copy], capture_output=True, text=True)
            assert result.returncode == 0, result.stderr.strip()
            a, b = datasets(original), datasets(copy)
            for key, value in a.items():
                assert key in b, f"dataset {key} missing"
                assert value.dtype == b[key].dtype or key.startswith("optimizer/vars/0"), f"{key}: dtype {b[key].dtype} != {value.dtype}"
                assert np.array_equal(value, b[key]), f"{key}: values differ"
            model = keras.models.load_model(copy, custom_objects={"Antirectifier": Antirectifier})
            base = original[: -len(".keras")]
            inputs = [base + ".input.npy"] if os.path.exists(base + ".input.npy") else sorted(glob.glob(base + ".input_*.npy"))
            if inputs:  # one file per input (or input.npy), one per output (or output.npy)
                xs = [np.load(p) for p in inputs]
                outs = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
                outs = outs if isinstance(outs, (list, tuple)) else [outs]
                expected = [np.load(p) for p in sorted(glob.glob(base + ".output_*.npy"))
                            or ([base + ".output.npy"] if os.path.exists(base + ".output.npy") else [])]
                assert len(outs) == len(expected), f"{len(outs)} outputs, Keras had {len(expected)}"
                for got, want in zip(outs, expected):
                    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
            if ("training" in original or "finetune" in original) and "final" in original:  # keeps training in Python
                folder_of = os.path.dirname(original)
                xs = [np.load(p) for p in sorted(glob.glob(os.path.join(folder_of, "x*.npy")))]
                ys = [np.load(p) for p in sorted(glob.glob(os.path.join(folder_of, "y*.npy")))]
                y = ys[0] if len(ys) == 1 else dict(zip(sorted(model.output.keys()), ys)) if isinstance(model.output, dict) else ys
                model.fit(xs if len(xs) > 1 else xs[0], y, batch_size=8, epochs=1, verbose=0)
            passed += 1
        except Exception as error:  # noqa: BLE001 - report every failure
            failed += 1
            print(f"FAIL {original}: {error}", flush=True)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
