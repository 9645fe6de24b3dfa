"""Generates Fixtures/layers/norm/ (inference) and Fixtures/layer_training/norm_* (three training steps) for the
normalization, embedding, activation and reshaping layers, with real Keras 3 (JAX backend).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_norm_fixtures.py
"""
import os
import shutil
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from fixture_cases import save_inference_case, save_training_case  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")


def randomize(model, rng):
    """Non-trivial weights; moving variances positive."""
    model.set_weights([(rng.uniform(0.3, 2.0, w.shape) if "variance" in w.path else rng.normal(0, 0.5, w.shape)).astype("float32")
                       for w in model.weights])


def inference_cases():
    L = layers
    return {
        "batchnorm_last_axis": ((6,), [L.Dense(5), L.BatchNormalization()], "normal"),
        "batchnorm_axis1_rank3": ((4, 3), [L.BatchNormalization(axis=1, epsilon=0.01)], "normal"),
        "batchnorm_no_center_no_scale": ((5,), [L.BatchNormalization(center=False, scale=False)], "normal"),
        "batchnorm_conv": ((5, 5, 3), [L.Conv2D(4, 3), L.BatchNormalization(), L.ReLU()], "normal"),
        "layernorm_last_axis": ((6,), [L.LayerNormalization()], "normal"),
        "layernorm_two_axes": ((3, 4, 2), [L.LayerNormalization(axis=[2, 3], epsilon=1e-5)], "normal"),
        "layernorm_axis1_no_scale": ((4, 3), [L.LayerNormalization(axis=1, scale=False)], "normal"),
        "embedding_flatten_dense": ((5,), [L.Embedding(12, 3), L.Flatten(), L.Dense(2)], "ids12"),
        "embedding_2d_ids": ((2, 3), [L.Embedding(7, 4)], "ids7"),
        "relu_plain": ((6,), [L.ReLU()], "normal"),
        "relu_max_slope_threshold": ((6,), [L.ReLU(max_value=1.2, negative_slope=0.1, threshold=0.3)], "normal"),
        "relu_threshold_cap": ((6,), [L.ReLU(max_value=2.0, threshold=0.5)], "normal"),
        "relu_slope_only": ((6,), [L.ReLU(negative_slope=0.2)], "normal"),
        "leaky_relu_default": ((6,), [L.LeakyReLU()], "normal"),
        "leaky_relu_slope": ((6,), [L.LeakyReLU(negative_slope=0.05)], "normal"),
        "softmax_last": ((6,), [L.Softmax()], "normal"),
        "softmax_axis1_rank3": ((3, 4), [L.Softmax(axis=1)], "normal"),
        "rescaling": ((6,), [L.Rescaling(1 / 255, offset=-0.5)], "normal"),
        "permute": ((2, 3, 4), [L.Permute((3, 1, 2))], "normal"),
        "repeat_vector": ((4,), [L.RepeatVector(3), L.Dense(2)], "normal"),
    }


def later_cases():
    """Cases added after the first release of this file: generated last, so earlier cases keep their random draws."""
    L = layers
    return {
        "normalization_given_mean_variance": ((3,), [L.Normalization(mean=[0.5, -1.0, 2.0], variance=[4.0, 0.25, 1.0])], "normal"),
        "normalization_adapted_axis3": ((4, 4, 3), [L.Normalization(axis=-1)], "normal"),
        "normalization_invert": ((3,), [L.Normalization(mean=1.5, variance=9.0, invert=True)], "normal"),
        "hard_silu_activation": ((6,), [L.Dense(6), L.Activation("hard_silu"), L.Dense(3, activation="hard_swish")], "normal"),
        "dropout_noise_shape_inference": ((4, 4, 2), [L.Conv2D(2, 1), L.Dropout(0.5, noise_shape=(None, 1, 1, 1))], "normal"),
    }


def make_input(kind, shape, rng, n):
    if kind == "wide":
        return rng.normal(2.0, 6.0, (n,) + shape).astype("float32")
    if kind.startswith("ids"):
        return rng.integers(0, int(kind[3:]), (n,) + shape).astype("float32")
    return rng.normal(0.3, 1.5, (n,) + shape).astype("float32")


