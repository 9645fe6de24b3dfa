"""The project's first seed layer: the original 2016 Keras example "Antirectifier" (no weights).

`Keras2Antirectifier` is the Keras 2 (tf_keras) code; `Antirectifier` is its Keras 3 port, the custom object
Python Keras 3 needs to open a `.keras` file converted from a Keras 2 file that uses it.
"""


def keras2_class():
    import tf_keras as keras
    from tf_keras import backend as K

    class Antirectifier(keras.layers.Layer):
        def compute_output_shape(self, input_shape):
            shape = list(input_shape)
            assert len(shape) == 2  # only valid for 2D tensors
            shape[-1] *= 2
            return tuple(shape)

        def call(self, inputs):
            inputs -= K.mean(inputs, axis=1, keepdims=True)
            inputs = K.l2_normalize(inputs, axis=1)
            pos = K.relu(inputs)
            neg = K.relu(-inputs)
            return K.concatenate([pos, neg], axis=1)

    return Antirectifier


def keras3_class():
    import keras
    from keras import ops

    class Antirectifier(keras.layers.Layer):
        def compute_output_shape(self, input_shape):
            return (input_shape[0], input_shape[1] * 2)

        def call(self, inputs):
            inputs = inputs - ops.mean(inputs, axis=1, keepdims=True)
            inputs = inputs / ops.sqrt(ops.maximum(ops.sum(ops.square(inputs), axis=1, keepdims=True), 1e-12))
            return ops.concatenate([ops.relu(inputs), ops.relu(-inputs)], axis=1)

    return Antirectifier
