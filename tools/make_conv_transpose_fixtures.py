"""Generates Fixtures/layers/conv_transpose/ (inference) and Fixtures/layer_training/conv_transpose_* (three
training steps) for Conv1DTranspose and Conv2DTranspose, with real Keras 3 (JAX backend): valid and same padding,
strides, output_padding, dilation, no bias, activations, an encoder-decoder trained with Adam; and the 1-D reshaping
layers (ZeroPadding1D, Cropping1D, UpSampling1D).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_conv_transpose_fixtures.py
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from fixture_cases import save_layer_family  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")

INFERENCE = {
    "conv2d_transpose_valid": ((5, 4, 3), [L.Conv2DTranspose(4, 3)]),
    "conv2d_transpose_same_stride2_relu": ((5, 4, 3), [L.Conv2DTranspose(3, 3, strides=2, padding="same", activation="relu")]),
    "conv2d_transpose_valid_stride_uneven": ((4, 5, 2), [L.Conv2DTranspose(2, (2, 3), strides=(3, 2))]),
    "conv2d_transpose_stride_above_kernel": ((3, 3, 2), [L.Conv2DTranspose(2, 2, strides=3)]),
    "conv2d_transpose_output_padding_valid": ((4, 4, 2), [L.Conv2DTranspose(3, 3, strides=2, output_padding=1)]),
    "conv2d_transpose_output_padding_same": ((4, 5, 2), [L.Conv2DTranspose(3, (3, 4), strides=(2, 3), padding="same",
                                                                           output_padding=(1, 2))]),
    "conv2d_transpose_even_kernel_same": ((5, 5, 2), [L.Conv2DTranspose(2, 4, strides=2, padding="same")]),
    "conv2d_transpose_dilated_no_bias": ((5, 4, 2), [L.Conv2DTranspose(2, 3, dilation_rate=2, use_bias=False, padding="same")]),
    "conv1d_transpose_valid": ((7, 3), [L.Conv1DTranspose(4, 3)]),
    "conv1d_transpose_same_stride": ((7, 3), [L.Conv1DTranspose(2, 4, strides=3, padding="same", activation="tanh")]),
    "conv1d_transpose_output_padding": ((6, 2), [L.Conv1DTranspose(3, 3, strides=2, output_padding=1)]),
    "reshaping1d_pad_crop_upsample": ((6, 3), [L.ZeroPadding1D((1, 2)), L.Conv1D(2, 2), L.Cropping1D((2, 1)),
                                               L.UpSampling1D(3), L.ZeroPadding1D(1), L.Cropping1D(1)]),
}

TRAINING = {
    "conv_transpose_autoencoder_adam": ((8, 8, 1), [L.Conv2D(4, 3, strides=2, padding="same", activation="relu"),
                                                    L.Conv2DTranspose(4, 3, strides=2, padding="same", activation="relu"),
                                                    L.Conv2DTranspose(1, 3, padding="same")],
                                        keras.optimizers.Adam(), "mse"),
    "conv1d_transpose_rmsprop": ((6, 2), [L.Conv1DTranspose(3, 3, strides=2, output_padding=1, activation="tanh"),
                                          L.Flatten(), L.Dense(2)],
                                 keras.optimizers.RMSprop(), "mse"),
    "reshaping1d_sgd": ((7, 2), [L.ZeroPadding1D(2), L.Conv1D(3, 3), L.UpSampling1D(2), L.Cropping1D((1, 3)), L.Flatten(),
                                 L.Dense(2)], keras.optimizers.SGD(0.05), "mse"),
}


def main():
    save_layer_family(ROOT, "conv_transpose", INFERENCE, TRAINING, seed=41)


if __name__ == "__main__":
    main()
