"""Generates Fixtures/finetune with real Keras 3 (JAX backend): fine-tuning runs (regularizers, constraints,
learning-rate schedules, class and sample weights, callbacks) whose results the Swift tests must reproduce.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_finetune_fixtures.py

Each `steps/<case>` folder has the layout of Fixtures/training: `initial.keras` (compiled), `x.npy`, `y.npy`, Keras's
`final.keras` after one epoch of three optimizer steps (batch 8, shuffle off) and `history.json`; optionally
`sample_weight.npy` and a `class_weight` entry in `history.json`. `callbacks/<case>` folders hold longer runs with
callbacks (see `make_callbacks`).
"""
import json
import os
import shutil

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers, optimizers as O, regularizers as R, constraints as C, losses as L  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "finetune")
N, BATCH = 24, 8


def dump_history(path, history, extra=None):
    data = {"batch_size": BATCH, "history": {k: [float(v) for v in vs] for k, vs in history.history.items()}}
    data.update(extra or {})
    with open(path, "w") as f:
        json.dump(data, f, indent=1)


def data(kind, rng):
    if kind == "image":
        x = rng.normal(0, 1, (N, 5, 5, 2)).astype("float32")
    elif kind == "sequence":
        x = rng.normal(0, 1, (N, 8, 2)).astype("float32")
    elif kind == "ids":
        x = rng.integers(0, 10, (N, 4)).astype("float32")
    else:
        x = rng.normal(0, 1, (N, 6)).astype("float32")
    y = (np.arange(N) % 3).astype("float32")
    return x, y


def dense_model():
    return keras.Sequential([
        keras.Input((6,)),
        layers.Dense(8, activation="relu", kernel_regularizer=R.L2(0.01), bias_regularizer=R.L1(0.02),
                     activity_regularizer=R.L1L2(l1=0.001, l2=0.002), kernel_constraint=C.MaxNorm(0.6),
                     bias_constraint=C.NonNeg()),
        layers.Dense(5, kernel_regularizer=R.OrthogonalRegularizer(0.05, mode="columns"), kernel_constraint=C.UnitNorm()),
        layers.Dense(3, kernel_regularizer=R.OrthogonalRegularizer(0.1), bias_constraint=C.MinMaxNorm(0.1, 0.5, rate=0.7)),
    ])


def conv_model():
    return keras.Sequential([
        keras.Input((5, 5, 2)),
        layers.BatchNormalization(gamma_regularizer=R.L2(0.05), beta_regularizer=R.L1(0.05),
                                  gamma_constraint=C.NonNeg(), beta_constraint=C.MaxNorm(0.3)),
        layers.Conv2D(3, 3, activation="tanh", kernel_regularizer=R.L1L2(l1=0.01, l2=0.01), bias_regularizer="l2",
                      kernel_constraint=C.MaxNorm(0.8, axis=[0, 1, 2])),
        layers.Flatten(),
        layers.Dense(3, kernel_regularizer="l1"),
    ])


def separable_model():
    return keras.Sequential([
        keras.Input((5, 5, 2)),
        layers.DepthwiseConv2D(2, depth_multiplier=2, depthwise_regularizer=R.L2(0.02), bias_regularizer=R.L1(0.01),
                               depthwise_constraint=C.MaxNorm(0.5, axis=[0, 1]), activity_regularizer=R.L2(0.001)),
        layers.SeparableConv2D(3, 2, activation="tanh", depthwise_regularizer=R.L1(0.01), pointwise_regularizer=R.L2(0.02),
                               pointwise_constraint=C.UnitNorm(axis=[0, 1, 2]), bias_constraint=C.NonNeg()),
        layers.Flatten(),
        layers.LayerNormalization(gamma_regularizer=R.L2(0.05), beta_regularizer=R.L1(0.02), gamma_constraint=C.MinMaxNorm(0.5, 2.0)),
        layers.Dense(3),
    ])


