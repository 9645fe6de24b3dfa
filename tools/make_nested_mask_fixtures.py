"""Generates Fixtures/nested_masks with real Keras 3 (JAX backend): models that use a Sequential or Functional model
as a layer, with a padding mask crossing the nested model's boundary. Keras hands the mask the nested model's input
carries to its first layers (`Sequential.call` / `Functional.call` with `mask=`), and the nested model's output keeps
the mask its own layers computed, which the next layer (and a masked loss) reads.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_nested_mask_fixtures.py

Each case writes `<case>.keras`, `<case>.input_<i>.npy` per input (padded token ids, mostly padded at the end, every
third row at the start), `<case>.output.npy` (Keras's `predict`) and, when the model's output carries a mask, `<case>.mask.npy` (the
`_keras_mask` of `model(x)`, 1 for kept steps). `manifest.json` lists the cases and what each pins.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402
from keras.src.backend import get_keras_mask  # noqa: E402  (Keras 3 has no public accessor for `_keras_mask`)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "nested_masks")
STEPS, VOCAB, SAMPLES = 6, 10, 6


def padded_ids(rng, n):
    x = rng.integers(1, VOCAB, (n, STEPS)).astype("float32")
    for i in range(n):
        length = int(rng.integers(1, STEPS))
        if i % 3 == 2:
            x[i, :STEPS - length] = 0
        else:
            x[i, length:] = 0
    return x


def embedding_nested_sequential_dense():
    """(a) Embedding(mask_zero) → nested Sequential([LSTM(return_sequences), Dense]) → Dense: the inner LSTM skips the
    padded steps, and the output carries the embedding's mask through the nested model."""
    inner = keras.Sequential([keras.Input((STEPS, 4)), L.LSTM(5, return_sequences=True), L.Dense(3, activation="tanh")],
                             name="inner")
    return keras.Sequential([keras.Input((STEPS,)), L.Embedding(VOCAB, 4, mask_zero=True), inner, L.Dense(2)])


def nested_sequential_then_gru():
    """(a) A nested Sequential without an Input (built on its first call) whose output mask reaches a GRU after it."""
    inner = keras.Sequential([L.LSTM(4, return_sequences=True), L.Dropout(0.3)], name="inner")
    return keras.Sequential([keras.Input((STEPS,)), L.Embedding(VOCAB, 3, mask_zero=True), inner, L.GRU(3), L.Dense(2)])


def functional_in_functional():
    """(b) A Functional model (LSTM → Dense per step) nested in a Functional model: the mask enters the inner model's
    input and leaves on its output, where an outer GRU returning sequences reads it."""
    inner_in = keras.Input((STEPS, 4), name="inner_features")
    inner_out = L.Dense(3)(L.LSTM(5, return_sequences=True)(inner_in))
    inner = keras.Model(inner_in, inner_out, name="inner")
    ids = keras.Input((STEPS,), name="ids")
    hidden = inner(L.Embedding(VOCAB, 4, mask_zero=True)(ids))
    return keras.Model(ids, L.Dense(2)(L.GRU(3, return_sequences=True)(hidden)), name="outer")


def mask_made_inside():
    """(b) The mask is made inside the nested Functional model (its Embedding) and leaves it: the outer LSTM skips the
    padded steps of a model it never saw the ids of."""
    inner_in = keras.Input((STEPS,), name="inner_ids")
    inner = keras.Model(inner_in, L.Dense(4)(L.Embedding(VOCAB, 3, mask_zero=True)(inner_in)), name="encoder")
    ids = keras.Input((STEPS,), name="ids")
    return keras.Model(ids, L.Dense(2)(L.LSTM(3)(inner(ids))), name="outer")


def two_inputs_nested():
    """(b) A nested Functional model with two inputs, called on a list: each input's mask reaches the layer reading it
    (an LSTM on one, a masked GlobalAveragePooling1D on the other)."""
    first, second = keras.Input((STEPS, 4), name="first"), keras.Input((STEPS, 4), name="second")
    merged = L.Add()([L.LSTM(3)(first), L.Dense(3)(L.GlobalAveragePooling1D()(second))])
    inner = keras.Model([first, second], merged, name="inner")
    ids = [keras.Input((STEPS,), name="ids_a"), keras.Input((STEPS,), name="ids_b")]
    embedded = [L.Embedding(VOCAB, 4, mask_zero=True)(i) for i in ids]
    return keras.Model(ids, L.Dense(2)(inner(embedded)), name="outer")


CASES = [
    ("embedding_nested_sequential_dense", embedding_nested_sequential_dense,
     "Embedding(mask_zero) → nested Sequential([LSTM(return_sequences), Dense]) → Dense; the output keeps the mask"),
    ("nested_sequential_then_gru", nested_sequential_then_gru,
     "a nested Sequential built on its first call (LSTM, Dropout) whose output mask a GRU after it reads"),
    ("functional_in_functional", functional_in_functional,
     "a Functional model nested in a Functional model; the mask enters its input and leaves on its output"),
    ("mask_made_inside", mask_made_inside,
     "the mask is made by an Embedding inside the nested Functional model and read by an LSTM outside it"),
    ("two_inputs_nested", two_inputs_nested,
     "a nested Functional model with two inputs called on a list; each input's mask reaches the layer reading it"),
]


def main():
    os.makedirs(ROOT, exist_ok=True)
    keras.utils.set_random_seed(11)
    rng = np.random.default_rng(11)
    manifest = []
    for name, make, pins in CASES:
        model = make()
        x = [padded_ids(rng, SAMPLES) for _ in model.inputs]
        model.save(os.path.join(ROOT, f"{name}.keras"))
        for i, array in enumerate(x):
            np.save(os.path.join(ROOT, f"{name}.input_{i}.npy"), array)
        given = x[0] if len(x) == 1 else x
        np.save(os.path.join(ROOT, f"{name}.output.npy"), model.predict(given, batch_size=4, verbose=0))
        mask = get_keras_mask(model(given))
        if mask is not None:
            np.save(os.path.join(ROOT, f"{name}.mask.npy"), np.asarray(mask).astype("float32"))
        manifest.append({"name": name, "inputs": len(x), "output_mask": mask is not None, "pins": pins})
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
