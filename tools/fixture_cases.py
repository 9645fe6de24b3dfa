"""Writing the two kinds of fixture cases the Swift tests read (shared by the fixture generators).

- inference: `<folder>/<name>.keras`, `<name>.input.npy`, `<name>.output.npy` (Keras's predict);
- training: `<case>/initial.keras` (compiled), `x.npy` (or `x_0.npy`, `x_1.npy` … for several inputs), `y.npy`,
  `final.keras` after exactly three optimizer steps of fit(batch_size=8, shuffle=False) on 24 samples, and
  `history.json`.
"""
import json
import os
import shutil

import numpy as np


def save_inference_case(folder, name, model, x):
    """`x` one array, or a list of arrays (one per input: `<name>.input_<j>.npy`); several outputs are saved as
    `<name>.output_<j>.npy`."""
    model.save(os.path.join(folder, f"{name}.keras"))
    xs = x if isinstance(x, list) else [x]
    if len(xs) == 1:
        np.save(os.path.join(folder, f"{name}.input.npy"), xs[0])
    else:
        for j, array in enumerate(xs):
            np.save(os.path.join(folder, f"{name}.input_{j}.npy"), array)
    ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    if isinstance(ys, list):
        for j, y in enumerate(ys):
            np.save(os.path.join(folder, f"{name}.output_{j}.npy"), np.asarray(y).astype("float32"))
    else:
        np.save(os.path.join(folder, f"{name}.output.npy"), ys.astype("float32"))


def save_training_case(case, model, xs, y):
    """`model` compiled; `xs` one array per input; `y` one array, or a list (`y_0.npy` …) / dict (sorted keys) per
    output."""
    shutil.rmtree(case, ignore_errors=True)
    os.makedirs(case)
    model.save(os.path.join(case, "initial.keras"))
    for j, x in enumerate(xs):
        np.save(os.path.join(case, "x.npy" if len(xs) == 1 else f"x_{j}.npy"), x)
    ys = [y[k] for k in sorted(y)] if isinstance(y, dict) else y if isinstance(y, list) else [y]
    for j, t in enumerate(ys):
        np.save(os.path.join(case, "y.npy" if len(ys) == 1 else f"y_{j}.npy"), t)
    history = model.fit(xs if len(xs) > 1 else xs[0], y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert int(model.optimizer.iterations) == 3
    model.save(os.path.join(case, "final.keras"))
    with open(os.path.join(case, "history.json"), "w") as f:
        json.dump({"batch_size": 8, "steps": 3, "history": {k: [float(v) for v in vs] for k, vs in history.history.items()}}, f, indent=1)


def save_layer_family(root, family, inference, training, seed, weights=(0.0, 0.5), inputs=(0.0, 1.0)):
    """`<root>/layers/<family>/` from `inference` ({name: (sample shape, layers)}: a Sequential model with random
    weights drawn from N(weights), predicting 3 samples drawn from N(inputs)), and `<root>/layer_training/<name>/`
    from `training` ({name: (sample shape, layers, optimizer, loss)}: three steps on 24 random samples)."""
    import keras
    folder = os.path.join(root, "layers", family)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rng = np.random.default_rng(seed)
    keras.utils.set_random_seed(seed)
    for name, (shape, stack) in inference.items():
        model = keras.Sequential([keras.Input(shape)] + stack)
        model.set_weights([rng.normal(*weights, w.shape).astype("float32") for w in model.get_weights()])
        save_inference_case(folder, name, model, rng.normal(*inputs, (3,) + shape).astype("float32"))
    for name, (shape, stack, optimizer, loss) in training.items():
        keras.utils.set_random_seed(seed + 2)
        model = keras.Sequential([keras.Input(shape)] + stack)
        model.compile(optimizer=optimizer, loss=loss)
        x = rng.normal(0, 1, (24,) + shape).astype("float32")
        y = rng.normal(0, 1, (24,) + model.output_shape[1:]).astype("float32")
        save_training_case(os.path.join(root, "layer_training", name), model, [x], y)


def save_functional_family(root, family, cases, training, inputs_for, seed, prefix):
    """`<root>/layers/<family>/` from `cases` ({name: function returning a model}: random weights drawn from
    N(0, 0.5), predicting `inputs_for(model, rng, 3)`), and `<root>/layer_training/<prefix><name>_<optimizer>/` from
    `training` ([(case name, optimizer)]: three steps with mse on `inputs_for(model, rng, 24)` and random targets)."""
    import keras
    folder = os.path.join(root, "layers", family)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rng = np.random.default_rng(seed)
    keras.utils.set_random_seed(seed)
    for name, make in cases.items():
        model = make()
        model.name = name
        model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.get_weights()])
        save_inference_case(folder, name, model, inputs_for(model, rng, 3))
    for name, optimizer in training:
        keras.utils.set_random_seed(seed + 2)
        model = cases[name]()
        model.name = name
        model.compile(optimizer=optimizer, loss="mse")
        xs = inputs_for(model, rng, 24)
        y = rng.normal(0, 1, (24,) + tuple(model.output.shape[1:])).astype("float32")
        save_training_case(os.path.join(root, "layer_training", f"{prefix}{name}_{type(optimizer).__name__.lower()}"), model, xs, y)
