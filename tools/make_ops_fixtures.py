"""Generates Fixtures/layers/ops/ (inference) and Fixtures/layer_training/ops_* (three training steps) for
`keras.ops` calls in Functional graphs, with real Keras 3 (JAX backend). Each inference case groups one kind of
operation; its single output is every op's result flattened, cast to float32 and concatenated, so one comparison
covers them all. `ops_shapes` and `ops_reductions` also get Keras's summary text (`<case>.summary.txt`).

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_ops_fixtures.py
"""
import os
import shutil
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402
from keras import ops  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from fixture_cases import save_training_case  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")
SHAPE = (4, 6)


def joined(results):
    """Every result flattened to (batch, n) as float32, concatenated along axis 1."""
    flat = []
    for r in results:
        r = ops.cast(r, "float32")
        flat.append(ops.reshape(r, (-1, int(np.prod(r.shape[1:])))))
    return ops.concatenate(flat, axis=1)


def elementwise(x):
    unit = ops.tanh(x) * 0.9          # inside (-1, 1)
    positive = ops.abs(x) + 0.1
    return [
        ops.sin(x), ops.cos(x), ops.tan(unit), ops.arcsin(unit), ops.arccos(unit), ops.arctan(x),
        ops.sinh(x), ops.cosh(x), ops.arcsinh(x), ops.arccosh(positive + 1.0), ops.arctanh(unit),
        ops.floor(x * 3.0), ops.ceil(x * 3.0), ops.round(x * 3.0), ops.round(x, decimals=1), ops.trunc(x * 3.0),
        ops.sign(x), ops.reciprocal(positive), ops.sqrt(positive), ops.rsqrt(positive), ops.square(x),
        ops.exp(x), ops.expm1(x), ops.log(positive), ops.log1p(positive), ops.log2(positive), ops.log10(positive),
        ops.negative(x), ops.absolute(x), ops.sigmoid(x), ops.relu(x), ops.softplus(x), ops.gelu(x),
        ops.gelu(x, approximate=False), ops.elu(x, alpha=0.5), ops.celu(x, alpha=0.7), ops.leaky_relu(x, 0.1),
        ops.hard_sigmoid(x * 4.0), ops.hard_silu(x * 4.0), ops.log_sigmoid(x), ops.hard_tanh(x * 2.0),
        ops.cast(x * 3.0, "int32"), ops.cast(x, "bool"), ops.logical_not(x > 0), ops.isfinite(x),
        ops.stop_gradient(x), ops.exp2(x), ops.cbrt(x), ops.erf(x), ops.erfc(x), ops.deg2rad(x * 90.0),
        ops.rad2deg(x),
    ]


def binary(x, y):
    positive = ops.abs(x) + 0.1
    return [
        x + y, x - y, x * y, x / (ops.abs(y) + 0.5), ops.divide(x, 2.0), ops.maximum(x, y), ops.minimum(x, 0.2),
        ops.power(positive, y), ops.power(x, 2.0), ops.mod(x, 0.7), ops.mod(x * 3.0, -1.3), ops.floor_divide(x, 0.7),
        ops.floor_divide(y * 4.0, -1.5), ops.arctan2(x, y), ops.fmod(x * 3.0, -1.3), ops.hypot(x, y),
        ops.logaddexp(x, y),
        ops.equal(ops.round(x), ops.round(y)), ops.not_equal(ops.round(x), ops.round(y)), ops.greater(x, y),
        ops.greater_equal(x, 0.1), ops.less(x, y), ops.less_equal(y, -0.2),
        ops.logical_and(x > 0, y > 0), ops.logical_or(x > 0, y > 0), ops.logical_xor(x > 0, y > 0),
        ops.where(x > y, x, y), ops.where(x > 0, x, 0.0), ops.clip(x, -0.5, 0.7),
        # Constant arrays (computed eagerly, saved as `__tensor__` arguments).
        x + ops.arange(6), ops.where(x > 0, ops.arange(6, dtype="float32") * 0.5, y),
        x * (ops.reshape(ops.arange(24.0), (4, 6)) / 10.0),
    ]


