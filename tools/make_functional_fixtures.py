"""Generates Fixtures/functional/ (Functional graphs) with real Keras 3 (JAX backend).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_functional_fixtures.py

Inference cases: `<case>.keras`, `<case>.input_<i>.npy` (one per model input, in order), `<case>.output_<j>.npy`
(Keras's predict, one per output). Training cases (`Fixtures/functional/training/<case>/`): `initial.keras`
(compiled), `x_<i>.npy`, `y.npy`, `final.keras` after three optimizer steps of fit(batch_size=8, shuffle=False),
`history.json`.
"""
import json
import os
import shutil
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from antirectifier import Antirectifier  # noqa: E402
from fixture_cases import save_training_case  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "functional")


def randomize(model, rng):
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.get_weights()])


def save_case(name, model, xs, manifest, pins):
    model.save(os.path.join(ROOT, f"{name}.keras"))
    for i, x in enumerate(xs):
        np.save(os.path.join(ROOT, f"{name}.input_{i}.npy"), x.astype("float32"))
    outs = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    outs = outs if isinstance(outs, (list, tuple)) else [outs]
    for j, y in enumerate(outs):
        np.save(os.path.join(ROOT, f"{name}.output_{j}.npy"), np.asarray(y).astype("float32"))
    manifest.append({"name": name, "inputs": len(xs), "outputs": len(outs),
                     "layers": [l.name for l in model.layers], "pins": pins})


def residual(rng):
    inp = keras.Input((6,), name="features")
    h = layers.Dense(6, activation="relu")(inp)
    h = layers.Dense(6)(h)
    out = layers.Activation("tanh")(layers.Add()([h, inp]))
    return keras.Model(inp, layers.Dense(3)(out)), [rng.normal(0, 1, (8, 6))]


def two_inputs(rng):
    a = keras.Input((5,), name="left")
    b = keras.Input((3,), name="right")
    x = layers.Concatenate()([layers.Dense(4, activation="elu")(a), b])
    return keras.Model([a, b], layers.Dense(2, activation="softmax")(x)), [rng.normal(0, 1, (8, 5)), rng.normal(0, 1, (8, 3))]


def shared_layer(rng):
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    shared = layers.Dense(4, activation="tanh", name="shared")
    x = layers.Subtract()([shared(a), shared(b)])
    return keras.Model([a, b], layers.Dense(1)(x)), [rng.normal(0, 1, (8, 4)), rng.normal(0, 1, (8, 4))]


def merges(rng):
    a = keras.Input((4,))
    b = keras.Input((4,))
    c = keras.Input((4,))
    outs = [layers.Multiply()([a, b, c]), layers.Average()([a, b, c]), layers.Maximum()([a, b, c]),
            layers.Minimum()([a, b]), layers.Concatenate(axis=1)([a, b])]
    return keras.Model([a, b, c], layers.Concatenate()(outs)), [rng.normal(0, 1, (8, 4)) for _ in range(3)]


def two_outputs(rng):
    inp = keras.Input((6,))
    h = Antirectifier()(layers.Dense(8)(inp))
    return keras.Model(inp, [layers.Dense(3, name="head_a")(h), layers.Dense(2, activation="sigmoid", name="head_b")(h)]), [rng.normal(0, 1, (8, 6))]


def nested_sequential(rng):
    inner = keras.Sequential([keras.Input((6,)), layers.Dense(5, activation="relu"), layers.Dense(4)], name="inner")
    inp = keras.Input((6,))
    x = layers.Add()([inner(inp), layers.Dense(4)(inp)])
    return keras.Model(inp, layers.Dense(2)(x)), [rng.normal(0, 1, (8, 6))]


def diamond(rng):
    """Branches of different lengths: the layer order depends on Keras's depth rule."""
    inp = keras.Input((5,))
    long = layers.Dense(5, name="long_c")(layers.Dense(5, name="long_b")(layers.Dense(5, name="long_a")(inp)))
    short = layers.Dense(5, name="short")(inp)
    mid = layers.Dense(5, name="mid_b")(layers.Dense(5, name="mid_a")(inp))
    return keras.Model(inp, layers.Add()([short, long, mid])), [rng.normal(0, 1, (8, 5))]


def double_it(x):
    return x * 2.0


def make_lambda(folder):
    """Lambda layers (Python code Swift never runs: the tests register Swift bodies under these names)."""
    from keras import ops
    os.makedirs(folder)
    rng = np.random.default_rng(9)
    inp = keras.Input((4,))
    x = layers.Lambda(lambda t: ops.square(t), name="squared")(layers.Dense(4)(inp))
    x = layers.Lambda(double_it, output_shape=(4,))(x)
    x = layers.Lambda(lambda t, k: t + k, arguments={"k": 3.0}, name="plus_k")(x)
    pair = layers.Lambda(lambda ts: ts[0] * ts[1], name="product")([x, inp])
    model = keras.Model(inp, layers.Dense(2)(pair))
    randomize(model, rng)
    x = rng.normal(0, 1, (8, 4)).astype("float32")
    model.save(os.path.join(folder, "lambdas.keras"))
    np.save(os.path.join(folder, "lambdas.input.npy"), x)
    np.save(os.path.join(folder, "lambdas.output.npy"), model.predict(x, verbose=0))


