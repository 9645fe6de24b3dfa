"""Generates Fixtures/layers/group_unit_norm/ (inference) and Fixtures/layer_training/group_norm_* (three training
steps) for GroupNormalization and UnitNormalization, with real Keras 3 (JAX backend).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_group_unit_norm_fixtures.py
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
    "group_norm_dense_4_groups": ((8,), [L.GroupNormalization(groups=4)]),
    "group_norm_image": ((5, 4, 6), [L.GroupNormalization(groups=3, epsilon=1e-5)]),
    "group_norm_instance": ((5, 4, 6), [L.GroupNormalization(groups=-1)]),
    "group_norm_one_group_no_center": ((7, 4), [L.GroupNormalization(groups=1, center=False)]),
    "group_norm_axis_1": ((6, 5), [L.GroupNormalization(groups=2, axis=1, scale=False)]),
    "unit_norm_last": ((7,), [L.UnitNormalization()]),
    "unit_norm_axes": ((3, 4, 2), [L.UnitNormalization(axis=[1, 2])]),
    "unit_norm_sequence": ((5, 3), [L.UnitNormalization(axis=1)]),
}

TRAINING = {
    "group_norm_conv_adam": ((6, 6, 2), [L.Conv2D(4, 3, padding="same"), L.GroupNormalization(groups=2),
                                         L.Activation("relu"), L.Flatten(), L.Dense(3)], keras.optimizers.Adam(), "mse"),
    "group_unit_norm_rmsprop": ((8,), [L.Dense(6), L.GroupNormalization(groups=3, axis=-1), L.UnitNormalization(),
                                       L.Dense(2)], keras.optimizers.RMSprop(), "mse"),
}


def main():
    save_layer_family(ROOT, "group_unit_norm", INFERENCE, TRAINING, seed=51, weights=(1.0, 0.5), inputs=(0.5, 2.0))


if __name__ == "__main__":
    main()
