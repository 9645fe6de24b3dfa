"""Generates Fixtures/layers/rnn/ (inference) and Fixtures/layer_training/rnn_* (three training steps) for the
recurrent layers (SimpleRNN, LSTM, GRU), masking (Masking, Embedding mask_zero, masked GlobalAveragePooling1D),
Bidirectional and TimeDistributed, with real Keras 3 (JAX backend).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_rnn_fixtures.py
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
STEPS, FEATURES = 5, 3


def sequential_cases():
    """name → (input shape, layers, input kind). Kinds: `normal`; `padded` (some steps all 0: masked by Masking());
    `padded-1` (steps all −1); `ids` (ids 1…9 with 0 as padding, at the end, the start and in the middle)."""
    seq = (STEPS, FEATURES)
    return {
        "simple_rnn_last": (seq, [L.SimpleRNN(4)], "normal"),
        "simple_rnn_sequences_relu_no_bias": (seq, [L.SimpleRNN(4, activation="relu", use_bias=False, return_sequences=True)], "normal"),
        "simple_rnn_backwards_sequences": (seq, [L.SimpleRNN(3, go_backwards=True, return_sequences=True)], "normal"),
        "simple_rnn_recurrent_dropout_inference": (seq, [L.SimpleRNN(3, dropout=0.4, recurrent_dropout=0.3)], "normal"),
        "lstm_last": (seq, [L.LSTM(4)], "normal"),
        "lstm_sequences_backwards": (seq, [L.LSTM(4, return_sequences=True, go_backwards=True)], "normal"),
        "lstm_relu_hard_sigmoid_no_bias": (seq, [L.LSTM(3, activation="relu", recurrent_activation="hard_sigmoid", use_bias=False)], "normal"),
        "lstm_no_unit_forget_bias_unroll": (seq, [L.LSTM(4, unit_forget_bias=False, unroll=True, return_sequences=True)], "normal"),
        "lstm_recurrent_dropout_inference": (seq, [L.LSTM(4, dropout=0.3, recurrent_dropout=0.2)], "normal"),
        "gru_reset_after_sequences": (seq, [L.GRU(4, return_sequences=True)], "normal"),
        "gru_reset_before": (seq, [L.GRU(4, reset_after=False)], "normal"),
        "gru_reset_before_no_bias_backwards": (seq, [L.GRU(3, reset_after=False, use_bias=False, go_backwards=True, return_sequences=True)], "normal"),
        "gru_recurrent_dropout_inference": (seq, [L.GRU(4, recurrent_dropout=0.3, recurrent_activation="tanh")], "normal"),
        "gru_reset_before_recurrent_dropout_inference": (seq, [L.GRU(3, reset_after=False, recurrent_dropout=0.3)], "normal"),
        "stacked_lstm_gru_simple_rnn": (seq, [L.LSTM(5, return_sequences=True), L.GRU(4, return_sequences=True), L.SimpleRNN(3), L.Dense(2)], "normal"),
        "masking_lstm": (seq, [L.Masking(), L.LSTM(4)], "padded"),
        "masking_lstm_sequences_dense": (seq, [L.Masking(), L.LSTM(4, return_sequences=True), L.Dense(2)], "padded"),
        "masking_value_gru_backwards": (seq, [L.Masking(mask_value=-1.0), L.GRU(3, go_backwards=True, return_sequences=True)], "padded-1"),
        "masking_gru_reset_before": (seq, [L.Masking(), L.GRU(3, reset_after=False)], "padded"),
        "masking_simple_rnn_backwards_last": (seq, [L.Masking(), L.SimpleRNN(3, go_backwards=True)], "padded"),
        "masking_zero_output_for_mask": (seq, [L.Masking(), L.LSTM(4, return_sequences=True, zero_output_for_mask=True)], "padded"),
        "masking_dropout_dense_gru": (seq, [L.Masking(), L.Dropout(0.2), L.Dense(4), L.GRU(3)], "padded"),
        "masking_lstm_gap1d": (seq, [L.Masking(), L.LSTM(4, return_sequences=True), L.GlobalAveragePooling1D()], "padded"),
        "embedding_mask_zero_lstm": ((6,), [L.Embedding(10, 4, mask_zero=True), L.LSTM(3)], "ids"),
        "embedding_mask_zero_gap1d": ((6,), [L.Embedding(10, 4, mask_zero=True), L.GlobalAveragePooling1D(), L.Dense(2)], "ids"),
        "embedding_mask_zero_simple_rnn_gap1d": ((6,), [L.Embedding(10, 4, mask_zero=True), L.SimpleRNN(3, return_sequences=True),
                                                        L.GlobalAveragePooling1D()], "ids"),
        "embedding_no_mask_gru": ((6,), [L.Embedding(10, 4), L.GRU(3)], "ids"),
    }


def training_cases():
    """name → (input shape, layers, input kind, optimizer, loss, metrics, classes). No dropout: its random draws
    differ between Keras and Swift."""
    seq = (STEPS, FEATURES)
    sparse = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return {
        "rnn_lstm_adam": (seq, [L.LSTM(4), L.Dense(3)], "normal", keras.optimizers.Adam(0.01), sparse, ["accuracy"], 3),
        "rnn_gru_stack_rmsprop": (seq, [L.GRU(4, return_sequences=True), L.GRU(3, reset_after=False), L.Dense(3)], "normal",
                                  keras.optimizers.RMSprop(0.01), sparse, None, 3),
        "rnn_simple_rnn_backwards_sgd": (seq, [L.SimpleRNN(4, go_backwards=True), L.Dense(3)], "normal",
                                         keras.optimizers.SGD(0.1, momentum=0.9), sparse, ["accuracy"], 3),
        "rnn_masking_lstm_sequences_adam": (seq, [L.Masking(), L.LSTM(4, return_sequences=True), L.GlobalAveragePooling1D(), L.Dense(3)],
                                            "padded", keras.optimizers.Adam(0.01), sparse, None, 3),
        "rnn_embedding_mask_gru_adam": ((6,), [L.Embedding(10, 4, mask_zero=True), L.GRU(4), L.Dense(3)], "ids",
                                        keras.optimizers.Adam(0.01), sparse, ["accuracy"], 3),
    }


def functional_cases():
    """name → (input shape, function from the input tensor to the output tensor, input kind). Keras 3 records
    the masks of a Functional graph explicitly (`mask=` keyword arguments fed by NotEqual / Any operations)."""
    seq = (STEPS, FEATURES)

    def two_branches(x):
        e = L.Embedding(10, 4, mask_zero=True)(x)
        return L.Dense(2)(L.Concatenate()([L.LSTM(3)(e), L.GRU(3, go_backwards=True)(e)]))

    return {
        "functional_masking_lstm_stack": (seq, lambda x: L.Dense(2)(L.LSTM(3)(L.LSTM(4, return_sequences=True)(L.Masking()(x)))), "padded"),
        "functional_embedding_mask_gru_gap1d": ((6,), lambda x: L.Dense(2)(L.GlobalAveragePooling1D()(
            L.GRU(4, return_sequences=True)(L.Embedding(10, 4, mask_zero=True)(x)))), "ids"),
        "functional_embedding_mask_two_branches": ((6,), two_branches, "ids"),
        "functional_masking_dense_simple_rnn": (seq, lambda x: L.SimpleRNN(3, return_sequences=True)(L.Dense(4)(L.Masking()(x))), "padded"),
    }


def functional_training_cases():
    sparse = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return {
        "rnn_functional_embedding_mask_lstm_adam": ((6,), lambda x: L.Dense(3)(L.LSTM(4)(L.Embedding(10, 4, mask_zero=True)(x))), "ids",
                                                    keras.optimizers.Adam(0.01), sparse, ["accuracy"], 3),
    }


def wrapper_cases():
    """Bidirectional and TimeDistributed: name → (input shape, layers, input kind)."""
    seq = (STEPS, FEATURES)
    B = L.Bidirectional
    return {
        "bidirectional_lstm_concat": (seq, [B(L.LSTM(3))], "normal"),
        "bidirectional_gru_sum_sequences": (seq, [B(L.GRU(3, return_sequences=True), merge_mode="sum")], "normal"),
        "bidirectional_simple_rnn_mul_sequences": (seq, [B(L.SimpleRNN(3, return_sequences=True), merge_mode="mul")], "normal"),
        "bidirectional_lstm_ave": (seq, [B(L.LSTM(3), merge_mode="ave")], "normal"),
        "bidirectional_custom_backward_gru": (seq, [B(L.LSTM(3, return_sequences=True),
                                                      backward_layer=L.GRU(2, return_sequences=True, go_backwards=True))], "normal"),
        "masking_bidirectional_stack": (seq, [L.Masking(), B(L.LSTM(3, return_sequences=True)), B(L.GRU(2))], "padded"),
        "masking_bidirectional_sequences_ave": (seq, [L.Masking(), B(L.GRU(3, return_sequences=True), merge_mode="ave")], "padded"),
        "embedding_mask_bidirectional_gru": ((6,), [L.Embedding(10, 4, mask_zero=True), B(L.GRU(3)), L.Dense(2)], "ids"),
        "time_distributed_dense": (seq, [L.TimeDistributed(L.Dense(4))], "normal"),
        "time_distributed_dense_relu_lstm": (seq, [L.TimeDistributed(L.Dense(4, activation="relu")), L.LSTM(3)], "normal"),
        "time_distributed_conv2d_flatten_lstm": ((3, 5, 5, 2), [L.TimeDistributed(L.Conv2D(3, 3)), L.TimeDistributed(L.Flatten()), L.LSTM(3)], "normal"),
        "masking_time_distributed_lstm": (seq, [L.Masking(), L.TimeDistributed(L.Dense(3)), L.LSTM(3)], "padded"),
    }


def wrapper_training_cases():
    sparse = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return {
        "rnn_bidirectional_time_distributed_adam": ((STEPS, FEATURES), [L.Bidirectional(L.LSTM(3, return_sequences=True)), L.TimeDistributed(L.Dense(2)),
                                                    L.Flatten(), L.Dense(3)], "normal", keras.optimizers.Adam(0.01), sparse, ["accuracy"], 3),
        "rnn_masking_bidirectional_gru_rmsprop": ((STEPS, FEATURES), [L.Masking(), L.Bidirectional(L.GRU(3), merge_mode="sum"), L.Dense(3)], "padded",
                                                  keras.optimizers.RMSprop(0.01), sparse, None, 3),
    }


def make_input(kind, shape, rng, n):
    if kind == "ids":
        ids = rng.integers(1, 10, (n,) + shape)
        for i in range(n):
            pattern = i % 4
            if pattern == 0:
                ids[i, -2:] = 0            # padding at the end
            elif pattern == 1:
                ids[i, :2] = 0             # padding at the start
            elif pattern == 2:
                ids[i, 2] = 0              # one masked step in the middle
        return ids.astype("float32")
    x = rng.normal(0.2, 1.0, (n,) + shape).astype("float32")
    if kind.startswith("padded"):
        value = -1.0 if kind == "padded-1" else 0.0
        for i in range(n):
            pattern = i % 4
            if pattern == 0:
                x[i, -2:, :] = value
            elif pattern == 1:
                x[i, :1, :] = value
            elif pattern == 2:
                x[i, 2, :] = value
        x[0, 1, 0] = value                 # one feature equal to the mask value does not mask the step
    return x


def randomize(model, rng):
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.weights])


def main():
    folder = os.path.join(ROOT, "layers", "rnn")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rng = np.random.default_rng(61)
    keras.utils.set_random_seed(61)
    for name, (shape, stack, kind) in sequential_cases().items():
        model = keras.Sequential([keras.Input(shape)] + stack)
        randomize(model, rng)
        save_inference_case(folder, name, model, make_input(kind, shape, rng, 4))
    for name, (shape, stack, kind, optimizer, loss, metrics, classes) in training_cases().items():
        keras.utils.set_random_seed(67)
        model = keras.Sequential([keras.Input(shape)] + stack)
        randomize(model, rng)
        model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
        x = make_input(kind, shape, rng, 24)
        y = rng.integers(0, classes, 24).astype("float32")
        save_training_case(os.path.join(ROOT, "layer_training", name), model, [x], y)
    rng = np.random.default_rng(71)
    keras.utils.set_random_seed(71)
    for name, (shape, build, kind) in functional_cases().items():
        inputs = keras.Input(shape)
        model = keras.Model(inputs, build(inputs))
        randomize(model, rng)
        save_inference_case(folder, name, model, make_input(kind, shape, rng, 4))
    for name, (shape, build, kind, optimizer, loss, metrics, classes) in functional_training_cases().items():
        inputs = keras.Input(shape)
        model = keras.Model(inputs, build(inputs))
        randomize(model, rng)
        model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
        x = make_input(kind, shape, rng, 24)
        y = rng.integers(0, classes, 24).astype("float32")
        save_training_case(os.path.join(ROOT, "layer_training", name), model, [x], y)
    rng = np.random.default_rng(73)
    keras.utils.set_random_seed(73)
    for name, (shape, stack, kind) in wrapper_cases().items():
        model = keras.Sequential([keras.Input(shape)] + stack)
        randomize(model, rng)
        save_inference_case(folder, name, model, make_input(kind, shape, rng, 4))
    for name, (shape, stack, kind, optimizer, loss, metrics, classes) in wrapper_training_cases().items():
        model = keras.Sequential([keras.Input(shape)] + stack)
        randomize(model, rng)
        model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
        x = make_input(kind, shape, rng, 24)
        y = rng.integers(0, classes, 24).astype("float32")
        save_training_case(os.path.join(ROOT, "layer_training", name), model, [x], y)


if __name__ == "__main__":
    main()
