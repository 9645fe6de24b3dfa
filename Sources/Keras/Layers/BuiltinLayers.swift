/// Every layer type this package implements, registered by `LayerRegistry.builtins`.
let builtinLayerTypes: [Layer.Type] = [
    InputLayer.self, Dense.self, Activation.self, Dropout.self, Flatten.self, Reshape.self, Antirectifier.self,
    Add.self, Subtract.self, Multiply.self, Average.self, Maximum.self, Minimum.self, Concatenate.self, Lambda.self,
    // Antirectifier2016 shares the Keras name "Antirectifier": the loader chooses it per file (see ModelDeserializer).
]
