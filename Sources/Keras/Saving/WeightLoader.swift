import Foundation
import HDF5
import TensorEngine

/// Loads a model's weights from a Keras 3 weights file (`model.weights.h5` / `*.weights.h5`) by Keras's paths,
/// checking each layer's variable count and every shape, and reporting every mismatch at once.
final class WeightLoader {
    let path: String
    /// Problems that do not stop loading (as Keras's `warnings.warn`).
    private(set) var warnings: [String] = []
    /// How many variables were stored in another type than float32 and converted on load, by stored type.
    private(set) var conversions: [String: Int] = [:]

    init(path: String) { self.path = path }

    /// Assigns dataset `index` of a `vars` group to `variable` after checking that it exists and has the
    /// variable's shape; returns the problem instead when it cannot.
    private func assign(_ variable: Variable, from datasets: [String: any StoredWeight], index: Int, in varsPath: String, owner: String) -> String? {
        guard let dataset = datasets[String(index)] else {
            return "\(owner): '\(varsPath)' has no dataset '\(index)' for variable '\(variable.name)'"
        }
        guard dataset.shape == variable.shape else {
            return "\(owner) variable '\(variable.name)' has shape \(variable.shape), but '\(varsPath)/\(index)' has shape \(dataset.shape)"
        }
        do {
            try variable.assign(Tensor(shape: variable.shape, scalars: try dataset.readFloats()))
            if dataset.storedType != "float32" { conversions[dataset.storedType, default: 0] += 1 }
            return nil
        } catch {
            return "\(owner) variable '\(variable.name)' at '\(varsPath)/\(index)': \(error)"
        }
    }

    func load(_ store: WeightStore, into model: Model) throws {
        var issues: [String] = []
        for (layer, varsPath) in WeightPaths.layerVarsPaths(for: model) {
            let datasets = try store.datasets(inVars: varsPath)
            guard datasets.count == layer.weights.count else {
                issues.append("\(layer.displayName) expects \(layer.weights.count) variables (\(layer.weights.map(\.name).joined(separator: ", "))), found \(datasets.count) in '\(varsPath)'")
                continue
            }
            for (i, variable) in layer.weights.enumerated() {
                if let issue = assign(variable, from: datasets, index: i, in: varsPath, owner: layer.displayName) { issues.append(issue) }
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
    func loadOptimizerState(_ store: WeightStore, into model: Model) throws {
        guard let optimizer = model.optimizer else { return }
        let datasets = try store.datasets(inVars: "optimizer/vars")
        guard !datasets.isEmpty else { return }
        optimizer.build(model.trainableVariables)
        let slots = optimizer.slotVariables
        // With a learning-rate schedule Keras keeps no learning_rate variable: the slots follow the iteration.
        let fixed = optimizer.schedule == nil ? 2 : 1
        guard datasets.count == fixed + slots.count, let iterationSet = datasets["0"] else {
            let savedIteration = (try? datasets["0"]?.readInt64s())??.first ?? 0
            if datasets.count != fixed || savedIteration > 0 {
                warnings.append("skipping optimizer state: the optimizer '\(optimizer.name)' has \(fixed + slots.count) variables, the file has \(datasets.count)")
            }
            return
        }
        var issues: [String] = []
        let iteration = try iterationSet.readInt64s()
        let learningRate = try fixed == 2 ? datasets["1"]?.readFloats() : nil
        for (i, slot) in slots.enumerated() {
            if let issue = assign(slot, from: datasets, index: i + fixed, in: "optimizer/vars", owner: "optimizer '\(optimizer.name)'") {
                issues.append(issue)
            }
        }
        if !issues.isEmpty { throw ModelLoadError(path: path, issues: issues, hasUnknownClasses: false) }
        if let it = iteration.first { optimizer.iterations = Int(it) }
        if let lr = learningRate?.first { optimizer.learningRate = lr }
        if let schedule = optimizer.schedule { optimizer.learningRate = schedule(optimizer.iterations) }
    }
}
