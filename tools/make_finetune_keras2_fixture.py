"""Generates Fixtures/finetune/keras2 with genuine Keras 2 (tf_keras): a full-model .h5 with regularizers,
constraints, an activity regularizer, the ActivityRegularization layer and a learning-rate schedule, trained a few
steps; Keras 2's predictions and evaluate (the loss includes the penalties) on the same inputs.

    TF_USE_LEGACY_KERAS=1 .venv-keras2/bin/python tools/make_finetune_keras2_fixture.py
"""
import json
import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402
from tf_keras import layers, regularizers as R, constraints as C  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "finetune", "keras2")
os.makedirs(ROOT, exist_ok=True)
keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
x = rng.normal(0, 1, (24, 6)).astype("float32")
y = (np.arange(24) % 3).astype("float32")
model = keras.Sequential([
    keras.Input((6,)),
    layers.Dense(8, activation="relu", kernel_regularizer=R.L2(0.01), bias_regularizer=R.L1(0.02),
                 activity_regularizer=R.L1L2(0.001, 0.002), kernel_constraint=C.MaxNorm(0.8), bias_constraint=C.NonNeg()),
    layers.BatchNormalization(gamma_regularizer="l2", beta_constraint=C.UnitNorm(axis=0)),
    layers.ActivityRegularization(l1=0.01, l2=0.005),
    layers.Dense(3, kernel_regularizer=R.OrthogonalRegularizer(0.1), kernel_constraint=C.MinMaxNorm(0.1, 0.9)),
])
model.compile(optimizer=keras.optimizers.Adam(keras.optimizers.schedules.ExponentialDecay(0.01, 3, 0.5)),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
model.save(os.path.join(ROOT, "regularized.h5"))
np.save(os.path.join(ROOT, "x.npy"), x)
np.save(os.path.join(ROOT, "y.npy"), y)
np.save(os.path.join(ROOT, "output.npy"), model.predict(x, verbose=0))
evaluated = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
with open(os.path.join(ROOT, "keras2_result.json"), "w") as f:
    json.dump({"tf_keras": keras.__version__, "evaluate": {k: float(v) for k, v in evaluated.items()},
               "iterations": int(model.optimizer.iterations)}, f, indent=1)