def conv1d_model():
    return keras.Sequential([
        keras.Input((8, 2)),
        layers.Conv1D(4, 3, activation="relu", kernel_regularizer=R.L1L2(0.01, 0.02),
                      kernel_constraint=C.MaxNorm(0.7, axis=[0, 1]), activity_regularizer=R.L1(0.001)),
        layers.GlobalAveragePooling1D(),
        layers.Dense(3, kernel_regularizer=R.OrthogonalRegularizer(0.05, mode="columns")),
    ])


def embedding_model():
    return keras.Sequential([
        keras.Input((4,)),
        layers.Embedding(10, 5, embeddings_regularizer=R.L2(0.02), embeddings_constraint=C.UnitNorm(axis=1)),
        layers.GlobalAveragePooling1D(),
        layers.ActivityRegularization(l1=0.01, l2=0.03),
        layers.Dense(3, kernel_regularizer=R.L2(0.005)),
    ])


def plain_model():
    return keras.Sequential([keras.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(3)])


def head_model(units, activation):
    return lambda: keras.Sequential([keras.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(units, activation=activation)])


def targets(kind, rng):
    """Targets other than class ids, for the losses that need them."""
    ids = np.arange(N) % 3
    return {
        "reg": lambda: rng.normal(0, 1.5, (N, 3)).astype("float32"),
        "onehot": lambda: np.eye(3, dtype="float32")[ids],
        "dist": lambda: rng.dirichlet(np.ones(3), N).astype("float32"),
        "counts": lambda: rng.poisson(2.0, (N, 3)).astype("float32"),
        "bin": lambda: (rng.random((N, 1)) > 0.5).astype("float32"),
        "pm1": lambda: np.where(rng.random((N, 1)) > 0.5, 1.0, -1.0).astype("float32"),
        "ignored": lambda: np.where(np.arange(N) % 5 == 0, 1, ids).astype("float32"),
    }[kind]()


SCE = L.SparseCategoricalCrossentropy(from_logits=True)

