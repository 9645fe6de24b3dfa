import Keras

/// keras.io's "Image classification with Vision Transformer" layer, written as its Keras original:
///
/// ```python
/// class PatchEncoder(layers.Layer):
///     def __init__(self, num_patches, projection_dim):
///         super().__init__()
///         self.num_patches = num_patches
///         self.projection = layers.Dense(units=projection_dim)
///         self.position_embedding = layers.Embedding(input_dim=num_patches, output_dim=projection_dim)
///
///     def call(self, patch):
///         positions = ops.expand_dims(ops.arange(start=0, stop=self.num_patches, step=1), axis=0)
///         projected_patches = self.projection(patch)
///         encoded = projected_patches + self.position_embedding(positions)
///         return encoded
/// ```
final class PatchEncoder: Layer {
    let numPatches: Int
    let projectionDim: Int
    let projection: Dense
    let positionEmbedding: Embedding

    init(numPatches: Int, projectionDim: Int, name: String? = nil) {
        self.numPatches = numPatches
        self.projectionDim = projectionDim
        projection = Dense(projectionDim)
        positionEmbedding = Embedding(inputDim: numPatches, outputDim: projectionDim)
        super.init(name: name)
    }

    required init(from config: ConfigReader) throws {
        numPatches = config.require("num_patches")
        projectionDim = config.require("projection_dim")
        projection = Dense(projectionDim)
        positionEmbedding = Embedding(inputDim: numPatches, outputDim: projectionDim)
        try super.init(from: config)
    }

    /// Saved as Keras saves the attributes `self.projection` and `self.position_embedding`.
    override var sublayers: [(name: String, layer: Layer)] { [("projection", projection), ("position_embedding", positionEmbedding)] }

    override func build(inputShape: [Int]) throws {
        try projection.buildIfNeeded(inputShape: inputShape)
        try positionEmbedding.buildIfNeeded(inputShape: [numPatches])
    }

    override func call(_ patch: Tensor, training: Bool) throws -> Tensor {
        let positions = Tensor(shape: [1, numPatches], scalars: (0..<numPatches).map(Float.init))
        let projectedPatches = try projection(patch)
        let encoded = projectedPatches + (try positionEmbedding(positions))
        return encoded
    }

    override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { Array(inputShape.dropLast()) + [projectionDim] }

    override class var kerasModule: String? { nil }
    override class var registeredName: String? { "PatchEncoder" }

    override func config() -> JSONObject {
        ["num_patches": .int(numPatches), "projection_dim": .int(projectionDim)]
    }
}
