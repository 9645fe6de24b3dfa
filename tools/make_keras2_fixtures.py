"""Generates Fixtures/keras2/ with genuine Keras 2 (tf_keras) HDF5 files: model.save("x.h5").

    python3 -m venv .venv-keras2 && .venv-keras2/bin/pip install -r tools/requirements-keras2.txt
    TF_USE_LEGACY_KERAS=1 .venv-keras2/bin/python tools/make_keras2_fixtures.py
"""
import json
import os
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402
from tf_keras import layers  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from antirectifier2016 import keras2_class  # noqa: E402

Antirectifier = keras2_class()
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "keras2")
shutil.rmtree(ROOT, ignore_errors=True)
os.makedirs(ROOT)
rng = np.random.default_rng(2016)
keras.utils.set_random_seed(2016)
manifest = []


def save(name, model, x, note, include_optimizer=True):
    model.save(os.path.join(ROOT, f"{name}.h5"), include_optimizer=include_optimizer)
    np.save(os.path.join(ROOT, f"{name}.input.npy"), x.astype("float32"))
    np.save(os.path.join(ROOT, f"{name}.output.npy"), model.predict(x, verbose=0).astype("float32"))
    manifest.append({"name": name, "pins": note, "keras_version": keras.__version__})


# The 2016 seed: Dense(256) → Antirectifier → Dropout(0.1) → Dense(256) → Antirectifier → Dropout(0.1) → Dense(10)
# → Activation('softmax'), categorical cross-entropy, RMSprop (untrained weights; saved without optimizer state to
# stay small).
seed = keras.Sequential([
    layers.Dense(256, input_shape=(784,)), Antirectifier(), layers.Dropout(0.1),
    layers.Dense(256), Antirectifier(), layers.Dropout(0.1), layers.Dense(10), layers.Activation("softmax"),
])
seed.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
save("seed2016", seed, rng.random((6, 784)), "the 2016 seed model (weightless Antirectifier, softmax head)", include_optimizer=False)

# A compiled MLP trained a few steps, with its optimizer state (RMSprop, one-hot labels).
mlp = keras.Sequential([layers.Dense(12, activation="relu", input_shape=(8,)), layers.Dropout(0.2),
                        layers.Dense(6, activation="tanh"), Antirectifier(), layers.Dense(4, activation="softmax")])
mlp.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.RMSprop(learning_rate=0.005), metrics=["accuracy"])
x = rng.normal(0, 1, (24, 8)).astype("float32")
y = np.eye(4, dtype="float32")[rng.integers(0, 4, 24)]
mlp.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
save("mlp_rmsprop_trained", mlp, x[:6], "compiled, trained 3 steps: training_config and optimizer_weights")
np.save(os.path.join(ROOT, "mlp_rmsprop_trained.x.npy"), x)
np.save(os.path.join(ROOT, "mlp_rmsprop_trained.y.npy"), y)

# An MLP with an explicit Input, Adam and sparse labels, sigmoid/elu activations, no bias on one layer.
inp = keras.Input((10,))
mlp2 = keras.Sequential([inp, layers.Dense(9, activation="elu"), layers.Dense(7, activation="sigmoid", use_bias=False),
                         layers.Dense(3)])
mlp2.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer="adam", metrics=["accuracy"])
mlp2.fit(rng.normal(0, 1, (16, 10)), rng.integers(0, 3, 16), batch_size=8, verbose=0)
save("mlp_adam_input_layer", mlp2, rng.normal(0, 1, (5, 10)), "explicit InputLayer, Adam, sparse CE object (reduction 'auto')")

