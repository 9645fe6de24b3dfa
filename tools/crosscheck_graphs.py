"""Cross-checks the Swift `keras` tool against real Python Keras on random convnets, residual blocks with
BatchNormalization, two-input models with an Embedding and dense layers joined by `keras.ops` calls (slicing, split,
stack, tile, clip, where, cumsum, top_k …) — Functional and Sequential models the fixtures never saw.

For each model Python Keras saves it, then:
  1. `keras predict` (Swift, one --input per model input) must match Keras's predict within rtol=1e-4, atol=1e-5;
  2. `keras convert` (Swift load → save) must give a file Python Keras loads and that predicts the same;
  3. for compiled models, `keras fit` (Swift, one epoch) must give a file Python loads and trains further.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/crosscheck_graphs.py [--count 24] [--seed 0] [--keras .build/debug/keras]
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402
from keras import ops  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from antirectifier import Antirectifier  # noqa: E402
from crosscheck_common import check_against_keras, main, randomize  # noqa: E402

CUSTOM = {"Antirectifier": Antirectifier}
ACTIVATIONS = ["linear", "relu", "elu", "gelu", "tanh", "sigmoid", "silu", "softplus"]


def pick(rng, items):
    return items[int(rng.integers(0, len(items)))]


def convnet(rng):
    """A random 2-D (or 1-D) convnet, Sequential or Functional."""
    two_d = rng.random() < 0.7
    size = int(rng.integers(6, 13))
    channels = int(rng.integers(1, 4))
    shape = (size, size, channels) if two_d else (size * 2, channels)
    inp = keras.Input(shape)
    x = inp
    for _ in range(int(rng.integers(1, 4))):
        kind = pick(rng, ["conv", "conv", "pool", "bn", "depthwise", "pad", "upsample", "act"] if two_d else ["conv", "conv", "pool", "bn", "act"])
        spatial = x.shape[1:-1]
        if kind == "conv" and min(spatial) >= 3:
            kernel = int(rng.integers(1, 4))
            padding = pick(rng, ["valid", "same"])
            strides = int(rng.integers(1, 3))
            dilation = 1 if strides > 1 or rng.random() < 0.6 else 2
            conv = layers.Conv2D if two_d else layers.Conv1D
            if not two_d and strides == 1 and rng.random() < 0.3:
                padding = "causal"
            x = conv(int(rng.integers(1, 6)), kernel, strides=strides, padding=padding, dilation_rate=dilation,
                     activation=pick(rng, ACTIVATIONS), use_bias=bool(rng.random() > 0.2))(x)
        elif kind == "pool" and min(spatial) >= 2:
            pool = pick(rng, [layers.MaxPooling2D, layers.AveragePooling2D] if two_d else [layers.MaxPooling1D, layers.AveragePooling1D])
            x = pool(int(rng.integers(2, 4)) if min(spatial) >= 3 else 2, padding=pick(rng, ["valid", "same"]))(x)
        elif kind == "bn":
            x = layers.BatchNormalization(momentum=float(rng.uniform(0.8, 0.99)))(x)
        elif kind == "depthwise" and min(spatial) >= 3:
            x = layers.DepthwiseConv2D(3, depth_multiplier=int(rng.integers(1, 3)), padding=pick(rng, ["valid", "same"]))(x)
        elif kind == "pad":
            x = layers.ZeroPadding2D(int(rng.integers(1, 3)))(x)
        elif kind == "upsample" and max(spatial) <= 12:
            x = layers.UpSampling2D(2)(x)
        elif kind == "act":
            x = layers.Activation(pick(rng, ACTIVATIONS))(x)
    if rng.random() < 0.5:
        x = (layers.GlobalAveragePooling2D() if two_d else layers.GlobalMaxPooling1D())(x)
    else:
        x = layers.Flatten()(x)
    x = layers.Dropout(0.3)(x)
    out = layers.Dense(int(rng.integers(2, 5)))(x)
    return keras.Model(inp, out), [shape]


def residual(rng):
    """A residual block with BatchNormalization: dense or convolutional."""
    if rng.random() < 0.5:
        width = int(rng.integers(3, 10))
        inp = keras.Input((width,))
        h = layers.Dense(width)(inp)
        h = layers.BatchNormalization()(h)
        h = layers.Activation("relu")(h)
        h = layers.Dense(width)(h)
        h = layers.BatchNormalization(center=bool(rng.random() > 0.3), scale=bool(rng.random() > 0.3))(h)
        if rng.random() < 0.5:
            x = layers.Activation("relu")(layers.Add()([h, inp]))
        else:  # the same block written with keras.ops, saved as operations with constants
            x = ops.relu(h + inp * 0.5) - 0.1
        x = layers.LayerNormalization()(x) if rng.random() < 0.5 else x
        return keras.Model(inp, layers.Dense(3)(x)), [(width,)]
    size, channels = int(rng.integers(5, 10)), int(rng.integers(2, 5))
    inp = keras.Input((size, size, channels))
    h = layers.Conv2D(channels, 3, padding="same")(inp)
    h = layers.BatchNormalization()(h)
    h = layers.ReLU()(h)
    h = layers.Conv2D(channels, 3, padding="same")(h)
    h = layers.BatchNormalization()(h)
    x = layers.ReLU()(layers.Add()([h, inp]))
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inp, layers.Dense(3)(x)), [(size, size, channels)]


def embedding_two_inputs(rng):
    """Integer tokens through an Embedding, joined with a dense feature input."""
    length, vocab, features = int(rng.integers(3, 8)), int(rng.integers(5, 30)), int(rng.integers(2, 6))
    tokens = keras.Input((length,), name="tokens")
    dense_in = keras.Input((features,), name="features")
    e = layers.Embedding(vocab, int(rng.integers(2, 6)))(tokens)
    e = pick(rng, [layers.GlobalAveragePooling1D(), layers.Flatten(), layers.GlobalMaxPooling1D()])(e)
    f = layers.Dense(4, activation=pick(rng, ACTIVATIONS))(dense_in)
    x = layers.Concatenate()([e, f])
    if rng.random() < 0.5:
        x = Antirectifier()(x)
    return keras.Model([tokens, dense_in], layers.Dense(3)(x)), [("int", length, vocab), (features,)]


def ops_graph(rng):
    """Dense layers joined by a random chain of keras.ops calls on (batch, steps, width) tensors."""
    steps, width = int(rng.integers(2, 5)), 2 * int(rng.integers(2, 4))
    inp = keras.Input((steps, width))
    x = layers.Dense(width)(inp)
    for _ in range(int(rng.integers(2, 5))):
        kind = pick(rng, ["slice", "split", "stack", "tile", "clip", "where", "cumsum", "top_k", "reverse", "reduce"])
        w = x.shape[-1]
        if kind == "slice":
            x = x[:, :, int(rng.integers(0, w // 2)):] if rng.random() < 0.5 else x[..., ::2]
        elif kind == "split" and w % 2 == 0:
            a, b = ops.split(x, 2, axis=-1)
            x = ops.concatenate([b, a * 0.5], axis=-1)
        elif kind == "stack":
            x = ops.reshape(ops.stack([x, ops.tanh(x)], axis=2), (-1, x.shape[1], 2 * w))
        elif kind == "tile":
            x = ops.tile(x, (1, 1, 2)) if w <= 8 else ops.repeat(x, 2, axis=1)
        elif kind == "clip":
            x = ops.clip(x, -1.0, 1.0)
        elif kind == "where":
            x = ops.where(x > 0, x, 0.2 * x)
        elif kind == "cumsum":
            x = ops.cumsum(x, axis=1)
        elif kind == "top_k" and w >= 2:
            x = ops.top_k(x, w // 2 + 1)[0]
        elif kind == "reverse":
            x = x[:, ::-1]
        elif kind == "reduce":
            x = ops.concatenate([x, ops.max(x, axis=1, keepdims=True)], axis=1)
        x = layers.Dense(int(rng.integers(2, 7)))(x) if rng.random() < 0.4 else x
    x = layers.Flatten()(x)
    return keras.Model(inp, layers.Dense(3)(x)), [(steps, width)]


def make_inputs(specs, rng, n):
    xs = []
    for spec in specs:
        if spec[0] == "int":
            xs.append(rng.integers(0, spec[2], (n, spec[1])).astype("float32"))
        else:
            xs.append(rng.normal(0, 1.5, (n,) + tuple(spec)).astype("float32"))
    return xs


def check(index, rng, keras_bin, folder):
    make = pick(rng, [convnet, convnet, residual, embedding_two_inputs, ops_graph])
    model, specs = make(rng)
    randomize(model, rng)
    compiled = rng.random() < 0.6
    if compiled:
        model.compile(optimizer=pick(rng, ["adam", "rmsprop", "sgd"]), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
    base = os.path.join(folder, f"g{index}")
    model.save(base + ".keras")
    xs = make_inputs(specs, rng, 16)
    y = rng.integers(0, model.output_shape[-1], 16).astype("float32") if compiled else None
    check_against_keras(model, xs, y, base, keras_bin, custom_objects=CUSTOM, compare_training=False)
    return f"{make.__name__}: " + " → ".join(op.__class__.__name__ for op in model.operations[1:]) + (" (compiled)" if compiled else "")


if __name__ == "__main__":
    main(check, default_count=24)
