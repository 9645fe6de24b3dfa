import HDF5

/// Writes a model's variables as Keras 3's `model.weights.h5` (docs/keras-format.md §5): `layers/<path>/vars/<i>`
/// with a `name` attribute on each `vars` group, `optimizer/vars` (iteration as int32, learning rate, slots in
/// Keras's order) when compiled, and the model's own `vars`.
enum WeightWriter {
    /// The bytes of the weights file for `model`.
    static func weightsFile(for model: Model) throws -> [UInt8] {
        let file = try HDF5WritableFile.createInMemory(name: "model.weights.h5")
        let root = try file.root
        _ = try root.createGroup("layers")
        for (layer, path) in WeightPaths.layerVarsPaths(for: model) {
            let vars = try root.createGroup(path)
            try vars.attributes.setString("name", layer.name)
            for (i, variable) in layer.weights.enumerated() {
                if variable.storedAsInteger {
                    let values = variable.value.scalars.map { Int32(clamping: Int64(exactly: $0.rounded()) ?? 0) }
                    try vars.createDataset(String(i), shape: variable.shape, int32s: values)
                } else {
                    try vars.createDataset(String(i), shape: variable.shape, floats: variable.value.scalars)
                }
            }
        }
        if let optimizer = model.optimizer {
            let vars = try root.createGroup("optimizer").createGroup("vars")
            try vars.attributes.setString("name", optimizer.name)
            try vars.createDataset("0", shape: [], int32s: [Int32(clamping: optimizer.iterations)])
            // With a schedule Keras keeps no learning_rate variable: the slots follow the iteration.
            let fixed = optimizer.schedule == nil ? 2 : 1
            if fixed == 2 { try vars.createDataset("1", shape: [], floats: [optimizer.learningRate]) }
            for (i, slot) in optimizer.slotVariables.enumerated() {
                try vars.createDataset(String(i + fixed), shape: slot.shape, floats: slot.value.scalars)
            }
        }
        let modelVars = try root.createGroup("vars")
        try modelVars.attributes.setString("name", model.name)
        return try file.imageBytes()
    }
}
