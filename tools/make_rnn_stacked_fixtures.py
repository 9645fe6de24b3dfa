"""Generates Fixtures/layers/rnn_stacked/ (inference) and Fixtures/layer_training/rnn_stacked_* and rnn_bidirectional_* (three training steps)
with real Keras 3 (JAX backend) for
- `keras.layers.RNN` over `StackedRNNCells` (LSTMCell, GRUCell, SimpleRNNCell, mixed): sequences, go_backwards,
  masking, `return_state` (the states flattened per cell) and nested `initial_state`;
- `Bidirectional` with `return_state=True` (`[output, *forward_states, *backward_states]`, an encoder-decoder whose
  concatenated states start the decoder) and with `initial_state` (the list split in half).
Models with several values have one output (states concatenated with the outputs) so every value is compared.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_rnn_stacked_fixtures.py
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from fixture_cases import save_functional_family  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")


def stacked_sequences():
    x = keras.Input((5, 3))
    y = L.RNN([L.LSTMCell(4), L.GRUCell(3)], return_sequences=True)(x)
    return keras.Model(x, L.Dense(2)(y))


def stacked_three_backwards():
    x = keras.Input((6, 2))
    cells = L.StackedRNNCells([L.SimpleRNNCell(3), L.LSTMCell(4, recurrent_activation="hard_sigmoid"),
                               L.GRUCell(2, reset_after=False)])
    return keras.Model(x, L.RNN(cells, go_backwards=True)(x))


def stacked_masked_states():
    """Padding masked by Embedding(mask_zero=True): every cell's states stop changing at the padding."""
    tokens = keras.Input((6,))
    embedded = L.Embedding(7, 3, mask_zero=True)(tokens)
    sequence, (h1, c1), h2 = L.RNN([L.LSTMCell(4), L.GRUCell(4)], return_sequences=True, return_state=True)(embedded)
    return keras.Model(tokens, L.Concatenate(axis=1)([sequence] + [L.Reshape((1, 4))(s) for s in (h1, c1, h2)]))


def stacked_masked_backwards():
    tokens = keras.Input((6,))
    embedded = L.Embedding(7, 3, mask_zero=True)(tokens)
    output, h1, h2 = L.RNN([L.GRUCell(3), L.SimpleRNNCell(3)], go_backwards=True, return_state=True)(embedded)
    return keras.Model(tokens, L.Concatenate()([output, h1, h2]))


def stacked_initial_state():
    """A stack started from another stack's final states (`initial_state=[[h, c], g]`)."""
    x, y = keras.Input((5, 3)), keras.Input((4, 2))
    _, (h, c), g = L.RNN([L.LSTMCell(4), L.GRUCell(3)], return_state=True)(x)
    decoded = L.RNN([L.LSTMCell(4), L.GRUCell(3)], return_sequences=True)(y, initial_state=[[h, c], g])
    return keras.Model([x, y], L.Dense(2)(decoded))


def bidirectional_stacked():
    x = keras.Input((5, 3))
    y = L.Bidirectional(L.RNN([L.LSTMCell(3), L.SimpleRNNCell(2)], return_sequences=True))(x)
    return keras.Model(x, L.Dense(2)(y))


def bidirectional_encoder_decoder():
    """Bidirectional(LSTM(return_state=True)): the two directions' h and c concatenated start a decoder LSTM."""
    encoder_inputs, decoder_inputs = keras.Input((5, 3)), keras.Input((4, 2))
    _, fh, fc, bh, bc = L.Bidirectional(L.LSTM(4, return_state=True))(encoder_inputs)
    h, c = L.Concatenate()([fh, bh]), L.Concatenate()([fc, bc])
    decoded = L.LSTM(8, return_sequences=True)(decoder_inputs, initial_state=[h, c])
    return keras.Model([encoder_inputs, decoder_inputs], L.Dense(3)(decoded))


def bidirectional_gru_masked_states():
    tokens = keras.Input((6,))
    embedded = L.Embedding(7, 3, mask_zero=True)(tokens)
    sequence, forward, backward = L.Bidirectional(L.GRU(3, return_sequences=True, return_state=True), merge_mode="sum")(embedded)
    return keras.Model(tokens, L.Concatenate(axis=1)([sequence, L.Reshape((1, 3))(forward), L.Reshape((1, 3))(backward)]))


def bidirectional_initial_state():
    """initial_state=[forward h, forward c, backward h, backward c], computed from a second input."""
    x, condition = keras.Input((5, 3)), keras.Input((2,))
    states = [L.Dense(3, activation="tanh")(condition) for _ in range(4)]
    output, *final = L.Bidirectional(L.LSTM(3, return_state=True), merge_mode="mul")(x, initial_state=states)
    return keras.Model([x, condition], L.Concatenate()([output] + final))


def bidirectional_stacked_states():
    """Bidirectional over stacked cells returning states ([[h, c], g] per direction) that start a second one."""
    x = keras.Input((5, 3))
    sequence, *states = L.Bidirectional(L.RNN([L.LSTMCell(3), L.GRUCell(2)], return_sequences=True, return_state=True))(x)
    output = L.Bidirectional(L.RNN([L.LSTMCell(3), L.GRUCell(2)]), merge_mode="ave")(sequence, initial_state=states)
    return keras.Model(x, output)


CASES = {
    "stacked_sequences": stacked_sequences,
    "stacked_three_backwards": stacked_three_backwards,
    "stacked_masked_states": stacked_masked_states,
    "stacked_masked_backwards": stacked_masked_backwards,
    "stacked_initial_state": stacked_initial_state,
    "bidirectional_stacked": bidirectional_stacked,
    "bidirectional_encoder_decoder": bidirectional_encoder_decoder,
    "bidirectional_gru_masked_states": bidirectional_gru_masked_states,
    "bidirectional_initial_state": bidirectional_initial_state,
    "bidirectional_stacked_states": bidirectional_stacked_states,
}

# Trained models whose output carries no mask (a masked sequence output would make Keras mask the loss).
TRAINING = (("stacked_sequences", keras.optimizers.Adam()), ("stacked_masked_backwards", keras.optimizers.SGD()),
            ("stacked_initial_state", keras.optimizers.RMSprop()), ("bidirectional_encoder_decoder", keras.optimizers.Adam()),
            ("bidirectional_initial_state", keras.optimizers.RMSprop()))


def inputs_for(model, rng, batch):
    xs = []
    for tensor in model.inputs:
        shape = (batch,) + tuple(tensor.shape[1:])
        if len(shape) == 2 and shape[1] == 6:   # tokens, padded at the end
            x = rng.integers(1, 7, shape).astype("float32")
            for row, length in enumerate(rng.integers(1, 7, batch)):
                x[row, length:] = 0
            xs.append(x)
        else:
            xs.append(rng.normal(0, 1, shape).astype("float32"))
    return xs


def main():
    save_functional_family(ROOT, "rnn_stacked", CASES, TRAINING, inputs_for, seed=81, prefix="rnn_")


if __name__ == "__main__":
    main()
