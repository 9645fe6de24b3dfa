"""Generates the image preprocessing fixtures with real Keras 3 (JAX backend):

- Fixtures/layers/image_preprocessing/: Resizing (every interpolation, antialias, crop/pad to aspect ratio,
  channels_first), CenterCrop, each random augmentation layer at inference, and Functional graphs calling
  keras.ops.image.resize and keras.ops.image.extract_patches (predict, read by LayerFixtureTests);
- Fixtures/layer_training/image_*: small convnets with Resizing / CenterCrop, three optimizer steps;
- Fixtures/image_geometry/: fixed transforms (what training draws at random), from Keras's own code with the draw
  forced: `ops.image.affine_transform` for every fill mode and interpolation, and each augmentation layer's
  `transform_images` with a given transformation; `<case>.input.npy`, `<case>.output.npy`, `<case>.json` (the
  forced parameters). Plus `jax.image.resize(method="area")`, which Keras's JAX backend refuses but the engine offers.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_image_preprocessing_fixtures.py
"""
import json
import os
import shutil
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402
from keras import ops  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from fixture_cases import save_inference_case, save_layer_family, save_training_case  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")
SHAPE = (7, 9, 2)      # height 7 → 5 shrinks, width 9 → 12 grows
CF = (2, 7, 9)

INFERENCE = {
    **{f"resizing_{m}": (SHAPE, [L.Resizing(5, 12, interpolation=m)])
       for m in ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")},
    **{f"resizing_{m}_antialias_down": ((11, 13, 2), [L.Resizing(4, 5, interpolation=m, antialias=True)])
       for m in ("bilinear", "bicubic", "lanczos3", "lanczos5")},
    "resizing_bilinear_down": ((11, 13, 2), [L.Resizing(4, 5)]),
    "resizing_nearest_down": ((11, 13, 2), [L.Resizing(4, 5, interpolation="nearest")]),
    "resizing_crop_to_aspect_ratio": (SHAPE, [L.Resizing(6, 4, crop_to_aspect_ratio=True)]),
    "resizing_crop_to_aspect_ratio_wide": (SHAPE, [L.Resizing(3, 8, interpolation="bicubic", crop_to_aspect_ratio=True)]),
    "resizing_pad_to_aspect_ratio_rows": (SHAPE, [L.Resizing(8, 6, pad_to_aspect_ratio=True, fill_value=0.5)]),
    "resizing_pad_to_aspect_ratio_columns": ((9, 5, 2), [L.Resizing(6, 8, pad_to_aspect_ratio=True, fill_value=-1.0)]),
    "resizing_channels_first": (CF, [L.Resizing(5, 12, interpolation="bicubic", data_format="channels_first")]),
    "resizing_in_convnet": ((8, 8, 2), [L.Conv2D(3, 3, activation="relu"), L.Resizing(9, 4), L.Flatten(), L.Dense(2)]),
    "center_crop": (SHAPE, [L.CenterCrop(4, 6)]),
    "center_crop_odd": ((8, 9, 2), [L.CenterCrop(5, 4)]),
    "center_crop_larger_than_input": (SHAPE, [L.CenterCrop(8, 6)]),
    "center_crop_channels_first": (CF, [L.CenterCrop(3, 5, data_format="channels_first")]),
    "random_flip_inference": (SHAPE, [L.RandomFlip(seed=1)]),
    "random_rotation_inference": (SHAPE, [L.RandomRotation(0.2, seed=2)]),
    "random_zoom_inference": (SHAPE, [L.RandomZoom((-0.3, 0.2), width_factor=0.1, fill_mode="constant")]),
    "random_translation_inference": (SHAPE, [L.RandomTranslation(0.1, (-0.2, 0.3), fill_mode="wrap")]),
    "random_crop_inference": (SHAPE, [L.RandomCrop(4, 5, seed=3)]),
    "random_contrast_inference": (SHAPE, [L.RandomContrast((0.2, 0.5), value_range=(-1, 1))]),
    "random_brightness_inference": (SHAPE, [L.RandomBrightness(-0.3, value_range=(1, -1))]),
    "augmentation_stack_inference": (SHAPE, [L.RandomFlip("horizontal"), L.RandomRotation(0.1), L.RandomZoom(0.1),
                                             L.RandomContrast(0.3), L.Conv2D(2, 3), L.Flatten(), L.Dense(2)]),
}

TRAINING = {
    "image_resizing_convnet_adam": ((9, 9, 2), [L.Resizing(6, 6), L.Conv2D(3, 3, activation="relu"), L.Flatten(),
                                                L.Dense(2)], "adam", "mse"),
    "image_resizing_bicubic_center_crop_sgd": ((6, 7, 2), [L.Conv2D(3, 3, padding="same"),
                                                           L.Resizing(8, 8, interpolation="bicubic"),
                                                           L.CenterCrop(5, 5), L.Flatten(), L.Dense(2)], "sgd", "mse"),
}


def ops_cases(folder, rng):
    """Functional graphs calling keras.ops.image.resize / extract_patches."""
    def case(name, shape, body):
        x = keras.Input(shape)
        model = keras.Model(x, body(x))
        model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.get_weights()])
        save_inference_case(folder, name, model, rng.normal(0, 1, (3,) + shape).astype("float32"))

    case("ops_resize_bicubic", SHAPE, lambda x: ops.image.resize(x, (5, 12), interpolation="bicubic"))
    case("ops_resize_lanczos3_antialias", (11, 13, 2),
         lambda x: ops.image.resize(x, (4, 5), interpolation="lanczos3", antialias=True))
    case("ops_resize_crop_channels_first", CF,
         lambda x: ops.image.resize(x, (4, 4), crop_to_aspect_ratio=True, data_format="channels_first"))
    case("ops_extract_patches", (8, 8, 2), lambda x: L.Dense(3)(ops.image.extract_patches(x, (4, 4))))
    case("ops_extract_patches_same_strides", SHAPE,
         lambda x: ops.image.extract_patches(x, (3, 2), strides=(2, 3), padding="same"))
    case("ops_extract_patches_dilation", (8, 9, 2), lambda x: ops.image.extract_patches(x, 2, strides=1, dilation_rate=2))
    case("ops_extract_patches_channels_first", CF,
         lambda x: ops.image.extract_patches(x, (2, 3), padding="same", data_format="channels_first"))


