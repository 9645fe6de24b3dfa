import Foundation
import HDF5
import TensorEngine

/// Loads a model's weights from a Keras 3 weights file (`model.weights.h5` / `*.weights.h5`) by Keras's paths,
/// checking each layer's variable count and every shape, and reporting every mismatch at once.
final class WeightLoader {
    let path: String
    /// Problems that do not stop loading (as Keras's `warnings.warn`).
    private(set) var warnings: [String] = []

    init(path: String) { self.path = path }

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

extension WeightLoader {
    /// Restores `optimizer/vars` (iteration, learning rate, slots in Keras's order) when the model is compiled
    /// and the file holds a fully built optimizer of the same layout. As in Keras, a count mismatch (e.g. a model
    /// saved before training, which stores only the iteration and learning rate) skips the state with a warning;
    /// a shape mismatch is an error.
    func loadOptimizerState(_ file: HDF5File, into model: Model) throws {
        guard let optimizer = model.optimizer, let group = try file.root.groupIfPresent("optimizer/vars") else { return }
        optimizer.build(model.trainableVariables)
        let names = try group.childNames()
        let slots = optimizer.slotVariables
        guard names.count == 2 + slots.count else {
            if names.count >= 1, let iteration = try? group.dataset("0").readInt64s().first, names.count != 2 || iteration > 0 {
                warnings.append("skipping optimizer state: the optimizer '\(optimizer.name)' has \(2 + slots.count) variables, the file has \(names.count)")
            }
            return
        }
        var issues: [String] = []
        let iteration = try group.dataset("0").readInt64s()
        let learningRate = try group.dataset("1").readFloats()
        for (i, slot) in slots.enumerated() {
            let dataset = try group.dataset(String(i + 2))
            guard dataset.shape == slot.shape else {
                issues.append("optimizer variable \(i + 2) ('\(slot.name)') has shape \(slot.shape), the file's has shape \(dataset.shape)")
                continue
            }
            try slot.assign(Tensor(shape: slot.shape, scalars: try dataset.readFloats()))
        }
        if !issues.isEmpty { throw ModelLoadError(path: path, issues: issues, hasUnknownClasses: false) }
        if let it = iteration.first { optimizer.iterations = Int(it) }
        if let lr = learningRate.first { optimizer.learningRate = lr }
    }
}
