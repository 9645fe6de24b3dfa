"""Generates Fixtures/ with real Keras 3 (JAX backend). Every expected number in the Swift tests comes from here.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_fixtures.py [--only models|training|seed|initializers]
                                                                    [--mnist ../shared/datasets/mnist.npz]
"""
import argparse
import json
import os
import shutil
import sys
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import antirectifier  # noqa: E402
from antirectifier import Antirectifier  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")
ACTIVATIONS = ["linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "silu", "swish", "mish", "sigmoid",
               "hard_sigmoid", "tanh", "softmax", "log_softmax", "softplus", "softsign", "exponential"]
INITIALIZER_STRINGS = ["he_normal", "glorot_uniform", "glorot_normal", "lecun_normal", "lecun_uniform", "he_uniform",
                       "orthogonal", "zeros", "ones", "random_normal", "random_uniform", "truncated_normal",
                       "variance_scaling", "identity", "HeNormal", "normal", "uniform", "one", "zero"]


class StringInitializerAntirectifier(Antirectifier):
    """The same layer, but get_config writes the initializer exactly as given (a string), as a hand-written
    get_config may. Saved under the class name Antirectifier."""

    def __init__(self, initializer="he_normal", **kwargs):
        super().__init__(initializer=initializer, **kwargs)
        self._spelling = initializer

    def get_config(self):
        config = super().get_config()
        config["initializer"] = self._spelling
        return config


StringInitializerAntirectifier.__name__ = "Antirectifier"
StringInitializerAntirectifier.__qualname__ = "Antirectifier"


def randomize(model, rng):
    """Non-trivial weights (biases included), so that every weight of the file matters."""
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.get_weights()])


def save_case(folder, name, model, x, manifest, note):
    os.makedirs(folder, exist_ok=True)
    model.save(os.path.join(folder, f"{name}.keras"))
    np.save(os.path.join(folder, f"{name}.input.npy"), x.astype("float32"))
    np.save(os.path.join(folder, f"{name}.output.npy"), model.predict(x, verbose=0).astype("float32"))
    manifest.append({"name": name, "layers": [l.__class__.__name__ for l in model.layers], "pins": note})


