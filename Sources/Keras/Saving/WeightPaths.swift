/// Keras's weight-file paths (docs/keras-format.md §5.2): a layer's variables live at
/// `layers/<snake_case class name>[_k]/vars/<i>`, the suffix counting earlier layers of the same class in the
/// same container. Paths never use layer names.
enum WeightPaths {
    /// The container names Keras's `_save_container_state` gives a list of layers: `dense`, `dense_1`, `dropout`…
    static func containerNames(for layers: [Layer]) -> [String] {
        var used: [String: Int] = [:]
        return layers.map { layer in
            let base = snakeCase(type(of: layer).kerasClassName)
            let k = used[base, default: 0]
            used[base] = k + 1
            return k == 0 ? base : "\(base)_\(k)"
        }
    }

    /// The `vars` group path of each layer of a model, in `model.layers` order; a nested model's layers follow it
    /// under its own path (`layers/sequential/layers/dense/vars`).
    static func layerVarsPaths(for model: Model, prefix: String = "") -> [(layer: Layer, path: String)] {
        var out: [(layer: Layer, path: String)] = []
        for (layer, name) in zip(model.layers, containerNames(for: model.layers)) {
            let base = "\(prefix)layers/\(name)"
            out += sublayerVarsPaths(layer, base: base)
            if let nested = layer as? Model { out += layerVarsPaths(for: nested, prefix: base + "/") }
        }
        return out
    }

    /// The `vars` path of `layer` at `base` and of its sublayers under it (`layers/lstm/cell/vars`,
    /// `layers/bidirectional/forward_layer/cell/vars`).
    static func sublayerVarsPaths(_ layer: Layer, base: String) -> [(layer: Layer, path: String)] {
        [(layer, "\(base)/vars")] + layer.sublayers.flatMap { sublayerVarsPaths($0.layer, base: "\(base)/\($0.name)") }
    }
}
