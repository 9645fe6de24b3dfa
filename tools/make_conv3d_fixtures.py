"""Generates Fixtures/layers/conv3d/ (inference) and Fixtures/layer_training/conv3d_* (three training steps) with
real Keras 3 (JAX backend): Conv3D (strides, valid/same, dilation, groups, activation, no bias, channels_first),
Conv3DTranspose (strides, padding, output_padding, dilation, channels_first), MaxPooling3D / AveragePooling3D
(valid, same), GlobalAverage/MaxPooling3D (keepdims), UpSampling3D, ZeroPadding3D, Cropping3D, and the
channels_first form of the 1-D and 2-D convolution, pooling and reshaping layers that share their code (and of
ZeroPadding1D).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_conv3d_fixtures.py
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from fixture_cases import save_layer_family  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")
CF = "channels_first"

INFERENCE = {
    # Conv3D
    "conv3d_valid": ((5, 6, 4, 2), [L.Conv3D(3, 2)]),
    "conv3d_same_strides_relu": ((5, 6, 4, 2), [L.Conv3D(4, (3, 2, 3), strides=(2, 1, 2), padding="same", activation="relu")]),
    "conv3d_valid_strides_uneven": ((5, 6, 4, 2), [L.Conv3D(2, (2, 3, 1), strides=(3, 2, 1))]),
    "conv3d_dilated_same_no_bias": ((5, 6, 4, 2), [L.Conv3D(3, 2, dilation_rate=(2, 1, 3), padding="same", use_bias=False,
                                                            activation="tanh")]),
    "conv3d_groups": ((4, 5, 4, 4), [L.Conv3D(6, (2, 2, 3), groups=2, dilation_rate=(1, 2, 1))]),
    "conv3d_channels_first": ((2, 5, 6, 4), [L.Conv3D(3, (2, 3, 2), strides=(1, 2, 2), padding="same", data_format=CF,
                                                      activation="sigmoid")]),
    # Conv3DTranspose
    "conv3d_transpose_valid": ((3, 4, 2, 2), [L.Conv3DTranspose(3, 2)]),
    "conv3d_transpose_same_strides": ((3, 4, 2, 2), [L.Conv3DTranspose(2, 3, strides=(2, 1, 2), padding="same",
                                                                       activation="relu")]),
    "conv3d_transpose_output_padding": ((3, 3, 2, 2), [L.Conv3DTranspose(2, (3, 2, 3), strides=(2, 2, 3),
                                                                         output_padding=(1, 0, 2))]),
    "conv3d_transpose_output_padding_same": ((3, 3, 2, 2), [L.Conv3DTranspose(2, (3, 4, 2), strides=(2, 3, 2), padding="same",
                                                                              output_padding=(1, 2, 0))]),
    "conv3d_transpose_dilated_no_bias": ((3, 4, 3, 2), [L.Conv3DTranspose(2, 2, dilation_rate=(2, 1, 2), use_bias=False)]),
    "conv3d_transpose_channels_first": ((2, 3, 4, 2), [L.Conv3DTranspose(3, 2, strides=2, padding="same", data_format=CF)]),
    # pooling
    "maxpool3d_default": ((5, 6, 4, 2), [L.MaxPooling3D()]),
    "maxpool3d_same_strides": ((5, 6, 4, 2), [L.MaxPooling3D((2, 3, 2), strides=(1, 2, 3), padding="same")]),
    "avgpool3d_valid_strides": ((5, 6, 4, 2), [L.AveragePooling3D((3, 2, 2), strides=(2, 1, 2))]),
    "avgpool3d_same": ((5, 6, 4, 2), [L.AveragePooling3D(3, strides=2, padding="same")]),
    "pool3d_channels_first": ((2, 5, 6, 4), [L.MaxPooling3D(2, padding="same", data_format=CF),
                                             L.AveragePooling3D((1, 2, 2), strides=1, padding="same", data_format=CF)]),
    "global_avg3d": ((5, 6, 4, 2), [L.GlobalAveragePooling3D()]),
    "global_max3d_keepdims": ((5, 6, 4, 2), [L.GlobalMaxPooling3D(keepdims=True)]),
    "global_pool3d_channels_first": ((2, 5, 6, 4), [L.Conv3D(3, 2, data_format=CF),
                                                    L.GlobalAveragePooling3D(data_format=CF, keepdims=True),
                                                    L.GlobalMaxPooling3D(data_format=CF)]),
    # reshaping
    "zeropadding3d_pairs": ((3, 2, 4, 2), [L.ZeroPadding3D(((1, 0), (2, 1), (0, 2)))]),
    "zeropadding3d_int_and_triple": ((3, 2, 4, 2), [L.ZeroPadding3D(1), L.ZeroPadding3D((0, 2, 1))]),
    "cropping3d_pairs": ((5, 6, 4, 2), [L.Cropping3D(((1, 0), (2, 1), (0, 2)))]),
    "cropping3d_int_and_triple": ((5, 6, 4, 2), [L.Cropping3D(1), L.Cropping3D((0, 1, 0))]),
    "upsampling3d": ((3, 2, 4, 2), [L.UpSampling3D((2, 1, 3))]),
    "reshaping3d_channels_first": ((2, 3, 4, 2), [L.ZeroPadding3D(((1, 0), (0, 1), (2, 0)), data_format=CF),
                                                  L.UpSampling3D((1, 2, 2), data_format=CF),
                                                  L.Cropping3D(((0, 1), (1, 2), (1, 1)), data_format=CF)]),
    # channels_first in the 1-D and 2-D layers sharing the code
    "conv2d_channels_first": ((2, 6, 5), [L.Conv2D(3, 3, strides=2, padding="same", data_format=CF, activation="relu")]),
    "conv2d_transpose_channels_first": ((2, 4, 3), [L.Conv2DTranspose(3, 3, strides=2, data_format=CF)]),
    "conv1d_channels_first": ((3, 7), [L.Conv1D(2, 3, padding="causal", data_format=CF)]),
    "pool2d_reshaping2d_channels_first": ((2, 6, 5), [L.MaxPooling2D(2, padding="same", data_format=CF),
                                                     L.ZeroPadding2D((1, 2), data_format=CF),
                                                     L.UpSampling2D(2, data_format=CF),
                                                     L.Cropping2D(((1, 0), (2, 1)), data_format=CF),
                                                     L.AveragePooling2D(2, data_format=CF),
                                                     L.GlobalMaxPooling2D(data_format=CF, keepdims=True)]),
    "pool1d_channels_first": ((3, 8), [L.MaxPooling1D(2, data_format=CF), L.AveragePooling1D(3, strides=1, padding="same",
                                                                                              data_format=CF),
                                       L.GlobalAveragePooling1D(data_format=CF)]),
    "zeropadding1d_channels_first": ((3, 5), [L.ZeroPadding1D((2, 1), data_format=CF), L.Conv1D(2, 2, data_format=CF)]),
}

TRAINING = {
    "conv3d_encoder_decoder_adam": ((4, 6, 4, 2), [
        L.Conv3D(3, 3, strides=2, padding="same", activation="relu", kernel_regularizer=keras.regularizers.L2(0.01),
                 kernel_constraint=keras.constraints.MaxNorm(1.5)),
        L.Conv3DTranspose(3, 3, strides=2, padding="same", activation="relu", bias_regularizer="l1"),
        L.Conv3DTranspose(1, (2, 1, 2), padding="same", kernel_constraint=keras.constraints.NonNeg())],
        keras.optimizers.Adam(), "mse"),
    "conv3d_pooling_rmsprop": ((4, 5, 4, 2), [
        L.ZeroPadding3D(((1, 0), (0, 1), (1, 1))), L.Conv3D(4, 2, groups=2, dilation_rate=(1, 2, 1), activation="tanh"),
        L.MaxPooling3D((2, 2, 1), padding="same"), L.UpSampling3D((2, 1, 2)), L.AveragePooling3D(2, strides=1, padding="same"),
        L.Cropping3D(((1, 0), (0, 0), (1, 1))), L.Conv3DTranspose(2, 2, strides=(1, 2, 1), output_padding=(0, 1, 0),
                                                                  dilation_rate=1),
        L.GlobalAveragePooling3D(), L.Dense(2)],
        keras.optimizers.RMSprop(), "mse"),
    "conv3d_channels_first_sgd": ((2, 4, 5, 4), [
        L.Conv3D(3, 2, padding="same", data_format=CF, activation="relu", bias_regularizer="l2"),
        L.MaxPooling3D(2, data_format=CF), L.Conv3DTranspose(2, 2, strides=2, data_format=CF),
        L.ZeroPadding3D(1, data_format=CF), L.Cropping3D((0, 1, 1), data_format=CF),
        L.UpSampling3D(1, data_format=CF), L.GlobalMaxPooling3D(data_format=CF, keepdims=True), L.Flatten(), L.Dense(2)],
        keras.optimizers.SGD(0.05, momentum=0.9), "mse"),
}


def main():
    save_layer_family(ROOT, "conv3d", INFERENCE, TRAINING, seed=43)


if __name__ == "__main__":
    main()