def make_models():
    folder = os.path.join(ROOT, "models")
    shutil.rmtree(folder, ignore_errors=True)
    manifest = []
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    x6 = rng.normal(0, 1.5, (8, 6))
    for act in ACTIVATIONS:
        m = keras.Sequential([keras.Input((6,)), layers.Dense(5, activation=act)])
        randomize(m, rng)
        save_case(folder, f"dense_{act}", m, x6, manifest, f"Dense with activation '{act}'")
    for act in ["gelu", "softmax", "selu", "hard_sigmoid"]:
        m = keras.Sequential([keras.Input((6,)), layers.Dense(7), layers.Activation(act), layers.Dense(3)])
        randomize(m, rng)
        save_case(folder, f"activation_layer_{act}", m, x6, manifest, f"standalone Activation('{act}') between Dense layers")
    for spelling in INITIALIZER_STRINGS:
        m = keras.Sequential([keras.Input((6,)), layers.Dense(4), StringInitializerAntirectifier(initializer=spelling)])
        save_case(folder, f"antirectifier_string_{spelling}", m, x6, manifest,
                  f"Antirectifier whose config holds the string initializer '{spelling}' (weights drawn by Keras)")
    objects = {
        "random_normal": keras.initializers.RandomNormal(mean=0.1, stddev=0.5, seed=3),
        "constant": keras.initializers.Constant(0.3),
        "variance_scaling": keras.initializers.VarianceScaling(scale=0.5, mode="fan_out", distribution="uniform"),
        "orthogonal": keras.initializers.Orthogonal(gain=2.0),
        "truncated_normal": keras.initializers.TruncatedNormal(stddev=0.2),
        "he_normal": keras.initializers.HeNormal(),
        "glorot_uniform_seeded": keras.initializers.GlorotUniform(seed=7),
    }
    for key, init in objects.items():
        m = keras.Sequential([keras.Input((6,)), layers.Dense(4), Antirectifier(initializer=init)])
        save_case(folder, f"antirectifier_object_{key}", m, x6, manifest, f"Antirectifier with a serialized {init.__class__.__name__} object")
    m = keras.Sequential([keras.Input((6,)), layers.Dense(8, activation="relu"), layers.Dropout(0.3), layers.Activation("tanh"),
                          Antirectifier(), layers.Dropout(0.5), layers.Dense(3, activation="softmax")])
    randomize(m, rng)
    save_case(folder, "mixed_dropout_activation", m, x6, manifest, "Dropout and Activation between Dense and Antirectifier (inference: dropout off)")
    m = keras.Sequential([keras.Input((3, 4)), layers.Flatten(), layers.Dense(5, activation="elu")])
    randomize(m, rng)
    save_case(folder, "flatten_rank3", m, rng.normal(0, 1, (8, 3, 4)), manifest, "Flatten of a rank-3 input")
    m = keras.Sequential([keras.Input((12,)), layers.Reshape((3, 4)), layers.Dense(2), layers.Flatten(), layers.Dense(3)])
    randomize(m, rng)
    save_case(folder, "reshape_dense_rank3", m, rng.normal(0, 1, (8, 12)), manifest, "Reshape, then Dense on a rank-3 tensor (contracts the last axis)")
    m = keras.Sequential([keras.Input((6,)), layers.Dense(5, use_bias=False, activation="tanh"), layers.Dense(2, use_bias=False)])
    randomize(m, rng)
    save_case(folder, "dense_no_bias", m, x6, manifest, "use_bias=False: one variable per Dense")
    m = keras.Sequential([keras.Input((6,)), layers.Dense(5, kernel_initializer=keras.initializers.LecunNormal(seed=1),
                                                           bias_initializer=keras.initializers.Constant(0.25))])
    save_case(folder, "dense_custom_initializers", m, x6, manifest, "Dense with non-default initializer objects in its config")
    m = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"), Antirectifier(), layers.Dense(4)])
    m.compile(optimizer=keras.optimizers.RMSprop(), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    m.fit(rng.normal(0, 1, (64, 6)).astype("float32"), rng.integers(0, 4, 64).astype("float32"), epochs=1, batch_size=16, verbose=0)
    save_case(folder, "compiled_trained_rmsprop", m, x6, manifest, "a compiled model with optimizer variables in its weights file")
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


def make_frozen_case(folder, x, y):
    """Fine-tuning with the first layers frozen: their weights must not move and the optimizer has slots only
    for the trainable variables."""
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((x.shape[1],)), layers.Dense(8, activation="relu", trainable=False),
                              Antirectifier(trainable=False), layers.Dense(4)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    case = os.path.join(folder, "adam_frozen_first_layers")
    os.makedirs(case)
    model.save(os.path.join(case, "initial.keras"))
    np.save(os.path.join(case, "x.npy"), x)
    np.save(os.path.join(case, "y.npy"), y)
    history = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    model.save(os.path.join(case, "final.keras"))
    with open(os.path.join(case, "history.json"), "w") as f:
        json.dump({"batch_size": 8, "steps": 3, "history": {k: [float(v) for v in vs] for k, vs in history.history.items()}}, f, indent=1)


def make_weights():
    """Keras 3's other weight containers for one compiled, trained model: x.weights.h5, a sharded
    x.weights.json + shards, an unzipped model folder, and a .keras whose weights are model.weights.npz."""
    from keras.src.saving import saving_lib
    folder = os.path.join(ROOT, "weights")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    keras.utils.set_random_seed(9)
    rng = np.random.default_rng(9)
    model = keras.Sequential([keras.Input((6,)), layers.Dense(12, activation="tanh"), Antirectifier(), layers.Dense(3)])
    model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(rng.normal(0, 1, (32, 6)).astype("float32"), rng.integers(0, 3, 32).astype("float32"), batch_size=8, verbose=0)
    x = rng.normal(0, 1, (5, 6)).astype("float32")
    np.save(os.path.join(folder, "input.npy"), x)
    np.save(os.path.join(folder, "output.npy"), model.predict(x, verbose=0))
    model.save(os.path.join(folder, "model.keras"))
    model.save_weights(os.path.join(folder, "model.weights.h5"))
    model.save_weights(os.path.join(folder, "sharded.weights.json"), max_shard_size=0.0000012)
    model.save(os.path.join(folder, "unzipped"), zipped=False)
    saving_lib.save_model(model, os.path.join(folder, "npz_weights.keras"), weights_format="npz")
    with open(os.path.join(folder, "iterations.json"), "w") as f:
        json.dump({"iterations": int(model.optimizer.iterations)}, f)


def make_converted():
    """Models whose weights file stores float16, bfloat16 (Keras's opaque form) or float64 datasets; the expected
    output is what Keras predicts after loading them (Keras converts to the float32 variables on load)."""
    import h5py
    folder = os.path.join(ROOT, "converted")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rng = np.random.default_rng(12)
    x = rng.normal(0, 1, (6, 5)).astype("float32")
    for kind in ["float16", "bfloat16", "float64"]:
        model = keras.Sequential([keras.Input((5,)), layers.Dense(7, activation="tanh"), Antirectifier(), layers.Dense(3)])
        randomize(model, rng)
        path = os.path.join(folder, f"weights_{kind}.keras")
        model.save(path)
        with zipfile.ZipFile(path) as z:
            entries = {n: z.read(n) for n in z.namelist()}
        weights_path = os.path.join(folder, "tmp.weights.h5")
        with open(weights_path, "wb") as f:
            f.write(entries["model.weights.h5"])
        with h5py.File(weights_path, "r+") as f:
            names = []
            f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) and n.startswith("layers/") else None)
            for n in names:
                value = f[n][()]
                del f[n]
                if kind == "bfloat16":
                    raw = (value.astype("float32").view("uint32") >> 16).astype("uint16")
                    f.create_dataset(n, data=raw.view("V2")).attrs["dtype"] = "bfloat16"
                else:
                    f.create_dataset(n, data=value.astype(kind))
        with open(weights_path, "rb") as f:
            entries["model.weights.h5"] = f.read()
        os.remove(weights_path)
        with zipfile.ZipFile(path, "w") as z:
            for n, b in entries.items():
                z.writestr(n, b)
        reloaded = keras.models.load_model(path, custom_objects={"Antirectifier": Antirectifier})
        np.save(os.path.join(folder, f"weights_{kind}.input.npy"), x)
        np.save(os.path.join(folder, f"weights_{kind}.output.npy"), reloaded.predict(x, verbose=0))


