"""Generates Fixtures/keras2_rnn/ with genuine Keras 2 (tf_keras) HDF5 files of sequence models: LSTM, GRU (both
reset_after values), SimpleRNN, Bidirectional (Keras 2 writes no backward_layer unless a custom one is given),
TimeDistributed, Masking and Embedding(mask_zero=True), RNN over StackedRNNCells (also inside Bidirectional), in
Sequential and Functional models.

    tools/setup_venv_keras2.sh
    TF_USE_LEGACY_KERAS=1 .venv-keras2/bin/python tools/make_keras2_rnn_fixtures.py
"""
import json
import os
import shutil

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402
from tf_keras import layers as L  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "keras2_rnn")
STEPS, FEATURES = 5, 3


def padded(rng, n):
    x = rng.normal(0.2, 1.0, (n, STEPS, FEATURES)).astype("float32")
    x[0, -2:] = 0
    x[1, :1] = 0
    x[2, 2] = 0
    return x


def ids(rng, n):
    x = rng.integers(1, 10, (n, 6))
    x[0, -2:] = 0
    x[1, :2] = 0
    x[2, 3] = 0
    return x.astype("float32")


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(ROOT)
    rng = np.random.default_rng(2017)
    keras.utils.set_random_seed(2017)
    seq = (STEPS, FEATURES)

    def normal(n):
        return rng.normal(0.2, 1.0, (n, STEPS, FEATURES)).astype("float32")

    cases = {
        "lstm_dense": ([L.LSTM(4, input_shape=seq), L.Dense(2)], normal, "LSTM then Dense"),
        "gru_reset_after_then_before": ([L.GRU(4, return_sequences=True, input_shape=seq), L.GRU(3, reset_after=False)], normal,
                                        "GRU reset_after True (bias (2, 3u)) then False"),
        "simple_rnn_backwards_sequences": ([L.SimpleRNN(3, go_backwards=True, return_sequences=True, input_shape=seq)], normal,
                                           "SimpleRNN go_backwards with sequences"),
        "lstm_keras2_hard_sigmoid": ([L.LSTM(3, recurrent_activation="hard_sigmoid", input_shape=seq)], normal,
                                     "Keras 2's hard_sigmoid as the recurrent activation (no Keras 3 equivalent)"),
        "bidirectional_lstm_concat_gru_sum": ([L.Bidirectional(L.LSTM(3, return_sequences=True), input_shape=seq),
                                               L.Bidirectional(L.GRU(2), merge_mode="sum")],
                                              normal, "Bidirectional without backward_layer in the config (concat, sum)"),
        "bidirectional_custom_backward": ([L.Bidirectional(L.LSTM(3), backward_layer=L.GRU(3, go_backwards=True), input_shape=seq)], normal,
                                          "Bidirectional with a custom backward_layer"),
        "time_distributed_dense_lstm": ([L.TimeDistributed(L.Dense(4, activation="relu"), input_shape=seq), L.LSTM(3)], normal,
                                        "TimeDistributed(Dense) then LSTM"),
        "masking_gru_sequences": ([L.Masking(input_shape=seq), L.GRU(3, return_sequences=True), L.Dense(2)], padded,
                                  "Masking: masked steps keep the state"),
        "embedding_mask_zero_lstm": ([L.Embedding(10, 4, mask_zero=True, input_length=6), L.LSTM(3), L.Dense(2)], ids,
                                     "Embedding(mask_zero=True) then LSTM"),
    }
    manifest = []

    def save(name, model, x, note):
        model.save(os.path.join(ROOT, f"{name}.h5"))
        np.save(os.path.join(ROOT, f"{name}.input.npy"), x)
        np.save(os.path.join(ROOT, f"{name}.output.npy"), model.predict(x, verbose=0).astype("float32"))
        manifest.append({"name": name, "pins": note, "keras_version": keras.__version__})

    for name, (stack, make, note) in cases.items():
        model = keras.Sequential(stack)
        model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.weights])
        model.compile(optimizer="adam", loss="mse")
        save(name, model, make(4) if make is normal else make(rng, 4), note)
    # Functional: masks flow implicitly (Keras 2 records no mask arguments).
    tokens = keras.Input((6,))
    t = L.Embedding(10, 4, mask_zero=True)(tokens)
    t = L.Bidirectional(L.LSTM(3, return_sequences=True))(t)
    t = L.TimeDistributed(L.Dense(3))(t)
    model = keras.Model(tokens, L.Dense(2)(L.GRU(3)(t)))
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.weights])
    save("functional_embedding_bidirectional", model, ids(rng, 4), "Functional: Embedding mask through Bidirectional, TimeDistributed, GRU")
    # Stacked cells (after the cases above, which keep their random draws).
    model = keras.Sequential([L.Masking(input_shape=seq), L.RNN([L.LSTMCell(4), L.GRUCell(3)], return_sequences=True),
                              L.Bidirectional(L.RNN([L.SimpleRNNCell(2), L.LSTMCell(3)]))])
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.weights])
    save("masking_stacked_cells_bidirectional", model, padded(rng, 4), "RNN over StackedRNNCells, alone and in Bidirectional, masked")
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
