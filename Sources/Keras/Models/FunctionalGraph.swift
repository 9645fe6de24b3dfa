/// The order of a Functional model's layers and layer calls, computed as Keras's `map_graph` does
/// (docs/keras-format.md §3.4), so that `layers`, the weight-file paths and the optimizer's slot order agree with Keras.
struct FunctionalGraph {
    /// The layer calls in an order where every call comes after the calls that produce its inputs.
    let nodes: [Node]
    /// The layers in Keras's `model.layers` order (InputLayers included): decreasing depth, then first visit.
    let layers: [Layer]
    /// For each node, its index among the calls of its layer that belong to this model (Keras's `node_index`).
    let nodeIndex: [ObjectIdentifier: Int]

    init(inputs: [KerasTensor], outputs: [KerasTensor]) throws {
        let inputKeys = Set(inputs.map(\.key))
        var finished = Set<ObjectIdentifier>()
        var ordered: [KerasTensor] = []                 // producers, inputs → outputs
        var traversalIndex: [ObjectIdentifier: Int] = [:]  // layer → first visit

        func visit(_ tensor: KerasTensor) {
            guard finished.insert(tensor.key).inserted else { return }
            let layerKey = ObjectIdentifier(tensor.layer)
            if traversalIndex[layerKey] == nil { traversalIndex[layerKey] = traversalIndex.count }
            if let node = tensor.node, !inputKeys.contains(tensor.key) { node.parents.forEach(visit) }
            ordered.append(tensor)
        }
        outputs.forEach(visit)

        var nodeDepth: [ObjectIdentifier: Int] = [:]
        var layerDepth: [ObjectIdentifier: Int] = [:]
        for tensor in ordered.reversed() {
            let layerKey = ObjectIdentifier(tensor.layer)
            let depth = max(nodeDepth[tensor.key] ?? 0, layerDepth[layerKey] ?? 0)
            layerDepth[layerKey] = depth
            nodeDepth[tensor.key] = depth
            if let node = tensor.node, !inputKeys.contains(tensor.key) {
                for parent in node.parents { nodeDepth[parent.key] = max(depth + 1, nodeDepth[parent.key] ?? 0) }
            }
        }
        var layersByKey: [ObjectIdentifier: Layer] = [:]
        for tensor in ordered { layersByKey[ObjectIdentifier(tensor.layer)] = tensor.layer }
        for input in inputs where layerDepth[ObjectIdentifier(input.layer)] == nil {   // inputs no output uses
            let key = ObjectIdentifier(input.layer)
            layerDepth[key] = 0
            traversalIndex[key] = -1
            layersByKey[key] = input.layer
        }
        for input in inputs where input.node != nil {
            throw ShapeError("model inputs must come from Input(shape:); '\(input.layer.name)' is the output of a layer")
        }
        let sortedLayers = layersByKey.keys.sorted { a, b in
            let (da, db) = (layerDepth[a] ?? 0, layerDepth[b] ?? 0)
            return da != db ? da > db : (traversalIndex[a] ?? 0) < (traversalIndex[b] ?? 0)
        }.compactMap { layersByKey[$0] }
        Layer.assignUniqueNames(sortedLayers)
        let names = sortedLayers.map(\.name)
        if let duplicate = names.first(where: { name in !name.isEmpty && names.filter { $0 == name }.count > 1 }) {
            throw ShapeError("the name '\(duplicate)' is used by \(names.filter { $0 == duplicate }.count) layers of the model; layer names must be unique")
        }
        layers = sortedLayers
        var seen = Set<ObjectIdentifier>()   // a call with several outputs appears once
        nodes = ordered.compactMap(\.node).filter { seen.insert(ObjectIdentifier($0)).inserted }
        var index: [ObjectIdentifier: Int] = [:]
        for (_, calls) in Dictionary(grouping: nodes, by: { ObjectIdentifier($0.layer) }) {
            for (i, node) in calls.sorted(by: { $0.serial < $1.serial }).enumerated() { index[ObjectIdentifier(node)] = i }
        }
        nodeIndex = index
    }
}