def reductions(x):
    return [
        ops.sum(x, axis=1), ops.mean(x, axis=[1, 2]), ops.max(x, axis=-1, keepdims=True), ops.min(x, axis=1),
        ops.amax(x, axis=2), ops.amin(x, axis=(1, 2), keepdims=True), ops.prod(x, axis=1), ops.std(x, axis=2),
        ops.var(x, axis=(1, 2)), ops.var(x, axis=-1, keepdims=True), ops.logsumexp(x, axis=1),
        ops.logsumexp(x, axis=(1, 2), keepdims=True), ops.any(x > 1.0, axis=2), ops.all(x > -1.0, axis=1),
        ops.argmax(x, axis=-1), ops.argmin(x, axis=1), ops.argmax(x, axis=2, keepdims=True),
        ops.cumsum(x, axis=1), ops.cumsum(x, axis=-1), ops.cumprod(x, axis=2),
        ops.softmax(x, axis=-1), ops.log_softmax(x, axis=1),
    ]


def shapes(x):
    parts = ops.split(x, 3, axis=2)
    uneven = ops.split(x, [1, 3], axis=1)
    return [
        ops.reshape(x, (-1, 3, 8)), ops.transpose(x, (0, 2, 1)), ops.swapaxes(x, 1, 2), ops.expand_dims(x, 2),
        ops.squeeze(ops.expand_dims(x, -1), axis=-1), ops.moveaxis(ops.expand_dims(x, 1), 1, 3),
        ops.roll(x, 2, axis=2), ops.roll(x, -1, axis=1), ops.flip(x, axis=1), ops.concatenate([x, x * 2.0], axis=-1),
        ops.stack([x, x + 1.0, x * 3.0], axis=1), ops.stack([x, x], axis=-1),
        parts[0], parts[2] * 2.0, uneven[0], uneven[1], uneven[2] - 1.0,
        ops.unstack(x, axis=1)[1], ops.unstack(x, axis=2)[5],
        ops.tile(x, (1, 2, 1)), ops.tile(x, (2, 3)), ops.repeat(x, 2, axis=2), ops.repeat(x, 3, axis=-2),
    ]


def indexing(x, i):
    values, indices = ops.top_k(x, 3)
    return [
        x[:, 1:3], x[:, -1], x[:, ::2, None, 1:5:2], x[..., 0], x[:, None], x[:, 1, ...], x[:, ::-1],
        x[:, -3:-1, ::-2], x[:, 2:100], x[:, 1, -2], x[..., None, 1:],
        ops.take(x, [0, 2, 2], axis=2), ops.take(x, [[1, -1], [0, 0]], axis=1),
        ops.take_along_axis(x, ops.argsort(x, axis=-1), axis=-1), ops.argsort(x, axis=1),
        values, indices, ops.one_hot(i, 5), ops.one_hot(i, 4, axis=1),
    ]


def linear_algebra(x, y):
    weights = np.linspace(-1.0, 1.0, 18, dtype="float32").reshape(6, 3)
    cube = np.linspace(-0.5, 0.5, 48, dtype="float32").reshape(4, 6, 2)
    return [
        ops.matmul(x, ops.transpose(y, (0, 2, 1))), ops.matmul(x, weights),
        ops.einsum("bij,bkj->bik", x, y), ops.einsum("bij->bji", x), ops.einsum("bij,jk->bik", x, weights),
        ops.einsum("...j,...j->...", x, y), ops.einsum("bij,bij->b", x, y), ops.einsum("bij->bi", x),
        ops.tensordot(x, weights, axes=1), ops.tensordot(x, cube, axes=([1, 2], [0, 1])),
        ops.tensordot(x, weights, axes=[[2], [0]]),
        ops.convert_to_tensor(x > 0.3, dtype="float32") * x,
    ]


