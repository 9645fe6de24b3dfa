/// `import Keras` also brings in `Tensor`, `Variable` and the rest of the tensor engine, as `import keras` brings `keras.ops`.
@_exported import TensorEngine