STEP_CASES = {
    # name: (model, data kind, optimizer, loss, metrics, fit extras)
    "regularizers_dense_sgd": (dense_model, "dense", lambda: O.SGD(0.1, momentum=0.5), SCE, ["accuracy"], {}),
    "regularizers_conv_bn_adam": (conv_model, "image", lambda: O.Adam(0.05), SCE, None, {}),
    "regularizers_embedding_rmsprop": (embedding_model, "ids", lambda: O.RMSprop(0.05), SCE, ["accuracy"], {}),
    "regularizers_separable_depthwise_layernorm_sgd": (separable_model, "image", lambda: O.SGD(0.1, momentum=0.3), SCE, None, {}),
    "regularizers_conv1d_adamw": (conv1d_model, "sequence", lambda: O.AdamW(0.02, weight_decay=0.05), SCE, None, {}),
    "schedule_exponential_sgd": (plain_model, "dense", lambda: O.SGD(O.schedules.ExponentialDecay(0.2, 2, 0.5)), SCE, None, {}),
    "schedule_exponential_staircase_adam": (plain_model, "dense", lambda: O.Adam(O.schedules.ExponentialDecay(0.05, 2, 0.3, staircase=True)), SCE, None, {}),
    "schedule_piecewise_sgd": (plain_model, "dense", lambda: O.SGD(O.schedules.PiecewiseConstantDecay([0, 1], [0.3, 0.1, 0.02])), SCE, None, {}),
    "schedule_polynomial_adam": (plain_model, "dense", lambda: O.Adam(O.schedules.PolynomialDecay(0.05, 2, 0.001, power=2.0)), SCE, None, {}),
    "schedule_polynomial_cycle_sgd": (plain_model, "dense", lambda: O.SGD(O.schedules.PolynomialDecay(0.3, 2, 0.01, power=0.5, cycle=True)), SCE, None, {}),
    "schedule_inverse_time_rmsprop": (plain_model, "dense", lambda: O.RMSprop(O.schedules.InverseTimeDecay(0.05, 1, 0.7)), SCE, None, {}),
    "schedule_inverse_time_staircase_sgd": (plain_model, "dense", lambda: O.SGD(O.schedules.InverseTimeDecay(0.3, 2, 0.9, staircase=True)), SCE, None, {}),
    "schedule_cosine_adam": (plain_model, "dense", lambda: O.Adam(O.schedules.CosineDecay(0.05, 3, alpha=0.1)), SCE, None, {}),
    "schedule_cosine_warmup_sgd": (plain_model, "dense", lambda: O.SGD(O.schedules.CosineDecay(0.0, 2, warmup_target=0.4, warmup_steps=2)), SCE, None, {}),
    "schedule_cosine_restarts_sgd": (plain_model, "dense", lambda: O.SGD(O.schedules.CosineDecayRestarts(0.3, 1, t_mul=2.0, m_mul=0.5, alpha=0.1)), SCE, None, {}),
    "class_weight_adam": (plain_model, "dense", lambda: O.Adam(0.02), SCE, ["accuracy"], {"class_weight": {0: 1.0, 1: 3.0, 2: 0.5}}),
    "class_weight_validation_split_sgd": (plain_model, "dense", lambda: O.SGD(0.2), SCE, ["accuracy"],
                                          {"class_weight": {0: 0.5, 1: 2.0, 2: 1.0}, "validation_split": 0.25}),
    "sample_weight_validation_split_adam": (plain_model, "dense", lambda: O.Adam(0.02), SCE, ["accuracy"],
                                            {"sample_weight": True, "validation_split": 0.25}),
    "weighted_metrics_class_weight_adam": (plain_model, "dense", lambda: O.Adam(0.02), SCE, ["accuracy"],
                                           {"class_weight": {0: 1.0, 1: 3.0, 2: 0.5},
                                            "weighted_metrics": ["accuracy", keras.metrics.SparseTopKCategoricalAccuracy(k=2)]}),
    "weighted_metrics_sample_weight_sgd": (head_model(1, "sigmoid"), "dense", lambda: O.SGD(0.3), "binary_crossentropy", [keras.metrics.AUC()],
                                           {"y": "bin", "sample_weight": True,
                                            "weighted_metrics": [keras.metrics.Precision(), keras.metrics.AUC(name="weighted_auc_metric"), "binary_accuracy"]}),
    "sample_weight_sgd": (plain_model, "dense", lambda: O.SGD(0.2), SCE, ["accuracy"], {"sample_weight": True}),
    "sample_weight_regularized_rmsprop": (dense_model, "dense", lambda: O.RMSprop(0.02), SCE, None, {"sample_weight": True}),
    "loss_huber_sgd": (plain_model, "dense", lambda: O.SGD(0.1), L.Huber(), None, {"y": "reg"}),
    "loss_log_cosh_adam": (plain_model, "dense", lambda: O.Adam(0.02), "log_cosh", None, {"y": "reg"}),
    "loss_kl_divergence_sgd": (head_model(3, "softmax"), "dense", lambda: O.SGD(0.5), L.KLDivergence(), None, {"y": "dist"}),
    "loss_poisson_adam": (head_model(3, "softplus"), "dense", lambda: O.Adam(0.02), "poisson", None, {"y": "counts"}),
    "loss_cosine_similarity_sgd": (plain_model, "dense", lambda: O.SGD(0.5), L.CosineSimilarity(), None, {"y": "reg"}),
    "loss_hinge_sgd": (head_model(1, "tanh"), "dense", lambda: O.SGD(0.2), L.Hinge(), None, {"y": "bin"}),
    "loss_squared_hinge_adam": (head_model(1, None), "dense", lambda: O.Adam(0.02), "squared_hinge", None, {"y": "pm1"}),
    "loss_categorical_hinge_sgd": (plain_model, "dense", lambda: O.SGD(0.2), L.CategoricalHinge(), None, {"y": "onehot"}),
    "loss_categorical_label_smoothing_adam": (head_model(3, "softmax"), "dense", lambda: O.Adam(0.02), L.CategoricalCrossentropy(label_smoothing=0.2), ["accuracy"], {"y": "onehot"}),
    "loss_binary_label_smoothing_logits_sgd": (head_model(1, None), "dense", lambda: O.SGD(0.2), L.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), ["accuracy"], {"y": "bin"}),
    "metrics_binary_precision_recall_auc_sgd": (head_model(1, "sigmoid"), "dense", lambda: O.SGD(0.3), "binary_crossentropy",
                                                [keras.metrics.Precision(), keras.metrics.Recall(), keras.metrics.AUC(), keras.metrics.Precision(thresholds=0.3, name="precision_at_0.3")], {"y": "bin"}),
    "metrics_top_k_adam": (plain_model, "dense", lambda: O.Adam(0.02), "categorical_crossentropy",
                           [keras.metrics.TopKCategoricalAccuracy(k=2), "top_k_categorical_accuracy", keras.metrics.AUC(num_thresholds=50)], {"y": "onehot"}),
    "metrics_sparse_top_k_sgd": (plain_model, "dense", lambda: O.SGD(0.3), SCE, [keras.metrics.SparseTopKCategoricalAccuracy(k=2), "accuracy"], {}),
    "loss_sparse_ignore_class_adam": (plain_model, "dense", lambda: O.Adam(0.02), L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=1), ["accuracy"], {"y": "ignored"}),
}


