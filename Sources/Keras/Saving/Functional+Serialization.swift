/// Writing a Functional model's config as Keras does (docs/keras-format.md §3): each layer's object dict followed by
/// its `name` and `inbound_nodes` (the calls that belong to this model, with `__keras_tensor__` arguments), then
/// `input_layers` and `output_layers` as `[layer name, node index, tensor index]` triples.
extension Functional {
    func functionalEntry(compileConfig: JSON) -> JSON {
        var callsByLayer: [ObjectIdentifier: [Node]] = [:]
        for node in graph.nodes { callsByLayer[ObjectIdentifier(node.layer), default: []].append(node) }
        var entries: [JSON] = []
        for layer in operations {
            var entry = layer.serializedEntry().objectValue ?? JSONObject()
            entry["name"] = .string(layer.name)
            let calls = (callsByLayer[ObjectIdentifier(layer)] ?? []).sorted { $0.serial < $1.serial }
            entry["inbound_nodes"] = .array(calls.map { node in
                let all = node.inputs.map { tensorJSON($0) }
                let tensors = Array(all.dropLast(node.tensorKeywords.count))
                let count = (node.calledOnList ? 1 : tensors.count) + node.constants.count
                var next = 0
                let args: [JSON] = (0..<count).map { position in
                    if let constant = node.constants[position] { return constant }
                    if node.calledOnList { return .array(tensors) }
                    defer { next += 1 }
                    return tensors[next]
                }
                var kwargs = node.keywordArguments
                let byKeyword = Node.call(all, tensorKeywords: node.tensorKeywords, options: [:])
                for (keyword, tensor) in byKeyword.keywords { kwargs[keyword] = tensor }
                for (keyword, list) in byKeyword.keywordLists {
                    kwargs[keyword] = (node.layer as? any MultiArgumentLayer)?.keywordListJSON(keyword, items: list) ?? .array(list)
                }
                if let mask = node.mask { kwargs["mask"] = tensorJSON(mask, dtype: "bool") }
                return .object(["args": .array(args), "kwargs": .object(kwargs)])
            })
            entries.append(.object(entry))
        }
        var config = JSONObject()
        config["name"] = .string(name)
        config["trainable"] = .bool(trainable)
        config["layers"] = .array(entries)
        config["input_layers"] = structured(inputs, inputStructure)
        config["output_layers"] = structured(outputs, outputStructure)
        var top = JSONObject()
        top["module"] = loadedEntry?["module"] ?? .string("keras.src.models.functional")
        top["class_name"] = loadedEntry?["class_name"] ?? .string("Functional")
        top["config"] = .object(config)
        top["registered_name"] = loadedEntry?["registered_name"] ?? .string("Functional")
        top["build_config"] = .object(["input_shape": .null])
        top["compile_config"] = compileConfig
        return .object(top)
    }

    /// The triples of `tensors` in the form they were given: one bare triple, a list, or a dict by key.
    private func structured(_ tensors: [KerasTensor], _ structure: Structure) -> JSON {
        switch structure {
        case .single: return history(tensors[0])
        case .list: return .array(tensors.map(history))
        case .dict(let keys):
            var o = JSONObject()
            for (key, tensor) in zip(keys, tensors) { o[key] = history(tensor) }
            return .object(o)
        }
    }

    /// `[layer name, node index, tensor index]` for a tensor of this model.
    private func history(_ tensor: KerasTensor) -> JSON {
        let nodeIndex = tensor.node.map { graph.nodeIndex[ObjectIdentifier($0)] ?? 0 } ?? 0
        return .array([.string(tensor.layer.name), .int(nodeIndex), .int(tensor.index)])
    }

    /// The `__keras_tensor__` object standing for `tensor` in a call's arguments.
    private func tensorJSON(_ tensor: KerasTensor, dtype: String? = nil) -> JSON {
        .object(["class_name": .string("__keras_tensor__"),
                 "config": .object(["shape": Layer.batchShapeJSON(tensor.shape), "dtype": .string(dtype ?? tensor.dtype),
                                    "keras_history": history(tensor)])])
    }
}
