"""Cross-checks the Swift `keras` tool against real Python Keras on random Transformer models the fixtures never saw:
encoder blocks (MultiHeadAttention with random heads, key/value sizes and biases, residual connections,
LayerNormalization, a Dense feed-forward network), causal self-attention, padding masks from
Embedding(mask_zero=True), encoder-decoder models with cross-attention, Attention / AdditiveAttention layers, and MultiHeadAttention over 2-D
inputs with random attention axes and output shapes.

For each model Python Keras saves it, then:
  1. `keras predict` (Swift) must match Keras's predict within rtol=1e-4, atol=1e-5;
  2. `keras convert` (Swift load → save) must give a file Python Keras loads and that predicts the same;
  3. for compiled models, `keras fit` (Swift, one epoch of 4 steps, no shuffling) must give a file Python loads,
     whose predictions match the same model trained by Keras from the same file, and that Python trains further.

Residual Adds on padded sequences make Keras record the merged masks as `LogicalOr` operations, and Attention's
output mask as a `ConvertToTensor` operation: both are read like any other keras.ops call.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/crosscheck_transformers.py [--count 12] [--seed 0] [--keras .build/debug/keras]
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from crosscheck_common import check_against_keras, main  # noqa: E402


def pick(rng, items):
    return items[int(rng.integers(0, len(items)))]


def attention(rng):
    """A random MultiHeadAttention (value_dim stays key_dim: Keras's fused path fails otherwise without dropout)."""
    return L.MultiHeadAttention(num_heads=int(rng.integers(1, 4)), key_dim=int(rng.integers(2, 5)),
                                use_bias=bool(rng.random() > 0.3))


def feed_forward(rng, x, dim):
    return L.Dense(dim)(L.Dense(int(rng.integers(3, 9)), activation=pick(rng, ["relu", "gelu", "tanh"]))(x))


def block(rng, x, causal, residual, context=None):
    """Self-attention (maybe causal), cross-attention on `context` if given, then the feed-forward network; each with
    a residual connection and LayerNormalization, or (`residual` false) just normalized."""
    dim = x.shape[-1]

    def merge(x, y):
        return L.LayerNormalization()(L.Add()([x, y]) if residual else y)

    x = merge(x, attention(rng)(x, x, use_causal_mask=causal))
    if context is not None:
        x = merge(x, attention(rng)(x, context))
    return merge(x, feed_forward(rng, x, dim))


def sequence_input(rng, steps, dim, padded, vocab):
    """A float sequence input, or token ids through Embedding(mask_zero=True) when `padded`."""
    if padded:
        ids = keras.Input((steps,), dtype="int32")
        return ids, L.Embedding(vocab, dim, mask_zero=True)(ids), ("ids", steps, vocab)
    x = keras.Input((steps, dim))
    return x, x, ("float", steps, dim)


def encoder(rng):
    dim, steps, padded = int(rng.integers(3, 8)), int(rng.integers(2, 7)), bool(rng.random() < 0.4)
    inp, x, spec = sequence_input(rng, steps, dim, padded, int(rng.integers(4, 12)))
    causal = bool(rng.random() < 0.4)
    for _ in range(int(rng.integers(1, 3))):
        x = block(rng, x, causal, residual=bool(rng.random() < 0.85))
    return keras.Model(inp, head(rng, x)), [spec]


def encoder_decoder(rng):
    dim = int(rng.integers(3, 7))
    padded = bool(rng.random() < 0.4)
    source, s, source_spec = sequence_input(rng, int(rng.integers(2, 7)), dim, padded, int(rng.integers(4, 12)))
    target, t, target_spec = sequence_input(rng, int(rng.integers(2, 6)), dim, False, 0)
    context = block(rng, s, False, residual=bool(rng.random() < 0.85))
    x = block(rng, t, True, residual=True, context=context)
    return keras.Model([source, target], head(rng, x)), [source_spec, target_spec]


def dot_attention(rng):
    dim = int(rng.integers(3, 7))
    padded = bool(rng.random() < 0.5)
    q_in, q, q_spec = sequence_input(rng, int(rng.integers(2, 6)), dim, padded, 7)
    v_in, v, v_spec = sequence_input(rng, int(rng.integers(2, 6)), dim, padded, 7)
    if rng.random() < 0.5:
        layer = L.Attention(use_scale=bool(rng.random() < 0.5), score_mode=pick(rng, ["dot", "concat"]))
    else:
        layer = L.AdditiveAttention(use_scale=bool(rng.random() < 0.7))
    causal = bool(rng.random() < 0.3) and q_spec[1] == v_spec[1]
    x = layer([q, v], use_causal_mask=causal)
    pool = L.GlobalAveragePooling1D() if rng.random() < 0.5 else L.Flatten()   # masked average, or the mask dropped
    return keras.Model([q_in, v_in], L.Dense(int(rng.integers(2, 4)))(pool(x))), [q_spec, v_spec]


def attention_options(rng):
    """MultiHeadAttention over 2-D inputs with random attention axes and output shape."""
    shape = (int(rng.integers(2, 4)), int(rng.integers(2, 4)), int(rng.integers(2, 6)))
    q = keras.Input(shape)
    axes = pick(rng, [None, (1,), (2,), (1, 2), -2])
    output_shape = pick(rng, [None, int(rng.integers(2, 5)), (2, int(rng.integers(2, 4)))])
    layer = L.MultiHeadAttention(num_heads=int(rng.integers(1, 3)), key_dim=int(rng.integers(2, 4)), attention_axes=axes,
                                 output_shape=output_shape, use_bias=bool(rng.random() > 0.3))
    # No returned scores here: Keras's symbolic shape for them, (batch, heads, T, T), is wrong for 2-D inputs.
    x = L.Flatten()(layer(q, q))
    return keras.Model(q, L.Dense(int(rng.integers(2, 4)))(x)), [("float",) + shape]


def head(rng, x):
    return L.Dense(int(rng.integers(2, 4)))(L.GlobalAveragePooling1D()(x))


def make_inputs(specs, rng, n):
    xs = []
    for kind, *shape in specs:
        if kind == "ids":
            steps, size = shape
            x = rng.integers(1, size, (n, steps))
            for i in range(n):  # padding at the end, sometimes at the start or in the middle
                x[i, steps - int(rng.integers(0, steps)):] = 0
                if rng.random() < 0.2:
                    x[i, int(rng.integers(0, steps))] = 0
            xs.append(x.astype("int32"))
        else:
            xs.append(rng.normal(0, 1, (n, *shape)).astype("float32"))
    return xs


def check(index, rng, keras_bin, folder):
    make = pick(rng, [encoder, encoder, encoder_decoder, dot_attention, attention_options])
    model, specs = make(rng)
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.weights])
    compiled = rng.random() < 0.6
    if compiled:
        model.compile(optimizer=pick(rng, ["adam", "rmsprop", "sgd"]), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    base = os.path.join(folder, f"t{index}")
    model.save(base + ".keras")
    xs = make_inputs(specs, rng, 16)
    y = rng.integers(0, model.output_shape[-1], 16).astype("float32") if compiled else None
    check_against_keras(model, xs, y, base, keras_bin)
    names = " → ".join(layer.__class__.__name__ for layer in model.layers if not isinstance(layer, L.InputLayer))
    return f"{make.__name__}: {names}" + (" (compiled)" if compiled else "")


if __name__ == "__main__":
    main(check, default_count=12)
