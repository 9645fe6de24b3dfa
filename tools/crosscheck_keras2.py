"""Random genuine Keras 2 models the fixtures never saw: tf_keras saves each as `.h5` with an input and Keras 2's
output in OUTDIR; Swift's `keras predict` must match within rtol=1e-4, atol=1e-5. Then run
tools/check_keras2_convert.py OUTDIR (Keras 3 venv) to check the converted files in Python Keras 3.

    TF_USE_LEGACY_KERAS=1 .venv-keras2/bin/python tools/crosscheck_keras2.py OUTDIR [--count 12] [--seed 0] [--keras .build/debug/keras]
"""
import argparse
import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402
from tf_keras import layers  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from antirectifier2016 import keras2_class  # noqa: E402

Antirectifier = keras2_class()
ACTIVATIONS = ["linear", "relu", "elu", "selu", "sigmoid", "tanh", "softmax", "softplus", "softsign", "swish", "hard_sigmoid"]
INITIALIZERS = ["glorot_uniform", "he_normal", "lecun_uniform", "orthogonal", "random_normal", "zeros"]

parser = argparse.ArgumentParser()
parser.add_argument("outdir")
parser.add_argument("--count", type=int, default=12)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--keras", default=".build/debug/keras")
args = parser.parse_args()
os.makedirs(args.outdir, exist_ok=True)
rng = np.random.default_rng(args.seed)
passed = failed = 0
def random_convnet():
    """A small Keras 2 convnet: Conv2D / DepthwiseConv2D / BatchNormalization / pooling / padding, then Dense."""
    size, channels = int(rng.integers(6, 11)), int(rng.integers(1, 4))
    stack = [layers.Conv2D(int(rng.integers(1, 5)), int(rng.integers(1, 4)), padding=str(rng.choice(["valid", "same"])),
                           activation=str(rng.choice(["relu", "tanh", "linear"])), input_shape=(size, size, channels))]
    for _ in range(int(rng.integers(1, 4))):
        kind = rng.choice(["bn", "pool", "depthwise", "pad", "conv"])
        if kind == "bn":
            stack.append(layers.BatchNormalization())
        elif kind == "pool":
            stack.append(rng.choice([layers.MaxPooling2D, layers.AveragePooling2D])(2, padding=str(rng.choice(["valid", "same"]))))
        elif kind == "depthwise":
            stack.append(layers.DepthwiseConv2D(2, padding="same", depth_multiplier=int(rng.integers(1, 3))))
        elif kind == "pad":
            stack.append(layers.ZeroPadding2D(1))
        else:
            stack.append(layers.Conv2D(int(rng.integers(1, 5)), 2, strides=int(rng.integers(1, 3)), padding="same"))
    stack.append(rng.choice([layers.Flatten, layers.GlobalAveragePooling2D, layers.GlobalMaxPooling2D])())
    return stack, (size, size, channels)


for i in range(args.count):
    width = int(rng.integers(2, 12))
    stack = []
    input_shape = (width,)
    if i % 3 == 2:
        stack, input_shape = random_convnet()
    for j in range(0 if i % 3 == 2 else int(rng.integers(1, 5))):
        kind = rng.choice(["dense", "dense", "anti", "dropout", "activation"])
        first = {"input_shape": (width,)} if not stack else {}
        if kind == "dense" or not stack:
            stack.append(layers.Dense(int(rng.integers(1, 16)), activation=str(rng.choice(ACTIVATIONS)),
                                      kernel_initializer=str(rng.choice(INITIALIZERS)), use_bias=bool(rng.random() > 0.2), **first))
        elif kind == "anti":
            stack.append(Antirectifier())
        elif kind == "dropout":
            stack.append(layers.Dropout(float(rng.uniform(0, 0.9))))
        else:
            stack.append(layers.Activation(str(rng.choice(ACTIVATIONS))))
    stack.append(layers.Dense(int(rng.integers(2, 6)), activation=str(rng.choice(["softmax", "linear"]))))
    model = keras.Sequential(stack)
    model.set_weights([(rng.uniform(0.5, 2, w.shape) if "moving_variance" in w.name else rng.normal(0, 0.7, w.shape)).astype("float32")
                       for w in model.weights])
    if rng.random() > 0.4:
        model.compile(optimizer=str(rng.choice(["rmsprop", "adam", "sgd"])), loss="categorical_crossentropy", metrics=["accuracy"])
    base = os.path.join(args.outdir, f"random{i}")
    x = rng.normal(0, 2, (8,) + input_shape).astype("float32")
    model.save(base + ".h5")
    np.save(base + ".input.npy", x)
    np.save(base + ".output.npy", model.predict(x, verbose=0).astype("float32"))
    result = subprocess.run([args.keras, "predict", base + ".h5", "--input", base + ".input.npy", "--output", base + ".swift.npy"],
                            capture_output=True, text=True)
    try:
        assert result.returncode == 0, result.stderr.strip()
        np.testing.assert_allclose(np.load(base + ".swift.npy"), np.load(base + ".output.npy"), rtol=1e-4, atol=1e-5)
        passed += 1
        print(f"ok   random{i}: " + " → ".join(l.__class__.__name__ for l in model.layers), flush=True)
    except Exception as error:  # noqa: BLE001 - report every failure
        failed += 1
        print(f"FAIL random{i}: {error}", flush=True)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