def make_training():
    folder = os.path.join(ROOT, "training")
    shutil.rmtree(folder, ignore_errors=True)
    rng = np.random.default_rng(1)
    n, d, k, batch = 24, 6, 4, 8
    x = rng.normal(0, 1, (n, d)).astype("float32")
    y_sparse = (np.arange(n) % k).astype("float32")
    y_onehot = np.eye(k, dtype="float32")[np.arange(n) % k]
    y_reg = rng.normal(0, 1, (n, k)).astype("float32")
    y_bin = (rng.random((n, 1)) > 0.5).astype("float32")
    O = keras.optimizers
    L = keras.losses
    cases = {
        "sgd_momentum_sparse": (lambda: O.SGD(0.1, momentum=0.9), L.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"], "logits", y_sparse),
        "sgd_nesterov_categorical": (lambda: O.SGD(0.05, momentum=0.8, nesterov=True), "categorical_crossentropy", [keras.metrics.CategoricalAccuracy()], "softmax", y_onehot),
        "rmsprop_sparse": (lambda: O.RMSprop(), "sparse_categorical_crossentropy", ["accuracy"], "softmax", y_sparse),
        "rmsprop_centered_momentum_categorical": (lambda: O.RMSprop(momentum=0.5, centered=True), L.CategoricalCrossentropy(from_logits=True), ["accuracy"], "logits", y_onehot),
        "rmsprop_mse": (lambda: O.RMSprop(learning_rate=0.01), "mse", None, "logits", y_reg),
        "adam_sparse": (lambda: O.Adam(), L.SparseCategoricalCrossentropy(from_logits=True), [keras.metrics.SparseCategoricalAccuracy()], "logits", y_sparse),
        "adam_mse": (lambda: O.Adam(learning_rate=0.01), L.MeanSquaredError(), None, "logits", y_reg),
        "adam_categorical": (lambda: O.Adam(amsgrad=True), "categorical_crossentropy", ["accuracy"], "softmax", y_onehot),
        "adamw_sparse": (lambda: O.AdamW(learning_rate=0.01, weight_decay=0.01), L.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"], "logits", y_sparse),
        "rmsprop_clipnorm": (lambda: O.RMSprop(clipnorm=0.1), L.SparseCategoricalCrossentropy(from_logits=True), None, "logits", y_sparse),
        "sgd_clipvalue": (lambda: O.SGD(0.1, clipvalue=0.05), L.SparseCategoricalCrossentropy(from_logits=True), None, "logits", y_sparse),
        "adam_global_clipnorm": (lambda: O.Adam(global_clipnorm=0.2), L.SparseCategoricalCrossentropy(from_logits=True), None, "logits", y_sparse),
        "sgd_binary_crossentropy": (lambda: O.SGD(0.1), "binary_crossentropy", ["accuracy"], "sigmoid", y_bin),
        "adam_binary_from_logits": (lambda: O.Adam(), L.BinaryCrossentropy(from_logits=True), [keras.metrics.BinaryAccuracy()], "logits1", y_bin),
        "rmsprop_mae": (lambda: O.RMSprop(), "mean_absolute_error", None, "logits", y_reg),
    }
    for i, (name, (make_opt, loss, metrics, head, y)) in enumerate(cases.items()):
        keras.utils.set_random_seed(100 + i)
        units = 1 if head in ("sigmoid", "logits1") else k
        act = {"logits": None, "logits1": None, "softmax": "softmax", "sigmoid": "sigmoid"}[head]
        body = [keras.Input((d,)), layers.Dense(8, activation="relu")]
        if i % 2 == 0:
            body.append(Antirectifier())
        model = keras.Sequential(body + [layers.Dense(units, activation=act)])
        model.compile(optimizer=make_opt(), loss=loss, metrics=metrics)
        case = os.path.join(folder, name)
        os.makedirs(case)
        model.save(os.path.join(case, "initial.keras"))
        np.save(os.path.join(case, "x.npy"), x)
        np.save(os.path.join(case, "y.npy"), y)
        history = model.fit(x, y, batch_size=batch, epochs=1, shuffle=False, verbose=0)
        assert int(model.optimizer.iterations) == 3
        model.save(os.path.join(case, "final.keras"))
        with open(os.path.join(case, "history.json"), "w") as f:
            json.dump({"batch_size": batch, "steps": 3, "history": {k2: [float(v) for v in vs] for k2, vs in history.history.items()}}, f, indent=1)
    make_frozen_case(folder, x, y_sparse)


def make_seed(mnist_path):
    folder = os.path.join(ROOT, "seed")
    os.makedirs(folder, exist_ok=True)
    with np.load(mnist_path) as f:
        x_train, y_train, x_test, y_test = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    x_train = x_train.reshape(-1, 784).astype("float32") / 255
    x_test_f = x_test.reshape(-1, 784).astype("float32") / 255
    keras.utils.set_random_seed(42)

    def build():
        return keras.Sequential([keras.Input(shape=(784,)), layers.Dense(256), Antirectifier(), layers.Dense(256),
                                 Antirectifier(), layers.Dropout(0.5), layers.Dense(10)])

    def compile(m):
        m.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer=keras.optimizers.RMSprop(),
                  metrics=[keras.metrics.SparseCategoricalAccuracy()])

    model = build()
    compile(model)
    model.fit(x_train, y_train, batch_size=128, epochs=20, validation_split=0.15, verbose=2)
    loss, acc = model.evaluate(x_test_f, y_test, verbose=0)
    fresh = build()
    compile(fresh)
    fresh.set_weights(model.get_weights())
    fresh.save(os.path.join(folder, "seed_mnist.keras"))  # compiled, but no optimizer state (never trained)
    # Keras's mnist.npz layout, test split only: `keras evaluate … --dataset mnist --data` reads it.
    np.savez_compressed(os.path.join(folder, "mnist_test_500.npz"), x_test=x_test[:500], y_test=y_test[:500])
    out = fresh.predict(x_test_f[:500], verbose=0).astype("float32")
    np.save(os.path.join(folder, "seed_mnist.output.npy"), out)
    with open(os.path.join(folder, "keras_result.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "backend": keras.backend.backend(), "test_loss": float(loss),
                   "test_accuracy": float(acc), "accuracy_first_500": float((out.argmax(-1) == y_test[:500]).mean()),
                   "recipe": "batch 128, 20 epochs, validation_split 0.15, RMSprop, sparse CE from logits"}, f, indent=1)


def make_initializers():
    folder = os.path.join(ROOT, "initializers")
    os.makedirs(folder, exist_ok=True)
    stats = []
    names = ["glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform", "random_normal",
             "random_uniform", "truncated_normal", "variance_scaling", "orthogonal", "zeros", "ones"]
    keras.utils.set_random_seed(5)
    for name in names:
        for shape in [(300, 200), (3, 3, 16, 32)]:
            init = keras.initializers.get(name)
            w = np.asarray(init(shape))
            entry = {"name": name, "shape": list(shape), "config": keras.initializers.serialize(init),
                     "mean": float(w.mean()), "std": float(w.std()), "min": float(w.min()), "max": float(w.max())}
            flat = w.reshape(-1, shape[-1])
            if name == "orthogonal":
                gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
                entry["max_abs_gram_minus_identity"] = float(np.abs(gram - np.eye(gram.shape[0])).max())
            stats.append(entry)
    with open(os.path.join(folder, "stats.json"), "w") as f:
        json.dump(stats, f, indent=1)


def make_npy_layouts():
    """.npy files numpy reads but np.save of a plain array does not write: big-endian and Fortran-order arrays."""
    folder = os.path.join(ROOT, "formats", "layouts")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rng = np.random.default_rng(17)
    base = rng.normal(0, 10, (3, 4, 5))
    arrays = {
        "big_endian_f4": base[0].astype(">f4"),
        "big_endian_f8": base[1].astype(">f8"),
        "big_endian_i2": (base[2] * 100).astype(">i2"),
        "big_endian_f2": base[0, :2].astype(">f2"),
        "fortran_f4": np.asfortranarray(base[0].astype("<f4")),
        "fortran_rank3_f4": np.asfortranarray(base.astype("<f4")),
        "fortran_big_endian_i8": np.asfortranarray((base[:, :2] * 1000).astype(">i8")),
        "fortran_1d_f4": np.asfortranarray(base[0, 0].astype("<f4")),
    }
    expected = {}
    for name, a in arrays.items():
        np.save(os.path.join(folder, f"{name}.npy"), a)
        back = np.load(os.path.join(folder, f"{name}.npy"))
        assert back.dtype.byteorder in "<>=|" and (back == a).all()
        expected[name] = {"shape": list(a.shape), "fortran": bool(np.isfortran(a)), "descr": a.dtype.str,
                          "values": a.astype("float64").ravel(order="C").tolist()}
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected, f)