def make_steps():
    folder = os.path.join(ROOT, "steps")
    shutil.rmtree(folder, ignore_errors=True)
    for i, (name, (make_model, kind, make_opt, loss, metrics, extra)) in enumerate(STEP_CASES.items()):
        keras.utils.set_random_seed(200 + i)
        rng = np.random.default_rng(200 + i)
        x, y = data(kind, rng)
        if "y" in extra:
            y = targets(extra["y"], rng)
        model = make_model()
        model.compile(optimizer=make_opt(), loss=loss, metrics=metrics, weighted_metrics=extra.get("weighted_metrics"))
        case = os.path.join(folder, name)
        os.makedirs(case)
        model.save(os.path.join(case, "initial.keras"))
        np.save(os.path.join(case, "x.npy"), x)
        np.save(os.path.join(case, "y.npy"), y)
        kwargs, record = {}, {}
        if "class_weight" in extra:
            kwargs["class_weight"] = extra["class_weight"]
            record["class_weight"] = {str(k): v for k, v in extra["class_weight"].items()}
        if extra.get("sample_weight"):
            sw = rng.uniform(0.1, 2.0, N).astype("float32")
            np.save(os.path.join(case, "sample_weight.npy"), sw)
            kwargs["sample_weight"] = sw
        if "validation_split" in extra:
            kwargs["validation_split"] = record["validation_split"] = extra["validation_split"]
        history = model.fit(x, y, batch_size=BATCH, epochs=1, shuffle=False, verbose=0, **kwargs)
        kwargs.pop("validation_split", None)
        assert int(model.optimizer.iterations) == 3
        record["learning_rate_after"] = float(model.optimizer.learning_rate)
        # evaluate on the trained model: regularization penalties and sample weights count as in fit.
        record["evaluate"] = {k: float(v) for k, v in model.evaluate(x, y, batch_size=BATCH, verbose=0, return_dict=True,
                                                                      sample_weight=kwargs.get("sample_weight")).items()}
        model.save(os.path.join(case, "final.keras"))
        dump_history(os.path.join(case, "history.json"), history, record)


