// Keras module.
