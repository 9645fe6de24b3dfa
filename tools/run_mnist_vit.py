"""A small Vision Transformer on MNIST in Python Keras 3 (JAX backend), the recipe of the Swift example
`Examples/MNISTViT` (`swift run -c release mnist-vit`): 28×28 images cut into 16 patches of 7×7, each projected to
64 features plus a learned position embedding (keras.io's `PatchEncoder`), two Transformer blocks (pre-norm
multi-head self-attention with 4 heads, then a GELU MLP, each with a residual), global average pooling and
Dense(10). `PatchEncoder` is also what Python needs to open the Swift example's saved model.
Prints per-epoch seconds and test accuracy as one JSON line.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/run_mnist_vit.py [--epochs 10] [--mnist ../shared/datasets/mnist.npz]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mnist_run import arguments, fit_and_report, keras, load_mnist  # noqa: E402
from keras import layers, ops  # noqa: E402

PATCH, PATCHES, DIM, HEADS, BLOCKS = 7, 16, 64, 4, 2


class PatchEncoder(layers.Layer):
    """keras.io's ViT example layer: a linear projection of each patch plus a learned embedding of its position."""

    def __init__(self, num_patches, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.num_patches, self.projection_dim = num_patches, projection_dim
        self.projection = layers.Dense(units=projection_dim)
        self.position_embedding = layers.Embedding(input_dim=num_patches, output_dim=projection_dim)

    def call(self, patch):
        positions = ops.expand_dims(ops.arange(start=0, stop=self.num_patches, step=1), axis=0)
        return self.projection(patch) + self.position_embedding(positions)

    def get_config(self):
        return {**super().get_config(), "num_patches": self.num_patches, "projection_dim": self.projection_dim}


def vit():
    inputs = keras.Input(shape=(28, 28))
    # (28, 28) → 16 patches of 49 pixels, row by row: (4, 7, 4, 7) → (4, 4, 7, 7) → (16, 49).
    x = layers.Reshape((4, PATCH, 4, PATCH))(inputs)
    x = layers.Permute((1, 3, 2, 4))(x)
    x = layers.Reshape((PATCHES, PATCH * PATCH))(x)
    encoded = PatchEncoder(PATCHES, DIM)(x)
    for _ in range(BLOCKS):
        x1 = layers.LayerNormalization(epsilon=1e-6)(encoded)
        attention = layers.MultiHeadAttention(num_heads=HEADS, key_dim=DIM // HEADS, dropout=0.1)(x1, x1)
        x2 = layers.Add()([attention, encoded])
        x3 = layers.LayerNormalization(epsilon=1e-6)(x2)
        x3 = layers.Dense(2 * DIM, activation="gelu")(x3)
        x3 = layers.Dropout(0.1)(x3)
        x3 = layers.Dense(DIM)(x3)
        encoded = layers.Add()([x3, x2])
    x = layers.LayerNormalization(epsilon=1e-6)(encoded)
    x = layers.GlobalAveragePooling1D()(x)
    return keras.Model(inputs, layers.Dense(10)(x))


if __name__ == "__main__":
    args = arguments(default_epochs=10)
    x_train, y_train, x_test, y_test = load_mnist(args.mnist)
    model = vit()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    fit_and_report(model, x_train, y_train, x_test, y_test, args.epochs)
