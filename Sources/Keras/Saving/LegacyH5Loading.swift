import Foundation
import HDF5

/// Keras 2 full-model HDF5 files (`model.save("model.h5")`, docs/keras-format.md §7): the architecture in the root
/// attribute `model_config`, the compile arguments in `training_config`, the weights under `model_weights`
/// matched to layers **by position** through the `layer_names` / `weight_names` attributes, and the optimizer
/// state in `optimizer_weights`.
enum LegacyH5 {
    /// Whether the file at `path` starts with the HDF5 signature.
    static func isHDF5(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        return [UInt8](head) == [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
    }

    static func load(path: String, registry: LayerRegistry) throws -> Model {
        let file = try HDF5File.open(path: path)
        let root = try file.root
        guard let configText = try root.attributes.string("model_config") else {
            throw ArchiveError("\(path) is an HDF5 file without a model_config attribute (a weights-only file? use loadWeights on a model)")
        }
        let weightsGroup = try root.groupIfPresent("model_weights") ?? root
        let layerNames = try strings(weightsGroup, "layer_names")
        var weightNames: [String: [String]] = [:]
        for name in layerNames {
            weightNames[name] = try weightsGroup.groupIfPresent(name).map { try strings($0, "weight_names") } ?? []
        }

        var deserializer = ModelDeserializer(registry: registry, path: path)
        deserializer.weightlessLayers = Set(layerNames.filter { weightNames[$0]?.isEmpty ?? true })
        // Every variable comes from `model_weights` (checked below): zeros stand in until then, within what it holds.
        let (variables, scalars) = try WeightStore.capacity(of: weightsGroup, name: path)
        let budget = WeightBudget(variables: variables, scalars: scalars, source: path)
        let config = normalized(try JSON.parse(configText))
        let model = try Layer.$weightsFromFile.withValue(budget) { try deserializer.model(from: config) }
        forgetLoadedConfigs(model)

        if let trainingText = try root.attributes.string("training_config"), let training = try JSON.parse(trainingText).objectValue {
            var compile = JSONObject()
            compile["optimizer"] = training["optimizer_config"] ?? .null
            compile["loss"] = training["loss"] ?? .null
            compile["metrics"] = training["metrics"] ?? .null
            if let lw = training["loss_weights"], lw != .null { compile["loss_weights"] = lw }
            if let problem = CompileConfig.applyOrExplain(compile, to: model) { model.loadWarnings.append(problem) }
        }
        try loadWeights(weightsGroup, layerNames: layerNames, weightNames: weightNames, into: model, path: path)
        if let optimizerGroup = try root.groupIfPresent("optimizer_weights") {
            model.loadWarnings += try loadOptimizerState(optimizerGroup, into: model)
        }
        return model
    }

    /// A string-list attribute, joined across Keras's chunks (`layer_names0`, `layer_names1`, … past 64 KB).
    static func strings(_ group: HDF5Group, _ name: String) throws -> [String] {
        if let whole = try group.attributes.strings(name) { return whole }
        var out: [String] = []
        var k = 0
        while let chunk = try group.attributes.strings("\(name)\(k)") { out += chunk; k += 1 }
        return out
    }

    /// Keras 2's JSON dialect: a bare list of layers as the Sequential config, `__tuple__` objects for tuples.
    static func normalized(_ json: JSON) -> JSON {
        switch json {
        case .object(var o):
            if o["class_name"]?.stringValue == "__tuple__", let items = o["items"] { return normalized(items) }
            if o["class_name"]?.stringValue == "Sequential", case .array(let layers)? = o["config"] {
                o["config"] = .object(["layers": .array(layers)])
            }
            var out = JSONObject()
            for (k, v) in o {
                // Keras 2's hard_sigmoid is 0.2·x + 0.5 clipped; Keras 3 reused the name for relu6(x + 3) / 6.
                out[k] = ["activation", "recurrent_activation"].contains(k) && v == .string("hard_sigmoid")
                    ? .string(ActivationFunction.hardSigmoidKeras2.rawValue) : normalized(v)
            }
            return .object(out)
        case .array(let items): return .array(items.map(normalized))
        default: return json
        }
    }

    /// Keras 2 configs are not written back: a converted model saves Keras 3 configs built from its layers.
    private static func forgetLoadedConfigs(_ model: Model) {
        model.loadedConfig = nil
        model.loadedCompileConfig = nil
        if let sequential = model as? Sequential { sequential.inputLayer?.loadedConfig = nil; sequential.inputLayer?.loadedEntry = nil }
        func forget(_ layer: Layer) {
            layer.loadedConfig = nil
            layer.loadedEntry = nil
            if let nested = layer as? Model { forgetLoadedConfigs(nested) }
            layer.sublayers.forEach { forget($0.layer) }   // Bidirectional's and TimeDistributed's inner layers
        }
        model.layers.forEach(forget)
    }

    /// Keras 2's positional matching: layers that have weights, in order, against `layer_names` entries with a
    /// non-empty `weight_names`, each weight in `weight_names` order.
    private static func loadWeights(_ group: HDF5Group, layerNames: [String], weightNames: [String: [String]],
                                    into model: Model, path: String) throws {
        let fileLayers = layerNames.filter { !(weightNames[$0] ?? []).isEmpty }
        // A recurrent layer's or wrapper's weights are its sublayers' (`lstm/lstm_cell/kernel:0`, `forward_lstm/…`).
        var modelLayers = model.layers.filter { !$0.weightsIncludingSublayers.isEmpty }
        // Keras 2 names each layer's group after the layer: when every name is found, match by name (a Functional
        // graph's layer order may differ from the file's); otherwise by position, as Keras 2 does.
        let byName = Dictionary(modelLayers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let named = fileLayers.compactMap { byName[$0] }
        if named.count == fileLayers.count, Set(named.map(ObjectIdentifier.init)).count == named.count { modelLayers = named }
        guard fileLayers.count == modelLayers.count else {
            throw ModelLoadError(path: path, issues: ["the model has \(modelLayers.count) layers with weights, the file has \(fileLayers.count) (\(fileLayers.joined(separator: ", ")))"], hasUnknownClasses: false)
        }
        var issues: [String] = []
        for (fileLayer, layer) in zip(fileLayers, modelLayers) {
            let names = weightNames[fileLayer] ?? []
            let variables = layer.weightsIncludingSublayers
            guard names.count == variables.count else {
                issues.append("\(layer.displayName) expects \(variables.count) weights, the file's layer '\(fileLayer)' has \(names.count)")
                continue
            }
            for (variable, weightName) in zip(variables, names) {
                do {
                    let dataset = try group.dataset("\(fileLayer)/\(weightName)")
                    guard dataset.shape == variable.shape else {
                        issues.append("\(layer.displayName) variable '\(variable.name)' has shape \(variable.shape), the file's '\(fileLayer)/\(weightName)' has \(dataset.shape)")
                        continue
                    }
                    try variable.assign(Tensor(shape: variable.shape, scalars: try dataset.readFloats()))
                    if dataset.elementType != .float(bits: 32) { model.weightConversions["\(dataset.elementType)", default: 0] += 1 }
                } catch {
                    issues.append("\(layer.displayName) variable '\(variable.name)' at '\(fileLayer)/\(weightName)': \(error)")
                }
            }
        }
        if !issues.isEmpty { throw ModelLoadError(path: path, issues: issues, hasUnknownClasses: false) }
    }

    /// Restores `optimizer_weights` when the mapping is unambiguous: an iteration count, an optional learning
    /// rate, then exactly one slot per optimizer slot with matching shapes. Otherwise the state is skipped with a
    /// warning (Keras 3 itself does not restore Keras 2 optimizer slots).
    private static func loadOptimizerState(_ group: HDF5Group, into model: Model) throws -> [String] {
        guard let optimizer = model.optimizer else { return [] }
        let names = try strings(group, "weight_names")
        guard !names.isEmpty else { return [] }
        optimizer.build(model.trainableVariables)
        var datasets = try names.map { try group.dataset($0) }
        var iteration: Int64?
        var learningRate: Float?
        if let first = names.first, first.contains("iter") { iteration = try datasets.removeFirst().readInt64s().first }
        if let i = names.dropFirst(iteration == nil ? 0 : 1).firstIndex(where: { $0.contains("learning_rate") }) {
            learningRate = try datasets.remove(at: i - (iteration == nil ? 0 : 1)).readFloats().first
        }
        let slots = optimizer.slotVariables
        guard datasets.count == slots.count, zip(datasets, slots).allSatisfy({ $0.shape == $1.shape }) else {
            return ["skipping the optimizer state: the file's \(names.count) optimizer weights do not map one to one onto '\(optimizer.name)' (\(slots.count) slots)"]
        }
        for (dataset, slot) in zip(datasets, slots) { try slot.assign(Tensor(shape: slot.shape, scalars: try dataset.readFloats())) }
        if let iteration { optimizer.iterations = Int(iteration) }
        if let learningRate { optimizer.learningRate = learningRate }
        return []
    }
}