def ops_training_cases(root, rng):
    """Three steps through Functional graphs calling ops.image.resize and ops.image.extract_patches."""
    def case(name, shape, body, optimizer):
        keras.utils.set_random_seed(73)
        x = keras.Input(shape)
        model = keras.Model(x, body(x))
        model.compile(optimizer=optimizer, loss="mse")
        xs = rng.normal(0, 1, (24,) + shape).astype("float32")
        y = rng.normal(0, 1, (24,) + model.output_shape[1:]).astype("float32")
        save_training_case(os.path.join(root, "layer_training", name), model, [xs], y)

    case("image_ops_extract_patches_adam", (8, 8, 2), lambda x: L.Dense(2)(L.Flatten()(L.Dense(3)(
        ops.image.extract_patches(L.Conv2D(3, 3, padding="same")(x), (4, 4))))), "adam")
    case("image_ops_resize_lanczos3_antialias_rmsprop", (9, 11, 2), lambda x: L.Dense(2)(L.Flatten()(ops.image.resize(
        L.Conv2D(2, 2)(x), (3, 4), interpolation="lanczos3", antialias=True))), "rmsprop")


def geometry_cases(root, rng):
    folder = os.path.join(root, "image_geometry")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)

    def save(name, x, y, params):
        np.save(os.path.join(folder, f"{name}.input.npy"), np.asarray(x, "float32"))
        np.save(os.path.join(folder, f"{name}.output.npy"), np.asarray(y, "float32"))
        with open(os.path.join(folder, f"{name}.json"), "w") as f:
            json.dump(params, f, indent=1)

    x = rng.normal(0, 1, (2, 6, 7, 3)).astype("float32")
    # A rotation by 30° with zoom and shift (image 0) and a shear-like map (image 1).
    c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
    transforms = np.array([[1.2 * c, -1.2 * s, 1.5, 1.2 * s, 1.2 * c, -2.0, 0, 0],
                           [0.9, 0.4, -1.0, -0.3, 1.1, 0.7, 0, 0]], "float32")
    for mode in ("constant", "nearest", "wrap", "mirror", "reflect"):
        for interpolation in ("nearest", "bilinear"):
            y = ops.image.affine_transform(x, transforms, interpolation=interpolation, fill_mode=mode, fill_value=0.5)
            save(f"affine_{mode}_{interpolation}", x, y, {"transforms": transforms.tolist(), "fill_mode": mode,
                                                          "interpolation": interpolation, "fill_value": 0.5})
    y = ops.image.affine_transform(np.transpose(x, (0, 3, 1, 2)), transforms, data_format="channels_first")
    save("affine_channels_first", np.transpose(x, (0, 3, 1, 2)), y,
         {"transforms": transforms.tolist(), "fill_mode": "constant", "interpolation": "bilinear", "fill_value": 0})

    def layer_case(name, layer, transformation, params, images=x):
        save(name, images, layer.transform_images(images, transformation, training=True), params)

    def b(values):
        return np.array(values, "float32")

    rotation = L.RandomRotation(0.5, fill_mode="constant", interpolation="nearest")
    angles = b([90.0, -45.0])
    zeros, ones = np.zeros(2, "float32"), np.ones(2, "float32")
    matrix = rotation._compute_affine_matrix(0.5, 0.5, angles, zeros, zeros, ones, zeros, zeros, 6, 7)
    layer_case("rotation_90_and_minus_45_nearest_constant", rotation, {"rotation_matrix": matrix}, {"degrees": angles.tolist()})
    rotation = L.RandomRotation(0.5)
    matrix = rotation._compute_affine_matrix(0.5, 0.5, b([30.0, 180.0]), zeros, zeros, ones, zeros, zeros, 6, 7)
    layer_case("rotation_30_and_180_bilinear_reflect", rotation, {"rotation_matrix": matrix}, {"degrees": [30.0, 180.0]})
    zoom = L.RandomZoom(0.5, fill_mode="constant", fill_value=1.0)
    layer_case("zoom_2x_and_half_constant", zoom, {"height_zoom": b([[2.0], [0.5]]), "width_zoom": b([[2.0], [0.75]])},
               {"height": [2.0, 0.5], "width": [2.0, 0.75]})
    zoom = L.RandomZoom(0.5, fill_mode="wrap", interpolation="nearest")
    layer_case("zoom_wrap_nearest", zoom, {"height_zoom": b([[1.3], [0.6]]), "width_zoom": b([[0.8], [1.5]])},
               {"height": [1.3, 0.6], "width": [0.8, 1.5]})
    translation = L.RandomTranslation(0.5, 0.5, fill_mode="nearest")
    # Keras's translations are (width, height) in pixels: image 0 moves 2 right and 1.5 up.
    layer_case("translation_nearest", translation, {"translations": b([[2.0, -1.5], [-0.7, 3.0]])},
               {"down": [-1.5, 3.0], "right": [2.0, -0.7]})
    translation = L.RandomTranslation(0.5, 0.5, fill_mode="reflect", data_format="channels_first")
    layer_case("translation_reflect_channels_first", translation, {"translations": b([[2.0, -1.5], [-0.7, 3.0]])},
               {"down": [-1.5, 3.0], "right": [2.0, -0.7]}, images=np.transpose(x, (0, 3, 1, 2)))
    for mode in ("horizontal", "vertical", "horizontal_and_vertical"):
        flip = L.RandomFlip(mode)
        layer_case(f"flip_{mode}", flip, {"flips": np.array([True, False]).reshape(2, 1, 1, 1),
                                          "input_shape": x.shape}, {"flips": [True, False]})
    contrast = L.RandomContrast(0.5, value_range=(-1, 1))
    layer_case("contrast_factors", contrast, {"contrast_factor": b([1.5, 0.6]).reshape(2, 1, 1, 1)}, {"factors": [1.5, 0.6]})
    brightness = L.RandomBrightness(0.5, value_range=(-1, 1))
    layer_case("brightness_deltas", brightness, {"rgb_delta": b([0.4, -0.8]).reshape(2, 1, 1, 1)}, {"deltas": [0.4, -0.8]})
    crop = L.RandomCrop(4, 5)
    layer_case("crop_at_1_2", crop, (1, 2), {"top": 1, "left": 2})
    crop = L.RandomCrop(8, 5)   # taller than the images: centre crop to the aspect ratio, then resize
    layer_case("crop_larger_than_input", crop, crop.get_random_transformation(x, training=True), {"top": None})
    area_input = rng.normal(0, 1, (2, 9, 7, 2)).astype("float32")
    save("area_resize", area_input, jax.image.resize(area_input, (2, 4, 10, 2), method="area", antialias=False),
         {"height": 4, "width": 10})


def main():
    seed = 71
    save_layer_family(ROOT, "image_preprocessing", INFERENCE, TRAINING, seed)
    rng = np.random.default_rng(seed + 1)
    keras.utils.set_random_seed(seed + 1)
    ops_cases(os.path.join(ROOT, "layers", "image_preprocessing"), rng)
    ops_training_cases(ROOT, rng)
    geometry_cases(ROOT, rng)


if __name__ == "__main__":
    main()
