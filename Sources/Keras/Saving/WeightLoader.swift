import HDF5
import TensorEngine

/// Loads a model's weights from a Keras 3 weights file (`model.weights.h5` / `*.weights.h5`) by Keras's paths,
/// checking each layer's variable count and every shape, and reporting every mismatch at once.
struct WeightLoader {
    let path: String

    func load(_ file: HDF5File, into model: Model) throws {
        var issues: [String] = []
        let root = try file.root
        let legacy = try root.groupIfPresent("_layer_checkpoint_dependencies") != nil
        for (layer, varsPath) in WeightPaths.layerVarsPaths(for: model) {
            var group = try root.groupIfPresent(varsPath)
            if group == nil, legacy {
                group = try root.groupIfPresent(varsPath.replacingOccurrences(of: "layers", with: "_layer_checkpoint_dependencies"))
            }
            let names = try group?.childNames() ?? []
            guard names.count == layer.weights.count else {
                issues.append("\(layer.displayName) expects \(layer.weights.count) variables (\(layer.weights.map(\.name).joined(separator: ", "))), found \(names.count) in '\(varsPath)'")
                continue
            }
            guard let group else { continue }
            for (i, variable) in layer.weights.enumerated() {
                do {
                    let dataset = try group.dataset(String(i))
                    guard dataset.shape == variable.shape else {
                        issues.append("\(layer.displayName) variable '\(variable.name)' has shape \(variable.shape), but '\(varsPath)/\(i)' has shape \(dataset.shape)")
                        continue
                    }
                    try variable.assign(Tensor(shape: variable.shape, scalars: try dataset.readFloats()))
                } catch {
                    issues.append("\(layer.displayName) variable '\(variable.name)' at '\(varsPath)/\(i)': \(error)")
                }
            }
        }
        if !issues.isEmpty { throw ModelLoadError(path: path, issues: issues, hasUnknownClasses: false) }
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