def make_callbacks():
    """One longer run (shuffle off) with EarlyStopping(restore_best_weights), ReduceLROnPlateau, CSVLogger and
    ModelCheckpoint(save_best_only, formatted name) on separate validation arrays: Keras's history, CSV file,
    final weights and best checkpoint."""
    folder = os.path.join(ROOT, "callbacks", "early_stopping")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    keras.utils.set_random_seed(300)
    rng = np.random.default_rng(300)
    x = rng.normal(0, 1, (N, 6)).astype("float32")
    y = (np.arange(N) % 3).astype("float32")
    xv = rng.normal(0, 1, (12, 6)).astype("float32")
    yv = (np.arange(12) % 3).astype("float32")
    model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"), layers.Dense(3)])
    model.compile(optimizer=O.Adam(0.05), loss=SCE, metrics=["accuracy"])
    model.save(os.path.join(folder, "initial.keras"))
    for name, a in [("x", x), ("y", y), ("x_val", xv), ("y_val", yv)]:
        np.save(os.path.join(folder, f"{name}.npy"), a)
    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True),
        keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=0.1),
        keras.callbacks.CSVLogger(os.path.join(folder, "log.csv")),
        keras.callbacks.ModelCheckpoint(os.path.join(folder, "best-{epoch:02d}-{val_loss:.2f}.keras"), save_best_only=True),
    ]
    history = model.fit(x, y, batch_size=BATCH, epochs=40, shuffle=False, verbose=0, validation_data=(xv, yv), callbacks=callbacks)
    epochs_run = len(history.history["loss"])
    assert epochs_run < 40, "the run must stop early"
    model.save(os.path.join(folder, "final.keras"))
    checkpoints = sorted(f for f in os.listdir(folder) if f.startswith("best-"))
    # Only the last (best) checkpoint is kept, under its name; the names of all are recorded.
    for f in checkpoints[:-1]:
        os.remove(os.path.join(folder, f))
    dump_history(os.path.join(folder, "history.json"), history,
                 {"epochs_run": epochs_run, "best_epoch": int(callbacks[0].best_epoch), "checkpoints": checkpoints})


def make_cli_recipe():
    """What `keras fit initial.keras --freeze base --learning-rate 0.01 --early-stopping 2 --checkpoint best.keras
    --csv-log log.csv --class-weight '{"0": 1.0, "1": 2.0, "2": 0.5}' --validation-x … --validation-y …` must do,
    done by Keras: freeze `base`, recompile with a fresh optimizer at the new fixed rate (the file had a schedule),
    fit with class weights, EarlyStopping(val_loss, restore_best_weights), ModelCheckpoint(val_loss, save_best_only)
    and CSVLogger."""
    folder = os.path.join(ROOT, "callbacks", "cli_recipe")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    keras.utils.set_random_seed(301)
    rng = np.random.default_rng(301)
    x = rng.normal(0, 1, (N, 6)).astype("float32")
    y = (np.arange(N) % 3).astype("float32")
    xv = rng.normal(0, 1, (12, 6)).astype("float32")
    yv = (np.arange(12) % 3).astype("float32")
    model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu", name="base"),
                              layers.Dense(12, activation="relu", name="middle", kernel_regularizer=R.L2(0.01)),
                              layers.Dense(3, name="head")])
    model.compile(optimizer=O.Adam(O.schedules.ExponentialDecay(0.2, 5, 0.5)), loss=SCE, metrics=["accuracy"])
    model.save(os.path.join(folder, "initial.keras"))
    for name, a in [("x", x), ("y", y), ("x_val", xv), ("y_val", yv)]:
        np.save(os.path.join(folder, f"{name}.npy"), a)
    model.get_layer("base").trainable = False
    model.compile(optimizer=O.Adam(0.01), loss=SCE, metrics=["accuracy"])
    class_weight = {0: 1.0, 1: 2.0, 2: 0.5}
    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True),
        keras.callbacks.ModelCheckpoint(os.path.join(folder, "best.keras"), monitor="val_loss", save_best_only=True),
        keras.callbacks.CSVLogger(os.path.join(folder, "log.csv")),
    ]
    history = model.fit(x, y, batch_size=BATCH, epochs=30, shuffle=False, verbose=0, validation_data=(xv, yv),
                        class_weight=class_weight, callbacks=callbacks)
    epochs_run = len(history.history["loss"])
    assert epochs_run < 30, "the run must stop early"
    model.save(os.path.join(folder, "final.keras"))
    dump_history(os.path.join(folder, "history.json"), history,
                 {"epochs_run": epochs_run, "best_epoch": int(callbacks[0].best_epoch),
                  "class_weight": {str(k): v for k, v in class_weight.items()}})


