"""Generates Fixtures/layers/attention/ (inference: `<case>.keras`, `<case>.input.npy` or `<case>.input_<j>.npy` for
several inputs, `<case>.output.npy` or `<case>.output_<j>.npy` for several outputs) and
Fixtures/layer_training/attention_* (three training steps) for EinsumDense, MultiHeadAttention, Attention and
AdditiveAttention, with real Keras 3 (JAX backend).

Not here yet: a Transformer block on Embedding(mask_zero=True) inputs. Keras records the mask its residual Add merges
as `LogicalOr` operations in the graph, which the keras.ops support (another branch) has to provide first.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_attention_fixtures.py
"""
import os
import shutil
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from fixture_cases import save_inference_case, save_training_case  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")
VOCAB = 9


def tokens(rng, n, length):
    """Token ids with trailing padding (0) of random length, and one sample whose first positions are padding too."""
    ids = rng.integers(1, VOCAB, (n, length)).astype("int32")
    for i in range(n):
        ids[i, length - rng.integers(0, length // 2 + 1):] = 0
    ids[0, :1] = 0
    return ids


def floats(rng, n, shape):
    return rng.normal(0, 1, (n,) + shape).astype("float32")


def embedded(length, dim=6):
    ids = keras.Input((length,), dtype="int32")
    return ids, L.Embedding(VOCAB, dim, mask_zero=True)(ids)


def einsum_dense(equation, shape, output_shape, **kw):
    x = keras.Input(shape)
    return keras.Model(x, L.EinsumDense(equation, output_shape, **kw)(x)), [shape]


def mha_self(shape, call=None, **kw):
    x = keras.Input(shape)
    return keras.Model(x, L.MultiHeadAttention(**kw)(x, x, **(call or {}))), [shape]


def mha_cross(value_dim=4, dropout=0.1):
    """A value_dim other than key_dim needs dropout > 0: Keras's fused dot_product_attention path fails on it."""
    q, v, k = keras.Input((4, 6)), keras.Input((5, 6)), keras.Input((5, 7))
    out = L.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=value_dim, output_shape=8, use_bias=False, dropout=dropout)(q, v, key=k)
    return keras.Model([q, v, k], out), [(4, 6), (5, 6), (5, 7)]


def mha_scores(causal):
    x = keras.Input((4, 6))
    out, scores = L.MultiHeadAttention(num_heads=2, key_dim=3)(x, x, return_attention_scores=True, use_causal_mask=causal)
    return keras.Model(x, [out, scores]), [(4, 6)]


def mha_padding(call=None, scores=False):
    ids, x = embedded(5)
    result = L.MultiHeadAttention(num_heads=2, key_dim=3)(x, x, return_attention_scores=scores, **(call or {}))
    out = list(result) if scores else result
    return keras.Model(ids, out), ["ids5"]


def mha_attention_mask():
    x, m = keras.Input((4, 6)), keras.Input((4, 5))
    v = keras.Input((5, 6))
    out = L.MultiHeadAttention(num_heads=2, key_dim=3)(x, v, attention_mask=m)
    return keras.Model([x, v, m], out), [(4, 6), (5, 6), "mask4x5"]


def transformer_block(x, heads=2, key_dim=3, ff=8, causal=False, context=None):
    dim = x.shape[-1]
    attn = L.MultiHeadAttention(num_heads=heads, key_dim=key_dim)(x, x, use_causal_mask=causal)
    x = L.LayerNormalization()(L.Add()([x, attn]))
    if context is not None:
        cross = L.MultiHeadAttention(num_heads=heads, key_dim=key_dim)(x, context)
        x = L.LayerNormalization()(L.Add()([x, cross]))
    ffn = L.Dense(dim)(L.Dense(ff, activation="relu")(x))
    return L.LayerNormalization()(L.Add()([x, ffn]))


def transformer():
    x = keras.Input((4, 6))
    return keras.Model(x, L.Dense(2)(L.GlobalAveragePooling1D()(transformer_block(x, causal=True)))), [(4, 6)]


def transformer_padding():
    """A Transformer block on Embedding(mask_zero=True) tokens: the residual Adds merge the padding masks (Keras
    records them as LogicalOr operations), masked average pooling ends it."""
    ids, x = embedded(5)
    return keras.Model(ids, L.Dense(2)(L.GlobalAveragePooling1D()(transformer_block(x)))), ["ids5"]


def pooled(make, flatten=False):
    """`make()`'s model followed by masked average pooling (or Flatten, which drops the mask: Keras records
    Attention's output mask as a ConvertToTensor operation) and a Dense: the output carries no mask (Keras would
    weight the loss by an output mask)."""
    model, specs = make()
    pool = L.Flatten() if flatten else L.GlobalAveragePooling1D()
    return keras.Model(model.inputs, L.Dense(2)(pool(model.outputs[0]))), specs


def attention_layer(layer, three=False, call=None, scores=False, padding=False):
    if padding:
        qi, q = embedded(4)
        vi, v = embedded(5)
        inputs, specs = [qi, vi], ["ids4", "ids5"]
    else:
        q, v = keras.Input((4, 6)), keras.Input((5, 6))
        inputs, specs = [q, v], [(4, 6), (5, 6)]
    args = [q, v]
    if three:
        k = keras.Input((5, 6))
        inputs, specs, args = inputs + [k], specs + [(5, 6)], args + [k]
    result = layer(args, return_attention_scores=scores, **(call or {}))
    return keras.Model(inputs, list(result) if scores else result), specs


INFERENCE = {
    "einsum_dense_matrix": lambda: einsum_dense("ab,bc->ac", (5,), (4,), bias_axes="c"),
    "einsum_dense_sequence_relu": lambda: einsum_dense("abc,cd->abd", (3, 5), (None, 4), bias_axes="d", activation="relu"),
    "einsum_dense_heads": lambda: einsum_dense("abc,cde->abde", (3, 5), (None, 2, 3), bias_axes="de"),
    "einsum_dense_two_contracted": lambda: einsum_dense("abcd,cde->abe", (3, 2, 4), (None, 5), bias_axes="e"),
    "einsum_dense_left_ellipsis": lambda: einsum_dense("...b,bc->...c", (3, 5), (4,), bias_axes="c"),
    "einsum_dense_right_ellipsis": lambda: einsum_dense("ab...,bc->ac...", (5, 3), (4, 3), bias_axes="c"),
    "einsum_dense_no_bias_transposed": lambda: einsum_dense("abc,dc->adb", (3, 5), (4, 3)),
    "mha_self": lambda: mha_self((4, 6), num_heads=2, key_dim=3),
    "mha_cross_key_value_dim_output_shape": mha_cross,
    "mha_attention_axes_2d": lambda: mha_self((3, 2, 4), num_heads=2, key_dim=2, attention_axes=(1, 2)),
    "mha_attention_axes_last_of_2d": lambda: mha_self((3, 2, 4), num_heads=2, key_dim=2, attention_axes=-2),
    "mha_output_shape_2d": lambda: mha_self((4, 6), num_heads=2, key_dim=3, output_shape=(2, 3)),
    "mha_causal": lambda: mha_self((4, 6), {"use_causal_mask": True}, num_heads=2, key_dim=3),
    "mha_dropout_inference": lambda: mha_self((4, 6), num_heads=2, key_dim=3, dropout=0.3),
    "mha_gate_sliding_window": lambda: mha_self((5, 6), num_heads=2, key_dim=3, use_gate=True, sliding_window=2),
    "mha_scores": lambda: mha_scores(False),
    "mha_scores_causal": lambda: mha_scores(True),
    "mha_padding_mask": lambda: mha_padding(),
    "mha_padding_mask_causal": lambda: mha_padding({"use_causal_mask": True}),
    "mha_padding_mask_scores": lambda: mha_padding(scores=True),
    "mha_attention_mask": mha_attention_mask,
    "transformer_block_causal": transformer,
    "attention_dot": lambda: attention_layer(L.Attention()),
    "attention_scaled_key_scores": lambda: attention_layer(L.Attention(use_scale=True), three=True, scores=True),
    "attention_concat_causal": lambda: attention_layer(L.Attention(score_mode="concat", use_scale=True), call={"use_causal_mask": True}),
    "attention_padding_masks": lambda: attention_layer(L.Attention(), padding=True, call={"use_causal_mask": True}),
    "additive_attention": lambda: attention_layer(L.AdditiveAttention()),
    "additive_attention_unscaled_padding": lambda: attention_layer(L.AdditiveAttention(use_scale=False, dropout=0.2), padding=True),
    "transformer_block_padding": transformer_padding,
}


def make_inputs(rng, specs, n):
    out = []
    for spec in specs:
        if spec == "ids5":
            out.append(tokens(rng, n, 5))
        elif spec == "ids4":
            out.append(tokens(rng, n, 4))
        elif spec == "mask4x5":
            out.append((rng.random((n, 4, 5)) > 0.3).astype("float32"))
        else:
            out.append(floats(rng, n, spec))
    return out


TRAINING = {
    "attention_einsum_dense_sgd": (lambda: einsum_dense("abc,cde->abde", (3, 5), (None, 2, 3), bias_axes="de", activation="tanh"), "sgd"),
    "attention_mha_cross_adam": (lambda: mha_cross(3, 0.0), "adam"),
    "attention_mha_axes_2d_rmsprop": (lambda: mha_self((3, 2, 4), num_heads=2, key_dim=2, attention_axes=(1, 2)), "rmsprop"),
    "attention_mha_padding_causal_sgd": (lambda: pooled(lambda: mha_padding({"use_causal_mask": True})), "momentum"),
    "attention_transformer_causal_sgd": (transformer, "momentum"),
    "attention_concat_scaled_adam": (lambda: attention_layer(L.Attention(score_mode="concat", use_scale=True), three=True), "adam"),
    "attention_additive_padding_adam": (lambda: pooled(lambda: attention_layer(L.AdditiveAttention(), padding=True), flatten=True), "adam"),
    "attention_transformer_padding_sgd": (transformer_padding, "momentum"),
}


def main():
    folder = os.path.join(ROOT, "layers", "attention")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rng = np.random.default_rng(81)
    keras.utils.set_random_seed(81)
    for name, make in INFERENCE.items():
        model, specs = make()
        model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.get_weights()])
        save_inference_case(folder, name, model, make_inputs(rng, specs, 3))
    for old in os.listdir(os.path.join(ROOT, "layer_training")):
        if old.startswith("attention_"):
            shutil.rmtree(os.path.join(ROOT, "layer_training", old))
    for name, (make, optimizer) in TRAINING.items():
        keras.utils.set_random_seed(83)
        model, specs = make()
        # Adam-like optimizers would turn the rounding noise of gradients that are zero in exact arithmetic (the key
        # projection's bias: softmax ignores a per-row shift) into full steps; attention biases train with momentum.
        model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9) if optimizer == "momentum" else optimizer, loss="mse")
        xs = make_inputs(rng, specs, 24)
        shape = model.predict([x[:1] for x in xs] if len(xs) > 1 else xs[0][:1], verbose=0).shape[1:]
        y = rng.normal(0, 1, (24,) + shape).astype("float32")
        save_training_case(os.path.join(ROOT, "layer_training", name), model, xs, y)


if __name__ == "__main__":
    main()
