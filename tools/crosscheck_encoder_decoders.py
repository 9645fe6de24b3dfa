"""Cross-checks the Swift `keras` tool against real Python Keras on random convolutional encoder-decoders the fixtures
never saw: U-Net-like Functional models over 1-D, 2-D and 3-D inputs (channels last, sometimes channels first) going
down by strided convolutions or pooling, up by transposed convolutions or UpSampling + convolution, with skip
connections joined by Concatenate or Add, BatchNormalization, ZeroPadding/Cropping pairs, and a per-position
(segmentation) or global (classification) head.

For each model Python Keras saves it, then:
  1. `keras predict` (Swift) must match Keras's predict within rtol=1e-4, atol=1e-5;
  2. `keras convert` (Swift load → save) must give a file Python Keras loads and that predicts the same;
  3. for compiled models, `keras fit` (Swift, one epoch of 4 steps, no shuffling) must give a file Python loads,
     whose predictions match the same model trained by Keras from the same file, and that Python trains further.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/crosscheck_encoder_decoders.py [--count 12] [--seed 0] [--keras .build/debug/keras]
"""
import os
import sys
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from crosscheck_common import check_against_keras, main, randomize  # noqa: E402

# Loading Keras's own compiled-but-untrained file warns that its unbuilt optimizer has fewer variables; a Swift-trained
# file that lost its optimizer state is caught by the iterations check below.
warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")

ACTIVATIONS = ["relu", "elu", "gelu", "tanh", "sigmoid", "silu", "linear"]
LAYERS = {  # per spatial rank: convolution, transposed convolution, max / average pooling, upsampling, padding, cropping
    1: (L.Conv1D, L.Conv1DTranspose, L.MaxPooling1D, L.AveragePooling1D, L.UpSampling1D, L.ZeroPadding1D, L.Cropping1D),
    2: (L.Conv2D, L.Conv2DTranspose, L.MaxPooling2D, L.AveragePooling2D, L.UpSampling2D, L.ZeroPadding2D, L.Cropping2D),
    3: (L.Conv3D, L.Conv3DTranspose, L.MaxPooling3D, L.AveragePooling3D, L.UpSampling3D, L.ZeroPadding3D, L.Cropping3D),
}


def pick(rng, items):
    return items[int(rng.integers(0, len(items)))]


class Builder:
    """Random layers of one spatial rank and data format."""

    def __init__(self, rng, rank, channels_first):
        self.rng, self.rank = rng, rank
        self.conv, self.conv_t, self.max_pool, self.avg_pool, self.up, self.pad, self.crop = LAYERS[rank]
        self.fmt = {"data_format": "channels_first"} if channels_first else {}
        self.axis = 1 if channels_first else -1

    def channels(self, x):
        return x.shape[self.axis]

    def conv_block(self, x, filters):
        rng = self.rng
        kernel = int(rng.integers(1, 4))
        dilation = 2 if rng.random() < 0.2 else 1
        x = self.conv(filters, kernel, padding="same", dilation_rate=dilation, use_bias=bool(rng.random() > 0.2), **self.fmt)(x)
        if rng.random() < 0.5:
            x = L.BatchNormalization(axis=self.axis, momentum=float(rng.uniform(0.8, 0.99)))(x)
        return L.Activation(pick(rng, ACTIVATIONS))(x)

    def down(self, x, filters):
        rng = self.rng
        kind = pick(rng, ["strided", "max", "average"])
        if kind == "strided":
            return self.conv(filters, int(rng.integers(2, 4)), strides=2, padding="same", activation=pick(rng, ACTIVATIONS), **self.fmt)(x)
        pool = self.max_pool if kind == "max" else self.avg_pool
        return pool(2, padding=pick(rng, ["valid", "same"]), **self.fmt)(x)

    def up_to(self, x, filters):
        rng = self.rng
        if rng.random() < 0.5:
            return self.conv_t(filters, int(rng.integers(2, 4)), strides=2, padding="same", activation=pick(rng, ACTIVATIONS),
                               use_bias=bool(rng.random() > 0.2), **self.fmt)(x)
        return self.conv(filters, int(rng.integers(1, 3)), padding="same", **self.fmt)(self.up(2, **self.fmt)(x))

    def pad_and_crop(self, x):
        """A ZeroPadding followed by a Cropping that gives the shape back (U-Net's crop of the skip path)."""
        amount = int(self.rng.integers(1, 3))
        fmt = self.fmt if self.rank > 1 else {}
        return self.crop(amount, **({} if self.rank == 1 else fmt))(self.pad(amount, **fmt)(x))


def encoder_decoder(rng):
    """Returns (model, sample shape, head): a U-Net-like model of random rank, depth and merges."""
    rank = pick(rng, [1, 2, 2, 3])
    depth = int(rng.integers(1, 3))
    channels_first = rank > 1 and rng.random() < 0.25
    b = Builder(rng, rank, channels_first)
    unit = 2 ** depth
    spatial = [unit * int(rng.integers(1, 3 if rank == 3 else 4)) for _ in range(rank)]
    if rank == 1:
        spatial[0] *= 2
    in_channels = int(rng.integers(1, 4))
    shape = tuple([in_channels] + spatial) if channels_first else tuple(spatial + [in_channels])
    inp = keras.Input(shape)
    x = inp
    width = int(rng.integers(2, 5))
    skips = []
    for level in range(depth):
        x = b.conv_block(x, width * (level + 1))
        skips.append(x)
        x = b.down(x, width * (level + 1))
    x = b.conv_block(x, width * (depth + 1))
    for level in reversed(range(depth)):
        skip = skips[level]
        if rng.random() < 0.3:
            skip = b.pad_and_crop(skip)
        if rng.random() < 0.5:
            x = b.up_to(x, b.channels(skip))
            x = L.Add()([x, skip])
        else:
            x = b.up_to(x, width)
            x = L.Concatenate(axis=b.axis)([x, skip])
        x = b.conv_block(x, width * (level + 1))
    if rng.random() < 0.5:
        out = b.conv(int(rng.integers(1, 4)), 1, **b.fmt)(x)
        head = "segmentation"
    else:
        pool = [L.GlobalAveragePooling1D, L.GlobalAveragePooling2D, L.GlobalAveragePooling3D][rank - 1]
        out = L.Dense(int(rng.integers(2, 5)))(pool(**b.fmt)(x))
        head = "classification"
    return keras.Model(inp, out), shape, head, rank, channels_first


def check(index, rng, keras_bin, folder):
    model, shape, head, rank, channels_first = encoder_decoder(rng)
    randomize(model, rng, scale=0.4)
    compiled = rng.random() < 0.7
    if compiled:
        loss = "mse" if head == "segmentation" else keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        model.compile(optimizer=pick(rng, ["adam", "rmsprop", "sgd"]), loss=loss)
    base = os.path.join(folder, f"e{index}")
    model.save(base + ".keras")
    x = rng.normal(0, 1.0, (16,) + shape).astype("float32")
    y = None
    if compiled:
        y = (rng.normal(0, 1, (16,) + model.output_shape[1:]).astype("float32") if head == "segmentation"
             else rng.integers(0, model.output_shape[-1], 16).astype("float32"))
    check_against_keras(model, [x], y, base, keras_bin)
    names = " → ".join(layer.__class__.__name__ for layer in model.layers if not isinstance(layer, L.InputLayer))
    layout = f"{rank}-D{' channels_first' if channels_first else ''} {head}"
    return f"{layout}: {names}" + (" (compiled)" if compiled else "")


if __name__ == "__main__":
    main(check, default_count=12)
