"""Cross-checks the Swift `keras` tool against real Python Keras on random sequence models the fixtures never saw:
SimpleRNN / LSTM / GRU stacks with random options, RNN over StackedRNNCells of mixed cells (final states handed to the
next layer's initial_state, also from a Bidirectional layer returning states), Bidirectional (every merge mode, sometimes a
custom backward layer), TimeDistributed, and masks from Masking or Embedding(mask_zero=True), as Sequential or
Functional models; some return a sequence (one prediction per step, class ids per step as targets), so that with a
mask Keras's masked loss decides the training.

For each model Python Keras saves it, then:
  1. `keras predict` (Swift) must match Keras's predict within rtol=1e-4, atol=1e-5;
  2. `keras convert` (Swift load → save) must give a file Python Keras loads and that predicts the same;
  3. for compiled models, `keras fit` (Swift, one epoch of 4 steps, no shuffling) must give a file Python loads,
     whose predictions match the same model trained by Keras from the same file, and that Python trains further.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/crosscheck_sequences.py [--count 16] [--seed 0] [--keras .build/debug/keras]
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from crosscheck_common import check_against_keras, main  # noqa: E402

ACTIVATIONS = ["tanh", "relu", "sigmoid", "linear", "softsign"]


def pick(rng, items):
    return items[int(rng.integers(0, len(items)))]


CELLS = {L.SimpleRNN: L.SimpleRNNCell, L.LSTM: L.LSTMCell, L.GRU: L.GRUCell}


def cell_options(rng, kind):
    """Random options of a SimpleRNN, LSTM or GRU layer or cell."""
    options = {"use_bias": bool(rng.random() > 0.2)}
    if rng.random() < 0.3:
        options["activation"] = pick(rng, ACTIVATIONS)
    if kind is not L.SimpleRNN and rng.random() < 0.3:
        options["recurrent_activation"] = pick(rng, ["sigmoid", "hard_sigmoid", "tanh"])
    if kind is L.LSTM:
        options["unit_forget_bias"] = bool(rng.random() > 0.3)
    if kind is L.GRU:
        options["reset_after"] = bool(rng.random() > 0.4)
    return options


def recurrent(rng, return_sequences, units=None, go_backwards=None, kind=None, return_state=False):
    """A random SimpleRNN, LSTM or GRU with random options, or (kind "stacked", or a list of (layer kind, units)) an
    RNN over StackedRNNCells of such cells, the last one of `units` units."""
    kind = kind or pick(rng, [L.SimpleRNN, L.LSTM, L.GRU, "stacked"])
    options = {"return_sequences": return_sequences, "return_state": return_state, "go_backwards": bool(rng.random() < 0.3) if go_backwards is None else go_backwards,
               "unroll": bool(rng.random() < 0.2)}
    units = units or int(rng.integers(2, 6))
    if kind == "stacked":
        kind = stack_kinds(rng, units)
    if isinstance(kind, list):
        return L.RNN(L.StackedRNNCells([CELLS[k](n, **cell_options(rng, k)) for k, n in kind]), **options)
    return kind(units, **options, **cell_options(rng, kind))


def stack_kinds(rng, units):
    """Two or three (layer kind, units) pairs for stacked cells, the last of `units` units."""
    count = int(rng.integers(2, 4))
    return [(pick(rng, list(CELLS)), units if i == count - 1 else int(rng.integers(2, 6))) for i in range(count)]


def block(rng, return_sequences):
    """A recurrent layer, sometimes wrapped in Bidirectional."""
    if rng.random() < 0.35:
        merge = pick(rng, ["concat", "sum", "mul", "ave"])
        units = int(rng.integers(2, 5))
        custom = rng.random() < 0.3
        # Keras copies the forward layer with go_backwards=True unless a backward layer is given.
        forward = recurrent(rng, return_sequences, units, go_backwards=None if custom else False)
        backward = None
        if custom:  # a custom backward layer, maybe of another kind; Keras sizes the merge from the forward layer's units
            backward = recurrent(rng, return_sequences, units, go_backwards=not forward.go_backwards)
        return L.Bidirectional(forward, merge_mode=merge, backward_layer=backward)
    return recurrent(rng, return_sequences)


def sequence_model(rng):
    """Returns (model, input spec): ("ids", length, vocab) or (steps, features)."""
    masked = rng.random() < 0.5
    ids = rng.random() < 0.4
    steps = int(rng.integers(2, 7))
    if ids:
        vocab = int(rng.integers(5, 15))
        spec = ("ids", steps, vocab)
        inp = keras.Input((steps,))
        x = L.Embedding(vocab, int(rng.integers(2, 5)), mask_zero=masked)(inp)
    else:
        features = int(rng.integers(1, 5))
        spec = ("masked" if masked else "normal", steps, features)
        inp = keras.Input((steps, features))
        x = L.Masking()(inp) if masked else inp
    handoff = rng.random() < 0.3   # final states of one recurrent layer start the next (return_state, initial_state)
    if handoff:
        kind, units = pick(rng, [L.SimpleRNN, L.LSTM, L.GRU, "stacked"]), int(rng.integers(2, 5))
        kind = stack_kinds(rng, units) if kind == "stacked" else kind
        if rng.random() < 0.4:   # Bidirectional: [output, *forward states, *backward states]
            x, *states = L.Bidirectional(recurrent(rng, True, units, kind=kind, go_backwards=False, return_state=True))(x)
            x = L.Bidirectional(recurrent(rng, True, units, kind=kind, go_backwards=False))(x, initial_state=states)
        else:
            x, *states = recurrent(rng, True, units, kind=kind, return_state=True)(x)
            x = recurrent(rng, True, units, kind=kind)(x, initial_state=states)
    for _ in range(int(rng.integers(0, 3))):
        kind = pick(rng, ["rnn", "rnn", "td", "dense", "dropout"])
        if kind == "rnn":
            x = block(rng, True)(x)
        elif kind == "td":
            x = L.TimeDistributed(L.Dense(int(rng.integers(2, 5)), activation=pick(rng, ACTIVATIONS)))(x)
        elif kind == "dense":
            x = L.Dense(int(rng.integers(2, 5)))(x)
        else:
            x = L.Dropout(0.2)(x)
    per_step = rng.random() < 0.3   # the output is a sequence: its mask (if any) weights the loss
    if per_step:
        x = block(rng, True)(x)
    elif rng.random() < 0.3:
        x = L.GlobalAveragePooling1D()(block(rng, True)(x))
    else:
        x = block(rng, False)(x)
    out = L.Dense(int(rng.integers(2, 4)))(x)
    functional = keras.Model(inp, out)
    if handoff or rng.random() < 0.5:
        return functional, spec
    return keras.Sequential([keras.Input(inp.shape[1:])] + functional.layers[1:]), spec


def make_input(spec, rng, n):
    kind, steps, size = spec
    if kind == "ids":
        x = rng.integers(1, size, (n, steps))
        for i in range(n):  # padding at the end, the start or in the middle
            x[i, rng.integers(0, steps, int(rng.integers(0, steps)))] = 0
        return x.astype("float32")
    x = rng.normal(0, 1.2, (n, steps, size)).astype("float32")
    if kind == "masked":
        for i in range(n):
            x[i, rng.integers(0, steps, int(rng.integers(0, steps)))] = 0
    return x


def check(index, rng, keras_bin, folder):
    model, spec = sequence_model(rng)
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.weights])
    compiled = rng.random() < 0.6
    if compiled:
        model.compile(optimizer=pick(rng, ["adam", "rmsprop"]), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    base = os.path.join(folder, f"s{index}")
    model.save(base + ".keras")
    x = make_input(spec, rng, 16)
    y = rng.integers(0, model.output_shape[-1], (16,) + tuple(model.output_shape[1:-1])).astype("float32") if compiled else None
    uses_dropout = any(isinstance(layer, L.Dropout) for layer in model.layers)   # Keras's draws differ from Swift's
    check_against_keras(model, [x], y, base, keras_bin, compare_training=not uses_dropout)
    names = " → ".join(layer.__class__.__name__ for layer in model.layers if not isinstance(layer, L.InputLayer))
    per_step = " per step" if len(model.output_shape) > 2 else ""
    masked = any(getattr(layer, "mask_zero", False) or isinstance(layer, L.Masking) for layer in model.layers)
    return f"{type(model).__name__}: {names}" + (f" (compiled{per_step}{', masked' if masked else ''})" if compiled else "")


if __name__ == "__main__":
    main(check, default_count=16)