def make_formats():
    """JSON texts as Python's json.dumps writes them, .npy files of each dtype numpy writes, Keras's summary text."""
    folder = os.path.join(ROOT, "formats")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    floats = [0.2, 1e-07, 0.0010000000474974513, 3.0, 1e16, 1e15, 123456789012345.6, 1.5e-05, 0.0001, 0.00001, -0.0,
              0.1 + 0.2, 2.5e-324, 1.7976931348623157e308, 100.0, -2.75, 0.5, 1e22, 12345.678, 0.009999999776482582,
              float(np.float32(0.9)), 5e-324, 1e-300, 123e-20]
    values = [floats, [1, -7, 0, 2**53], "plain", "quote \" backslash \\ newline \n tab \t",
              "caf\u00e9 \u2603 \U0001f600 \u0001 \u007f", {"b": 1, "a": [True, False, None], "nested": {"z": {}, "y": []}},
              float("nan"), float("inf"), -float("inf")]
    with open(os.path.join(folder, "json_cases.json"), "w") as f:
        json.dump([{"dumps": json.dumps(v)} for v in values], f, indent=1)
    expected = {}
    rng = np.random.default_rng(3)
    for dtype in ["float32", "float64", "float16", "int8", "int16", "int32", "int64", "uint8", "uint16", "bool"]:
        a = (rng.normal(0, 50, (3, 4)) if dtype.startswith("float") else rng.integers(0, 100, (3, 4))).astype(dtype)
        np.save(os.path.join(folder, f"{dtype}.npy"), a)
        expected[dtype] = {"shape": list(a.shape), "values": a.astype("float64").ravel().tolist()}
    np.save(os.path.join(folder, "scalar.npy"), np.array(2.5, dtype="float32"))
    expected["scalar"] = {"shape": [], "values": [2.5]}
    np.save(os.path.join(folder, "empty.npy"), np.zeros((0, 5), dtype="float32"))
    expected["empty"] = {"shape": [0, 5], "values": []}
    with open(os.path.join(folder, "version2.npy"), "wb") as f:
        np.lib.format.write_array(f, np.arange(6, dtype="float32").reshape(2, 3), version=(2, 0))
    expected["version2"] = {"shape": [2, 3], "values": list(range(6))}
    np.savez(os.path.join(folder, "stored.npz"), a=np.arange(4, dtype="int64"), b=np.ones((2, 2), dtype="float32"))
    np.savez_compressed(os.path.join(folder, "deflated.npz"), a=np.arange(4, dtype="int64"), b=np.ones((2, 2), dtype="float32"))
    with open(os.path.join(folder, "npy_expected.json"), "w") as f:
        json.dump(expected, f)
    make_npy_layouts()
    lines = []
    model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(256), Antirectifier(), layers.Dense(256),
                              Antirectifier(), layers.Dropout(0.5), layers.Dense(10)])
    model.summary(print_fn=lambda line, **kw: lines.append(line))
    with open(os.path.join(folder, "seed_summary.txt"), "w") as f:
        f.write("\n".join(lines))
    seed_file = os.path.join(ROOT, "seed", "seed_mnist.keras")
    if os.path.exists(seed_file):
        lines = []
        keras.models.load_model(seed_file, custom_objects={"Antirectifier": Antirectifier}).summary(
            print_fn=lambda line, **kw: lines.append(line))
        with open(os.path.join(folder, "seed_file_summary.txt"), "w") as f:
            f.write("\n".join(lines))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["models", "training", "seed", "initializers", "formats", "weights", "converted"])
    parser.add_argument("--mnist", default=os.path.join(ROOT, "..", "..", "shared", "datasets", "mnist.npz"))
    args = parser.parse_args()
    steps = {"models": make_models, "training": make_training, "initializers": make_initializers, "formats": make_formats,
             "weights": make_weights, "converted": make_converted,
             "seed": lambda: make_seed(args.mnist)}
    for name, step in steps.items():
        if args.only in (None, name):
            print("making", name, flush=True)
            step()