# A Functional model: two inputs, a shared Dense, Add / Concatenate merges, trained with RMSprop.
a = keras.Input((4,), name="a")
b = keras.Input((4,), name="b")
shared = layers.Dense(4, activation="tanh", name="shared")
merged = layers.Concatenate()([layers.Add()([shared(a), shared(b)]), a])
functional = keras.Model([a, b], layers.Dense(2, name="head")(layers.Dense(6, activation="relu")(merged)))
functional.compile(loss="mse", optimizer="rmsprop")
functional.fit([rng.normal(0, 1, (16, 4)), rng.normal(0, 1, (16, 4))], rng.normal(0, 1, (16, 2)), batch_size=8, verbose=0)
fx = [rng.normal(0, 1, (5, 4)).astype("float32"), rng.normal(0, 1, (5, 4)).astype("float32")]
functional.save(os.path.join(ROOT, "functional_two_inputs.h5"))
for i, xi in enumerate(fx):
    np.save(os.path.join(ROOT, f"functional_two_inputs.input_{i}.npy"), xi)
np.save(os.path.join(ROOT, "functional_two_inputs.output.npy"), functional.predict(fx, verbose=0).astype("float32"))
manifest.append({"name": "functional_two_inputs", "pins": "Functional: two inputs, a shared layer, Add and Concatenate (Keras 2's list-form inbound_nodes)"})

# A Keras 2 convnet graph: Conv2D, BatchNormalization (axis saved as [3]), ReLU, DepthwiseConv2D, MaxPooling2D, Add,
# GlobalAveragePooling2D, an Embedding input, Concatenate, LeakyReLU (alpha), LayerNormalization (axis [1]), Dropout.
image_in = keras.Input((10, 10, 2), name="image")
t = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(4, 3, padding="same")(image_in)))
t = layers.MaxPooling2D()(layers.DepthwiseConv2D(3)(t))
t = layers.GlobalAveragePooling2D()(layers.Add()([t, layers.Conv2D(4, 1)(t)]))
tokens_in = keras.Input((5,), name="tokens")
t = layers.Concatenate()([t, layers.Flatten()(layers.Embedding(20, 3)(tokens_in))])
t = layers.LayerNormalization()(layers.LeakyReLU()(layers.Dense(6)(t)))
convnet = keras.Model([image_in, tokens_in], layers.Dense(3, activation="softmax")(layers.Dropout(0.2)(t)))
convnet.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
cx = [rng.normal(0, 1, (16, 10, 10, 2)).astype("float32"), rng.integers(0, 20, (16, 5)).astype("float32")]
convnet.fit(cx, rng.integers(0, 3, 16), batch_size=8, verbose=0)
convnet.save(os.path.join(ROOT, "functional_convnet.h5"))
for i, xi in enumerate(cx):
    np.save(os.path.join(ROOT, f"functional_convnet.input_{i}.npy"), xi[:4])
np.save(os.path.join(ROOT, "functional_convnet.output.npy"), convnet.predict([xi[:4] for xi in cx], verbose=0).astype("float32"))
manifest.append({"name": "functional_convnet", "pins": "a Keras 2 convnet graph (BatchNormalization axis [3], Embedding input, LayerNormalization, LeakyReLU alpha)"})
# Normalization and activation layers as Keras 2 writes them: BatchNormalization's axis as a one-element list,
# LeakyReLU's `alpha`, LayerNormalization's axis list; weights randomized (moving variances positive).
norm = keras.Sequential([layers.InputLayer((4, 3)), layers.BatchNormalization(axis=1), layers.LayerNormalization(axis=1),
                         layers.LeakyReLU(alpha=0.1), layers.Softmax(axis=1), layers.Flatten(), layers.Dense(3)])
norm.set_weights([(rng.uniform(0.3, 2.0, w.shape) if "variance" in w.name else rng.normal(0, 0.5, w.shape)).astype("float32")
                  for w in norm.weights])
save("norm_layers", norm, rng.normal(0.3, 1.5, (5, 4, 3)), "BatchNormalization axis [1], LayerNormalization, LeakyReLU alpha, Softmax axis 1")

# Keras 2's Embedding writes `input_length`; ids are stored as float32.
embedding = keras.Sequential([layers.Embedding(9, 3, input_length=5), layers.Flatten(), layers.Dense(2)])
embedding.build((None, 5))
save("embedding", embedding, rng.integers(0, 9, (4, 5)), "Embedding with Keras 2's input_length")

with open(os.path.join(ROOT, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
