"""What the cross-check scripts share: running the Swift `keras` tool, the checks made on every random model, and
the loop over random models."""
import argparse
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402


def run(cmd):
    """Runs a command; raises with its stderr when it fails."""
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:2])} failed: {result.stderr.strip()}")
    return result


def randomize(model, rng, scale=0.5):
    """Random weights N(0, scale), BatchNormalization's moving variances uniform in [0.5, 2] (they must be positive)."""
    weights = []
    for w in model.weights:
        value = rng.uniform(0.5, 2.0, w.shape) if "variance" in w.path else rng.normal(0, scale, w.shape)
        weights.append(value.astype("float32"))
    model.set_weights(weights)


def check_against_keras(model, xs, y, base, keras_bin, custom_objects=None, compare_training=True):
    """The checks every cross-check makes on `model`, which Keras saved to `base.keras`, with inputs `xs` (one array
    per input, 16 samples):
      1. `keras predict` (Swift) matches Keras's predict within rtol 1e-4, atol 1e-5;
      2. `keras convert` (Swift load → save) gives a file Python Keras loads and that predicts the same;
      3. with targets `y` (a compiled model), `keras fit` (Swift, one epoch of 4 batches of 4, no shuffling) gives a
         file Python loads after exactly 4 optimizer steps, that predicts in Python what Swift predicts from it, like
         the same file trained by Keras (with `compare_training`; off when dropout's draws differ), and that Python
         trains further."""
    inputs = []
    for i, x in enumerate(xs):
        np.save(f"{base}.x{i}.npy", x)
        inputs += ["--input", f"{base}.x{i}.npy"]
    feed = xs if len(xs) > 1 else xs[0]
    expected = model.predict(feed, verbose=0)
    run([keras_bin, "predict", base + ".keras", *inputs, "--output", base + ".y.npy"])
    np.testing.assert_allclose(np.load(base + ".y.npy"), expected, rtol=1e-4, atol=1e-5, err_msg="keras predict")
    run([keras_bin, "convert", base + ".keras", base + ".converted.keras"])
    reloaded = keras.models.load_model(base + ".converted.keras", custom_objects=custom_objects)
    np.testing.assert_allclose(reloaded.predict(feed, verbose=0), expected, rtol=1e-4, atol=1e-5, err_msg="converted file")
    if y is None:
        return
    np.save(base + ".labels.npy", y)
    xargs = [a.replace("--input", "--x") for a in inputs]
    run([keras_bin, "fit", base + ".keras", *xargs, "--y", base + ".labels.npy", "--output", base + ".trained.keras",
         "--batch-size", "4", "--no-shuffle"])
    trained = keras.models.load_model(base + ".trained.keras", custom_objects=custom_objects)
    assert int(trained.optimizer.iterations) == 4, f"optimizer iterations {int(trained.optimizer.iterations)}, expected 4"
    run([keras_bin, "predict", base + ".trained.keras", *inputs, "--output", base + ".y2.npy"])
    np.testing.assert_allclose(trained.predict(feed, verbose=0), np.load(base + ".y2.npy"), rtol=1e-4, atol=1e-5,
                               err_msg="Swift-trained file in Python vs Swift")
    if compare_training:
        python = keras.models.load_model(base + ".keras", custom_objects=custom_objects)
        python.fit(feed, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
        np.testing.assert_allclose(trained.predict(feed, verbose=0), python.predict(feed, verbose=0), rtol=1e-3, atol=1e-4,
                                   err_msg="trained in Swift vs trained in Keras")
    trained.fit(feed, y, epochs=1, batch_size=8, verbose=0)
    assert int(trained.optimizer.iterations) == 6, "Python did not keep training the Swift-trained file"


def main(check, default_count):
    """Parses --count/--seed/--keras, calls `check(index, rng, keras_bin, folder)` for each model (it returns a
    description or raises), prints one line per model and 'N passed, M failed', exits non-zero on any failure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=default_count)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keras", default=".build/debug/keras")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    passed = failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for i in range(args.count):
            try:
                description = check(i, rng, args.keras, folder)
                passed += 1
                print(f"ok   model {i}: {description}", flush=True)
            except Exception as error:  # noqa: BLE001 - report every failure, keep going
                failed += 1
                print(f"FAIL model {i}: {str(error)[:800]}", flush=True)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