def training_cases():
    """A bias right before BatchNormalization has a zero gradient in exact arithmetic, so Adam would amplify
    rounding noise into its updates: the Dense layers feeding BatchNormalization here have no bias."""
    L = layers
    return {
        "norm_dense_batchnorm_adam": ((6,), [L.Dense(8, use_bias=False), L.BatchNormalization(momentum=0.9), L.ReLU(), L.Dense(3)], "normal",
                                      keras.optimizers.Adam(0.01), keras.losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"], 3),
        "norm_conv_batchnorm_sgd": ((5, 5, 2), [L.Conv2D(3, 3, padding="same"), L.BatchNormalization(), L.LeakyReLU(), L.GlobalAveragePooling2D(), L.Dense(2)], "normal",
                                    keras.optimizers.SGD(0.1, momentum=0.9), keras.losses.SparseCategoricalCrossentropy(from_logits=True), None, 2),
        "norm_layernorm_rmsprop": ((3, 4), [L.LayerNormalization(axis=[1, 2]), L.Flatten(), L.Dense(4), L.LayerNormalization(), L.Dense(3)], "normal",
                                   keras.optimizers.RMSprop(), keras.losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"], 3),
        "norm_embedding_adam": ((5,), [L.Embedding(9, 3), L.Flatten(), L.Dense(3)], "ids9",
                                keras.optimizers.Adam(0.05), keras.losses.SparseCategoricalCrossentropy(from_logits=True), None, 3),
        "norm_relu_softmax_permute_sgd": ((2, 3), [L.Permute((2, 1)), L.Flatten(), L.RepeatVector(2), L.Dense(3), L.ReLU(max_value=1.5, negative_slope=0.1),
                                                   L.Flatten(), L.Dense(3), L.Softmax()], "normal",
                                          keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy", ["accuracy"], 3),
    }


def extra_inference_cases():
    """Options added later; drawn from their own random stream so that the cases above stay reproducible."""
    L = layers
    return {
        "batchnorm_axis2_rank4_no_center": ((3, 4, 2), [L.BatchNormalization(axis=2, center=False, epsilon=0.1)], "normal"),
        "batchnorm_negative_axis_no_scale": ((4, 3), [L.BatchNormalization(axis=-2, scale=False, momentum=0.5)], "normal"),
        "layernorm_rms_scaling": ((3, 4), [L.LayerNormalization(axis=[1, 2], rms_scaling=True)], "normal"),
        "layernorm_negative_axes_no_center": ((2, 3, 4), [L.LayerNormalization(axis=[-1, -3], center=False, epsilon=0.01)], "normal"),
        "softmax_two_axes": ((3, 4, 2), [L.Softmax(axis=[1, 3])], "normal"),
        "softmax_axis_list_of_one": ((3, 4), [L.Softmax(axis=[1])], "normal"),
        "rescaling_lists": ((2, 3), [L.Rescaling([0.5, 2.0, -1.0], offset=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])], "normal"),
        "rescaling_numpy_scale": ((2, 3), [L.Rescaling(np.array([1.5, -2.0, 0.25], dtype="float32"), offset=2)], "normal"),
        "relu6_max_value": ((6,), [L.Dense(6), L.ReLU(max_value=6)], "wide"),
        "permute_rank2_repeat": ((3, 2), [L.Permute((2, 1)), L.Flatten(), L.RepeatVector(2), L.Permute((2, 1))], "normal"),
    }


def extra_training_cases():
    """Weights randomized (moving variances positive) so that every one of them matters."""
    L = layers
    frozen = L.BatchNormalization(momentum=0.9)
    frozen.trainable = False
    return {
        "norm_batchnorm_axis1_rank3_sgd": ((4, 3), [L.BatchNormalization(axis=1, center=False, momentum=0.8, epsilon=0.01), L.Flatten(), L.Dense(3)],
                                           "normal", keras.optimizers.SGD(0.1, momentum=0.5), keras.losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"], 3),
        "norm_frozen_batchnorm_adam": ((6,), [L.Dense(5, use_bias=False), frozen, L.Dense(3)], "normal",
                                       keras.optimizers.Adam(0.01), keras.losses.SparseCategoricalCrossentropy(from_logits=True), None, 3),
        "norm_rms_layernorm_softmax_axes_rmsprop": ((3, 4), [L.Rescaling([0.5, 2.0, -1.0, 1.5]), L.LayerNormalization(rms_scaling=True),
                                                            L.Softmax(axis=[1, 2]), L.Flatten(), L.Dense(3), L.LeakyReLU(0.2), L.Dense(3)], "normal",
                                                    keras.optimizers.RMSprop(0.01), keras.losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"], 3),
    }


def main():
    folder = os.path.join(ROOT, "layers", "norm")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rng = np.random.default_rng(41)
    keras.utils.set_random_seed(41)
    for name, (shape, stack, kind) in inference_cases().items():
        model = keras.Sequential([keras.Input(shape)] + stack)
        randomize(model, rng)
        x = make_input(kind, shape, rng, 4)
        save_inference_case(folder, name, model, x)
    for name, (shape, stack, kind, optimizer, loss, metrics, classes) in training_cases().items():
        keras.utils.set_random_seed(43)
        model = keras.Sequential([keras.Input(shape)] + stack)
        model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
        x = make_input(kind, shape, rng, 24)
        y = rng.integers(0, classes, 24).astype("float32")
        save_training_case(os.path.join(ROOT, "layer_training", name), model, [x], y)
    rng = np.random.default_rng(47)
    keras.utils.set_random_seed(47)
    for name, (shape, stack, kind) in extra_inference_cases().items():
        model = keras.Sequential([keras.Input(shape)] + stack)
        randomize(model, rng)
        save_inference_case(folder, name, model, make_input(kind, shape, rng, 4))
    for name, (shape, stack, kind, optimizer, loss, metrics, classes) in extra_training_cases().items():
        keras.utils.set_random_seed(47)
        model = keras.Sequential([keras.Input(shape)] + stack)
        randomize(model, rng)
        model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
        x = make_input(kind, shape, rng, 24)
        y = rng.integers(0, classes, 24).astype("float32")
        save_training_case(os.path.join(ROOT, "layer_training", name), model, [x], y)
    rng = np.random.default_rng(53)
    keras.utils.set_random_seed(53)
    for name, (shape, stack, kind) in later_cases().items():
        model = keras.Sequential([keras.Input(shape)] + stack)
        if name == "normalization_adapted_axis3":
            model.layers[0].adapt(rng.normal(2.0, 3.0, (32,) + shape).astype("float32"))
        else:
            randomize(model, rng)
        save_inference_case(folder, name, model, make_input(kind, shape, rng, 4))
    # Keras's summary text of one model: non-trainable statistics, a long name wrapped onto two lines.
    lines = []
    keras.models.load_model(os.path.join(folder, "batchnorm_conv.keras")).summary(print_fn=lambda line, **kw: lines.append(line))
    with open(os.path.join(folder, "batchnorm_conv.summary.txt"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