def make_multi_output_training(folder, rng, n):
    """Two outputs with a loss each, loss weights and per-output metrics; as a list and as a dict of outputs."""
    x = rng.normal(0, 1, (n, 5)).astype("float32")
    regression = rng.normal(0, 1, (n, 2)).astype("float32")
    labels = (rng.random((n, 1)) > 0.5).astype("float32")
    for as_dict in (False, True):
        keras.utils.set_random_seed(300 + as_dict)
        inp = keras.Input((5,))
        h = Antirectifier()(layers.Dense(6, activation="tanh")(inp))
        a = layers.Dense(2, name="reg")(h)
        b = layers.Dense(1, activation="sigmoid", name="cls")(h)
        if as_dict:
            model = keras.Model(inp, {"reg": a, "cls": b})
            model.compile(optimizer=keras.optimizers.Adam(0.01), loss={"reg": "mse", "cls": "binary_crossentropy"},
                          loss_weights={"reg": 1.0, "cls": 0.5}, metrics={"reg": ["mae"], "cls": ["accuracy"]})
            save_training_case(os.path.join(folder, "two_outputs_dict_adam"), model, [x], {"reg": regression, "cls": labels})
        else:
            model = keras.Model(inp, [a, b])
            model.compile(optimizer=keras.optimizers.RMSprop(), loss=["mse", keras.losses.BinaryCrossentropy()],
                          loss_weights=[0.3, 2.0], metrics=[["mae"], [keras.metrics.BinaryAccuracy()]])
            save_training_case(os.path.join(folder, "two_outputs_list_rmsprop"), model, [x], [regression, labels])


def chain(rng):
    """A Functional chain: Keras prints its summary like a Sequential one (no "Connected to" column)."""
    inp = keras.Input((5,))
    return keras.Model(inp, layers.Dense(2)(layers.Dense(4, activation="relu")(inp))), [rng.normal(0, 1, (8, 5))]


def operations(rng):
    """keras.ops calls in the graph (saved as operations with tensor and constant arguments, constants first too)."""
    from keras import ops
    inp = keras.Input((4, 3))
    x = layers.Dense(3)(inp)
    y = x * 2.0 + inp
    z = ops.relu(y) - 0.5
    w = 3.0 / (ops.square(ops.sigmoid(z)) + 1.0)
    joined = ops.concatenate([w, ops.mean(inp, axis=1, keepdims=True) + w], axis=-1)
    gram = ops.matmul(joined, ops.transpose(joined, (0, 2, 1)))
    flat = ops.reshape(ops.softmax(gram, axis=-1), (-1, 16))
    out = layers.Dense(2)(ops.concatenate([flat, ops.sum(joined, axis=1)], axis=-1))
    return keras.Model(inp, out), [rng.normal(0, 1, (8, 4, 3))]


def write_summaries():
    """Keras's summary text of every inference case (after everything else, so no random state is disturbed)."""
    from antirectifier import Antirectifier as A
    for path in sorted(os.listdir(ROOT)):
        if path.endswith(".keras"):
            lines = []
            model = keras.models.load_model(os.path.join(ROOT, path), custom_objects={"Antirectifier": A})
            model.summary(print_fn=lambda line, **kw: lines.append(line))
            with open(os.path.join(ROOT, path[:-len(".keras")] + ".summary.txt"), "w") as f:
                f.write("\n".join(lines))


def make_training(folder):
    rng = np.random.default_rng(4)
    n = 24
    cases = {
        "residual_adam": (residual, keras.optimizers.Adam(0.01), keras.losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"], rng.integers(0, 3, n)),
        "two_inputs_rmsprop": (two_inputs, keras.optimizers.RMSprop(), "sparse_categorical_crossentropy", ["accuracy"], rng.integers(0, 2, n)),
        "shared_layer_sgd": (shared_layer, keras.optimizers.SGD(0.1, momentum=0.9), "mse", None, rng.normal(0, 1, (n, 1))),
        "nested_sequential_adam": (nested_sequential, keras.optimizers.Adam(), "mse", None, rng.normal(0, 1, (n, 2))),
    }
    for i, (name, (make, opt, loss, metrics, y)) in enumerate(cases.items()):
        keras.utils.set_random_seed(200 + i)
        model, xs = make(np.random.default_rng(i))
        xs = [rng.normal(0, 1, (n,) + x.shape[1:]).astype("float32") for x in xs]
        model.compile(optimizer=opt, loss=loss, metrics=metrics)
        save_training_case(os.path.join(folder, name), model, xs, y.astype("float32"))
    make_multi_output_training(folder, rng, n)


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(ROOT)
    keras.utils.set_random_seed(0)
    manifest = []
    for make, pins in [(residual, "a residual block: Dense → Dense, Add with the input, Activation"),
                       (two_inputs, "two inputs, Concatenate of a Dense branch and a raw input"),
                       (shared_layer, "one Dense layer called on two inputs (shared weights), Subtract"),
                       (merges, "Multiply, Average, Maximum of three inputs, Minimum of two, Concatenate on axis 1 and -1"),
                       (two_outputs, "two outputs from an Antirectifier trunk"),
                       (nested_sequential, "a Sequential model used as a layer (weights under layers/sequential/layers/…)"),
                       (diamond, "branches of different depths (Keras's layer order by depth, then traversal)"),
                       (chain, "a plain chain (summary printed like a Sequential model's)"),
                       (operations, "keras.ops in the graph: arithmetic with constants, relu, sigmoid, mean, sum, concatenate, matmul, transpose, softmax, reshape")]:
        rng = np.random.default_rng(len(manifest))
        model, xs = make(rng)
        randomize(model, rng)
        save_case(make.__name__, model, xs, manifest, pins)
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    make_training(os.path.join(ROOT, "training"))
    lambda_folder = os.path.join(ROOT, "..", "lambda")
    shutil.rmtree(lambda_folder, ignore_errors=True)
    make_lambda(lambda_folder)
    write_summaries()


if __name__ == "__main__":
    main()