def inference_cases(folder, rng):
    x = keras.Input(SHAPE, name="x")
    y = keras.Input(SHAPE, name="y")
    i = keras.Input((5,), dtype="int32", name="ids")
    xs = rng.normal(0, 1, (3,) + SHAPE).astype("float32")
    ys = rng.normal(0, 1, (3,) + SHAPE).astype("float32")
    ids = rng.integers(-1, 5, (3, 5)).astype("int32")   # -1 and 4 give rows of zeros in one_hot(i, 4)
    cases = {
        "ops_elementwise": ([x], elementwise(x), [xs]),
        "ops_binary": ([x, y], binary(x, y), [xs, ys]),
        "ops_reductions": ([x], reductions(x), [xs]),
        "ops_shapes": ([x], shapes(x), [xs]),
        "ops_indexing": ([x, i], indexing(x, i), [xs, ids]),
        "ops_linear_algebra": ([x, y], linear_algebra(x, y), [xs, ys]),
        # The model's output is the second piece of a split (`output_layers` names tensor index 1).
        "ops_split_output": ([x], None, [xs]),
    }
    for name, (inputs, results, arrays) in cases.items():
        output = ops.split(x * 2.0, 3, axis=2)[1] if results is None else joined(results)
        model = keras.Model(inputs, output, name=name)
        model.save(os.path.join(folder, f"{name}.keras"))
        if len(arrays) == 1:
            np.save(os.path.join(folder, f"{name}.input.npy"), arrays[0])
        else:
            for j, a in enumerate(arrays):
                np.save(os.path.join(folder, f"{name}.input_{j}.npy"), a)
        out = model.predict(arrays if len(arrays) > 1 else arrays[0], verbose=0).astype("float32")
        assert np.all(np.isfinite(out)), name
        np.save(os.path.join(folder, f"{name}.output.npy"), out)


def slicing_model():
    """Dense → slices, reversed, stacked, tiled → Dense."""
    x = keras.Input((6,))
    h = L.Dense(8)(x)
    a, b = h[:, :4], h[:, 4:]
    s = ops.stack([a, b[:, ::-1]], axis=1)            # (2, 4)
    t = ops.tile(s, (1, 1, 2))[:, :, 1:7]              # (2, 6)
    return keras.Model(x, L.Dense(3)(ops.reshape(t, (-1, 12))))


def split_model():
    """Dense → split → clip / where / top_k / repeat → Dense."""
    x = keras.Input((6,))
    h = L.Dense(8, activation="tanh")(x)
    first, second = ops.split(h, 2, axis=1)
    c = ops.clip(first * 2.0, -0.5, 0.5)
    w = ops.where(second > 0, second, 0.1 * second)
    values, _ = ops.top_k(h, 3)
    r = ops.repeat(c, 2, axis=1)
    joined_ = ops.concatenate([r, w, values, ops.take(h, [7, 0], axis=1)], axis=1)
    return keras.Model(x, L.Dense(2)(joined_))


def sequence_model():
    """Dense over a sequence → unstack, cumsum, max, logsumexp, std → Dense."""
    x = keras.Input((4, 5))
    h = L.Dense(6)(x)
    steps = ops.unstack(h, axis=1)
    summary = ops.concatenate([steps[0], steps[3] - steps[1], ops.max(ops.cumsum(h, axis=1), axis=1),
                               ops.logsumexp(h, axis=1), ops.std(h, axis=1), ops.prod(h[:, :2], axis=1)], axis=1)
    return keras.Model(x, L.Dense(2)(summary))


def training_cases(rng):
    cases = {
        "ops_slice_stack_tile_adam": (slicing_model, (6,), 3, lambda: keras.optimizers.Adam(0.01)),
        "ops_split_clip_where_sgd": (split_model, (6,), 2, lambda: keras.optimizers.SGD(0.1, momentum=0.9)),
        "ops_unstack_cumsum_rmsprop": (sequence_model, (4, 5), 2, lambda: keras.optimizers.RMSprop(0.01)),
    }
    for name, (make, shape, outputs, optimizer) in cases.items():
        keras.utils.set_random_seed(73)
        model = make()
        model.compile(optimizer=optimizer(), loss="mse")
        x = rng.normal(0, 1, (24,) + shape).astype("float32")
        y = rng.normal(0, 1, (24, outputs)).astype("float32")
        save_training_case(os.path.join(ROOT, "layer_training", name), model, [x], y)


def write_summaries(folder):
    """Keras's summary text of the cases with several-output calls (`split`, `unstack`, `top_k`) and scalar-per-sample
    results (printed `(None)`)."""
    for name in ("ops_shapes", "ops_reductions"):
        lines = []
        keras.models.load_model(os.path.join(folder, f"{name}.keras")).summary(print_fn=lambda line, **kw: lines.append(line))
        with open(os.path.join(folder, f"{name}.summary.txt"), "w") as f:
            f.write("\n".join(lines))


def main():
    folder = os.path.join(ROOT, "layers", "ops")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rng = np.random.default_rng(71)
    keras.utils.set_random_seed(71)
    inference_cases(folder, rng)
    training_cases(rng)
    write_summaries(folder)


if __name__ == "__main__":
    main()
