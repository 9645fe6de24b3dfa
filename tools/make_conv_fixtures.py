"""Generates Fixtures/layers/conv/ (inference) and Fixtures/layer_training/conv_* (three training steps) for the
convolution and pooling layers, with real Keras 3 (JAX backend).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_conv_fixtures.py
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
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.get_weights()])


def inference_cases():
    L = layers
    img = (9, 8, 3)
    seq = (11, 3)
    return {
        "conv2d_valid": (img, [L.Conv2D(4, 3)]),
        "conv2d_same_stride2_relu": (img, [L.Conv2D(5, (3, 2), strides=2, padding="same", activation="relu")]),
        "conv2d_same_stride_odd_input": ((7, 7, 2), [L.Conv2D(3, 4, strides=(2, 3), padding="same")]),
        "conv2d_dilated_no_bias": (img, [L.Conv2D(2, 3, dilation_rate=2, use_bias=False, padding="same")]),
        "conv2d_groups": ((6, 6, 4), [L.Conv2D(6, 3, groups=2, activation="tanh")]),
        "conv2d_1x1": (img, [L.Conv2D(2, 1)]),
        "conv1d_valid": (seq, [L.Conv1D(4, 3)]),
        "conv1d_same_stride": (seq, [L.Conv1D(4, 4, strides=3, padding="same")]),
        "conv1d_causal_dilated": (seq, [L.Conv1D(2, 3, padding="causal", dilation_rate=2, activation="elu")]),
        "depthwise_valid": (img, [L.DepthwiseConv2D(3)]),
        "depthwise_multiplier_same_stride": (img, [L.DepthwiseConv2D((2, 3), depth_multiplier=2, strides=2, padding="same")]),
        "maxpool2d_default": (img, [L.MaxPooling2D()]),
        "maxpool2d_same_stride1": (img, [L.MaxPooling2D(3, strides=1, padding="same")]),
        "maxpool2d_same_uneven": ((7, 5, 2), [L.MaxPooling2D((2, 3), strides=(2, 2), padding="same")]),
        "avgpool2d_valid": (img, [L.AveragePooling2D((2, 3), strides=(1, 2))]),
        "avgpool2d_same": ((7, 5, 2), [L.AveragePooling2D(3, strides=2, padding="same")]),
        "maxpool1d_same": (seq, [L.MaxPooling1D(3, strides=2, padding="same")]),
        "avgpool1d_valid": (seq, [L.AveragePooling1D(2)]),
        "avgpool1d_same": (seq, [L.AveragePooling1D(4, strides=3, padding="same")]),
        "global_avg2d": (img, [L.GlobalAveragePooling2D()]),
        "global_max2d_keepdims": (img, [L.GlobalMaxPooling2D(keepdims=True)]),
        "global_avg1d_keepdims": (seq, [L.GlobalAveragePooling1D(keepdims=True)]),
        "global_max1d": (seq, [L.GlobalMaxPooling1D()]),
        "zeropadding2d_int": (img, [L.ZeroPadding2D(2)]),
        "zeropadding2d_pairs": (img, [L.ZeroPadding2D(((1, 0), (2, 3))), L.Conv2D(2, 2)]),
        "upsampling2d": ((4, 3, 2), [L.UpSampling2D((2, 3)), L.Conv2D(2, 2)]),
        "mnist_convnet_shape": ((28, 28, 1), [L.Conv2D(32, (3, 3), activation="relu"), L.MaxPooling2D((2, 2)),
                                              L.Conv2D(64, (3, 3), activation="relu"), L.MaxPooling2D((2, 2)), L.Flatten(),
                                              L.Dropout(0.5), L.Dense(10, activation="softmax")]),
    }


def later_cases():
    """Cases added after the first release of this file: generated last, so earlier cases keep their random draws."""
    L = layers
    img = (9, 8, 3)
    return {
        "separable_conv2d_same_stride": (img, [L.SeparableConv2D(4, 3, strides=2, padding="same", depth_multiplier=2, activation="relu")]),
        "separable_conv2d_valid_no_bias": (img, [L.SeparableConv2D(2, (2, 3), use_bias=False)]),
        "cropping2d_pairs": (img, [L.Cropping2D(((1, 2), (0, 3)))]),
        "cropping2d_int": (img, [L.Cropping2D(1), L.Conv2D(2, 2)]),
    }


def training_cases():
    L = layers
    return {
        "conv_convnet_adam": ((8, 8, 2), [L.Conv2D(4, 3, activation="relu"), L.MaxPooling2D(), L.Flatten(), L.Dense(3)],
                              keras.optimizers.Adam(0.01), keras.losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"], 3),
        "conv_conv1d_global_avg_rmsprop": ((10, 3), [L.Conv1D(4, 3, padding="causal", activation="tanh"), L.GlobalAveragePooling1D(), L.Dense(2)],
                                           keras.optimizers.RMSprop(), keras.losses.SparseCategoricalCrossentropy(from_logits=True), None, 2),
        "conv_depthwise_avgpool_sgd": ((6, 6, 3), [L.DepthwiseConv2D(3, depth_multiplier=2, padding="same"), L.AveragePooling2D(2, padding="same"),
                                                   L.Conv2D(2, 2, strides=2, groups=2), L.GlobalMaxPooling2D(), L.Dense(3)],
                                       keras.optimizers.SGD(0.05, momentum=0.9), keras.losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"], 3),
        "conv_padding_upsampling_adam": ((4, 4, 2), [L.ZeroPadding2D(1), L.Conv2D(3, 3, dilation_rate=2, padding="same"), L.UpSampling2D(),
                                                     L.MaxPooling2D(3, strides=2, padding="same"), L.Flatten(), L.Dense(2)],
                                         keras.optimizers.Adam(), "mse", None, None),
    }


def main():
    folder = os.path.join(ROOT, "layers", "conv")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rng = np.random.default_rng(21)
    keras.utils.set_random_seed(21)
    for name, (shape, stack) in inference_cases().items():
        model = keras.Sequential([keras.Input(shape)] + stack)
        randomize(model, rng)
        x = rng.normal(0, 1, (4,) + shape).astype("float32")
        save_inference_case(folder, name, model, x)
    for name, (shape, stack, optimizer, loss, metrics, classes) in training_cases().items():
        keras.utils.set_random_seed(31)
        model = keras.Sequential([keras.Input(shape)] + stack)
        model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
        x = rng.normal(0, 1, (24,) + shape).astype("float32")
        y = (rng.integers(0, classes, 24) if classes else rng.normal(0, 1, (24,) + model.output_shape[1:])).astype("float32")
        save_training_case(os.path.join(ROOT, "layer_training", name), model, [x], y)
    for name, (shape, stack) in later_cases().items():
        model = keras.Sequential([keras.Input(shape)] + stack)
        randomize(model, rng)
        save_inference_case(folder, name, model, rng.normal(0, 1, (4,) + shape).astype("float32"))


if __name__ == "__main__":
    main()
