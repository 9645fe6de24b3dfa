"""Generates Fixtures/layers/rnn_cell/ (inference) and Fixtures/layer_training/rnn_cell_* (three training steps) for
Keras's `RNN` wrapper around the built-in cells (`LSTMCell`, `GRUCell` with `reset_after` true and false,
`SimpleRNNCell`), with real Keras 3 (JAX backend).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_rnn_cell_fixtures.py
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from fixture_cases import save_layer_family  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")

INFERENCE = {
    "rnn_lstm_cell_sequences": ((5, 3), [L.RNN(L.LSTMCell(4), return_sequences=True), L.Dense(2)]),
    "rnn_gru_cell_backwards": ((5, 3), [L.RNN(L.GRUCell(3, reset_after=False), go_backwards=True)]),
    "rnn_gru_cell_reset_after": ((4, 2), [L.RNN(L.GRUCell(3, activation="relu"), return_sequences=True)]),
    "rnn_simple_rnn_cell_masked": ((6, 2), [L.Masking(), L.RNN(L.SimpleRNNCell(3, use_bias=False))]),
}

TRAINING = {
    "rnn_cell_lstm_adam": ((5, 3), [L.RNN(L.LSTMCell(3, recurrent_activation="hard_sigmoid"), return_sequences=True),
                                    L.RNN(L.GRUCell(2)), L.Dense(2)], keras.optimizers.Adam(), "mse"),
}


if __name__ == "__main__":
    save_layer_family(ROOT, "rnn_cell", INFERENCE, TRAINING, seed=91)
