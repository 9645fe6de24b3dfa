"""Generates Fixtures/masked_losses with real Keras 3 (JAX backend): models whose output carries a mask
(Embedding(mask_zero=True) or Masking → recurrent layer with return_sequences → Dense / TimeDistributed, also inside
a nested Sequential model), trained and evaluated by Keras, which weights each step's loss (and evaluate's metrics) by
that mask.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_masked_loss_fixtures.py

Each `<case>/` folder holds `initial.keras` (compiled, untrained), `x.npy`, `y.npy`, `x_val.npy`, `y_val.npy`
(padded sequences), optionally `sample_weight.npy` / `val_sample_weight.npy` (one weight per sample and step),
Keras's `final.keras` after `fit(batch_size, epochs, validation_data=(x_val, y_val), shuffle=False)`, and
`history.json`: the batch size, epochs, Keras's per-epoch `history` and its `evaluate` of the trained model on the
validation arrays (with `val_sample_weight.npy` when there is one).
"""
import json
import os
import shutil

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L, optimizers as O, losses  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "masked_losses")
STEPS, VOCAB = 7, 12


def padded_ids(rng, n):
    """Token ids in 1..VOCAB-1, each row padded with 0 to a random length (mostly at the end, every third row at the
    start), so each batch has its own number of unmasked steps."""
    x = rng.integers(1, VOCAB, (n, STEPS)).astype("float32")
    for i in range(n):
        length = int(rng.integers(1, STEPS + 1))
        if i % 3 == 2:
            x[i, :STEPS - length] = 0
        else:
            x[i, length:] = 0
    return x


def padded_features(rng, n, features):
    """Feature sequences with the padded steps all 0 (what Masking() masks)."""
    ids = padded_ids(rng, n)
    return (rng.normal(0, 1, (n, STEPS, features)) * (ids != 0)[..., None]).astype("float32")


def save_case(name, model, data, batch_size, epochs, sample_weights=None):
    """`data` = (x, y, x_val, y_val); `sample_weights` = (train, validation) weights per sample and step."""
    case = os.path.join(ROOT, name)
    shutil.rmtree(case, ignore_errors=True)
    os.makedirs(case)
    model.save(os.path.join(case, "initial.keras"))
    x, y, x_val, y_val = data
    for file, array in (("x", x), ("y", y), ("x_val", x_val), ("y_val", y_val)):
        np.save(os.path.join(case, f"{file}.npy"), array)
    sw, val_sw = sample_weights or (None, None)
    if sw is not None:
        np.save(os.path.join(case, "sample_weight.npy"), sw)
        np.save(os.path.join(case, "val_sample_weight.npy"), val_sw)
    history = model.fit(x, y, batch_size=batch_size, epochs=epochs, validation_data=(x_val, y_val), shuffle=False,
                        sample_weight=sw, verbose=0)
    model.save(os.path.join(case, "final.keras"))
    evaluated = model.evaluate(x_val, y_val, batch_size=batch_size, sample_weight=val_sw, verbose=0, return_dict=True)
    with open(os.path.join(case, "history.json"), "w") as f:
        json.dump({"batch_size": batch_size, "epochs": epochs,
                   "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
                   "evaluate": {k: float(v) for k, v in evaluated.items()}}, f, indent=1)


def embedding_lstm(units=5, classes=3, activation="softmax"):
    return keras.Sequential([keras.Input((STEPS,)), L.Embedding(VOCAB, 4, mask_zero=True),
                             L.LSTM(units, return_sequences=True), L.Dense(classes, activation=activation)])


def main():
    keras.utils.set_random_seed(7)
    rng = np.random.default_rng(7)

    # (a, b) sparse cross-entropy over the unmasked steps; fit's metrics (Keras on JAX: unmasked) and validation /
    # evaluate metrics (masked). 24 samples: three full batches per epoch.
    model = embedding_lstm()
    model.compile(optimizer=O.SGD(0.5), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    data = (padded_ids(rng, 24), rng.integers(0, 3, (24, STEPS)).astype("float32"),
            padded_ids(rng, 12), rng.integers(0, 3, (12, STEPS)).astype("float32"))
    save_case("embedding_lstm_sparse_sgd", model, data, batch_size=8, epochs=3)

    # (c) sample weights per sample and step (Keras refuses one weight per sample against a [batch, steps] mask),
    # combined with the mask in the loss and in the weighted metrics; 20 samples: a partial last batch.
    model = embedding_lstm()
    model.compile(optimizer=O.Adam(0.02), loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  weighted_metrics=["accuracy"])
    data = (padded_ids(rng, 20), rng.integers(0, 3, (20, STEPS)).astype("float32"),
            padded_ids(rng, 10), rng.integers(0, 3, (10, STEPS)).astype("float32"))
    weights = (rng.uniform(0.2, 2, (20, STEPS)).astype("float32"), rng.uniform(0.2, 2, (10, STEPS)).astype("float32"))
    save_case("embedding_lstm_sparse_adam_temporal_weights", model, data, batch_size=8, epochs=2, sample_weights=weights)

    # Masking → LSTM → TimeDistributed(Dense): mean squared error and the mae metric over the unmasked steps.
    model = keras.Sequential([keras.Input((STEPS, 3)), L.Masking(), L.LSTM(4, return_sequences=True),
                              L.TimeDistributed(L.Dense(2))])
    model.compile(optimizer=O.RMSprop(0.01), loss="mse", metrics=["mae"])
    data = (padded_features(rng, 24, 3), rng.normal(0, 1, (24, STEPS, 2)).astype("float32"),
            padded_features(rng, 12, 3), rng.normal(0, 1, (12, STEPS, 2)).astype("float32"))
    save_case("masking_lstm_time_distributed_mse", model, data, batch_size=8, epochs=2)

    # A Functional GRU on logits with `ignore_class`: the loss's own mask and the output's mask count together.
    inputs = keras.Input((STEPS,))
    outputs = L.Dense(4)(L.GRU(5, return_sequences=True)(L.Embedding(VOCAB, 3, mask_zero=True)(inputs)))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=O.SGD(0.3, momentum=0.5),
                  loss=losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=3),
                  metrics=["sparse_categorical_accuracy"])
    data = (padded_ids(rng, 16), rng.integers(0, 4, (16, STEPS)).astype("float32"),
            padded_ids(rng, 8), rng.integers(0, 4, (8, STEPS)).astype("float32"))
    save_case("functional_gru_ignore_class_logits", model, data, batch_size=8, epochs=2)

    # A nested Sequential model used as a layer: the Embedding's mask reaches the LSTM inside it, and the nested
    # model's output keeps the mask, so the loss is masked; 16 samples, two batches per epoch.
    inner = keras.Sequential([L.LSTM(5, return_sequences=True), L.Dense(3, activation="softmax")], name="inner")
    model = keras.Sequential([keras.Input((STEPS,)), L.Embedding(VOCAB, 4, mask_zero=True), inner])
    model.compile(optimizer=O.Adam(0.02), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    data = (padded_ids(rng, 16), rng.integers(0, 3, (16, STEPS)).astype("float32"),
            padded_ids(rng, 8), rng.integers(0, 3, (8, STEPS)).astype("float32"))
    save_case("nested_sequential_lstm_sparse_adam", model, data, batch_size=8, epochs=2)


if __name__ == "__main__":
    main()