def make_monitor_cases():
    """Keras's EarlyStopping and ReduceLROnPlateau fed given epoch logs (no training): after which epoch each stops,
    its best epoch, and the learning rate each epoch, for their options (mode, min_delta, baseline,
    start_from_epoch, cooldown, min_lr)."""
    model = keras.Sequential([keras.Input((2,)), layers.Dense(2)])
    model.compile(optimizer=O.SGD(0.1), loss="mse", metrics=["accuracy"])
    model.evaluate(np.zeros((2, 2), "float32"), np.zeros((2, 2), "float32"), verbose=0)   # builds the metrics ("auto" mode)
    falling_then_flat = [1.0, 0.8, 0.7, 0.69, 0.695, 0.7, 0.68, 0.75, 0.8, 0.9]
    rising = [0.3, 0.5, 0.55, 0.54, 0.56, 0.56, 0.52, 0.4, 0.4, 0.4]
    early = [
        ({"monitor": "loss", "patience": 2}, "loss", falling_then_flat),
        ({"monitor": "loss", "patience": 1, "min_delta": 0.05}, "loss", falling_then_flat),
        ({"monitor": "val_accuracy", "patience": 2}, "val_accuracy", rising),
        ({"monitor": "val_accuracy", "patience": 2, "mode": "min"}, "val_accuracy", rising),
        ({"monitor": "loss", "patience": 3, "baseline": 0.75}, "loss", falling_then_flat),
        ({"monitor": "loss", "patience": 0, "start_from_epoch": 4}, "loss", falling_then_flat),
        ({"monitor": "loss", "patience": 2, "baseline": 0.5}, "loss", falling_then_flat),
    ]
    cases = []
    for config, key, values in early:
        cb = keras.callbacks.EarlyStopping(**config)
        cb.set_model(model)
        model.stop_training = False
        cb.on_train_begin()
        stopped = None
        for epoch, v in enumerate(values):
            cb.on_epoch_end(epoch, {key: v})
            if model.stop_training:
                stopped = epoch
                break
        cases.append({"callback": "EarlyStopping", "config": config, "key": key, "values": values,
                      "stopped_after": stopped, "best_epoch": int(cb.best_epoch)})
    plateau = [
        ({"monitor": "loss", "factor": 0.5, "patience": 1}, falling_then_flat),
        ({"monitor": "loss", "factor": 0.2, "patience": 2, "cooldown": 2, "min_delta": 0.02}, falling_then_flat),
        ({"monitor": "loss", "factor": 0.1, "patience": 1, "min_lr": 0.005}, falling_then_flat),
    ]
    for config, values in plateau:
        model.optimizer.learning_rate = 0.1
        cb = keras.callbacks.ReduceLROnPlateau(**config)
        cb.set_model(model)
        cb.on_train_begin()
        rates = []
        for epoch, v in enumerate(values):
            logs = {"loss": v}
            cb.on_epoch_end(epoch, logs)
            rates.append([logs["learning_rate"], float(model.optimizer.learning_rate)])
        cases.append({"callback": "ReduceLROnPlateau", "config": config, "key": "loss", "values": values, "rates": rates})
    import tempfile
    with tempfile.TemporaryDirectory() as work:
        for freq, best in [(2, False), (4, True)]:
            ckpt = keras.callbacks.ModelCheckpoint(os.path.join(work, f"f{freq}-{{epoch}}-{{batch}}.keras"), monitor="loss",
                                                   save_freq=freq, save_best_only=best)
            model.fit(np.ones((6, 2), "float32"), np.zeros((6, 2), "float32"), batch_size=2, epochs=3, shuffle=False,
                      verbose=0, callbacks=[ckpt])
            cases.append({"callback": "ModelCheckpoint", "config": {"save_freq": freq, "save_best_only": best},
                          "files": sorted(f for f in os.listdir(work) if f.startswith(f"f{freq}-"))})
    with open(os.path.join(ROOT, "callbacks", "monitor_cases.json"), "w") as f:
        json.dump(cases, f, indent=1)


if __name__ == "__main__":
    make_steps()
    make_callbacks()
    make_cli_recipe()
    make_monitor_cases()
