"""Generates Fixtures/layers/rnn_state/ (inference) and Fixtures/layer_training/rnn_state_* (three training steps)
for recurrent layers called with `initial_state` and returning their states (`return_state=True`): encoder-decoder
LSTMs, GRU and SimpleRNN states (backwards, masked), and initial states computed by other layers — with real
Keras 3 (JAX backend). Each model has one output (states concatenated with the outputs) so every value is compared.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_rnn_state_fixtures.py
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from fixture_cases import save_functional_family  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")


def lstm_seq2seq():
    """keras.io's lstm_seq2seq: the encoder's final (h, c) start the decoder."""
    encoder_inputs, decoder_inputs = keras.Input((5, 3)), keras.Input((4, 2))
    _, h, c = L.LSTM(6, return_state=True)(encoder_inputs)
    decoded = L.LSTM(6, return_sequences=True)(decoder_inputs, initial_state=[h, c])
    return keras.Model([encoder_inputs, decoder_inputs], L.Dense(3)(decoded))


def gru_sequences_and_state():
    x = keras.Input((5, 3))
    sequence, h = L.GRU(4, return_sequences=True, return_state=True, reset_after=False)(x)
    return keras.Model(x, L.Concatenate(axis=1)([sequence, L.Reshape((1, 4))(h)]))


def simple_rnn_backwards_state():
    x = keras.Input((6, 2))
    output, h = L.SimpleRNN(3, go_backwards=True, return_state=True)(x)
    return keras.Model(x, L.Concatenate()([output, h]))


def masked_lstm_states():
    """Padding (zeros) masked by Embedding(mask_zero=True): the states stop changing at the padding."""
    tokens = keras.Input((6,))
    embedded = L.Embedding(7, 4, mask_zero=True)(tokens)
    output, h, c = L.LSTM(3, return_state=True)(embedded)
    return keras.Model(tokens, L.Concatenate()([output, h, c]))


def gru_state_from_dense():
    """An initial state computed from a second input (a conditioned decoder)."""
    x, condition = keras.Input((5, 3)), keras.Input((2,))
    h0 = L.Dense(4, activation="tanh")(condition)
    sequence = L.GRU(4, return_sequences=True)(x, initial_state=h0)
    return keras.Model([x, condition], sequence)


def stacked_states():
    """States passed along a stack: each layer starts from the previous layer's final states."""
    x = keras.Input((5, 3))
    sequence, h, c = L.LSTM(4, return_sequences=True, return_state=True)(x)
    sequence, h2, c2 = L.LSTM(4, return_sequences=True, return_state=True, go_backwards=True)(sequence, initial_state=[h, c])
    return keras.Model(x, L.Concatenate(axis=1)([sequence, L.Reshape((1, 4))(h2), L.Reshape((1, 4))(c2)]))


CASES = {
    "lstm_seq2seq": lstm_seq2seq,
    "gru_sequences_and_state": gru_sequences_and_state,
    "simple_rnn_backwards_state": simple_rnn_backwards_state,
    "masked_lstm_states": masked_lstm_states,
    "gru_state_from_dense": gru_state_from_dense,
    "stacked_states": stacked_states,
}


def inputs_for(model, rng, batch):
    xs = []
    for tensor in model.inputs:
        shape = (batch,) + tuple(tensor.shape[1:])
        if len(shape) == 2 and shape[1] == 6 and "masked" in model.name:
            x = rng.integers(1, 7, shape).astype("float32")
            for row, length in enumerate(rng.integers(2, 7, batch)):
                x[row, length:] = 0   # padding at the end
            xs.append(x)
        else:
            xs.append(rng.normal(0, 1, shape).astype("float32"))
    return xs


def main():
    training = (("lstm_seq2seq", keras.optimizers.Adam()), ("stacked_states", keras.optimizers.RMSprop()),
                ("masked_lstm_states", keras.optimizers.SGD(0.1, momentum=0.9)))
    save_functional_family(ROOT, "rnn_state", CASES, training, inputs_for, seed=71, prefix="rnn_state_")


if __name__ == "__main__":
    main()
