/// Rebuilding a Functional model from its config (docs/keras-format.md §3.5): every layer from its entry, then each
/// recorded call replayed on symbolic tensors, sweeping until every call's inputs exist.
extension ModelDeserializer {
    /// One recorded call of a layer: its tensor arguments as `[layer name, node index, tensor index]` references.
    private struct PendingCall {
        let layerName: String
        let references: [(layer: String, node: Int, tensor: Int)]
        let calledOnList: Bool
        let keywordArguments: JSONObject
        /// An operation's constant arguments by position.
        var constants: [Int: JSON] = [:]
        /// The tensor given as the `mask` keyword argument (Keras 3.x records masks explicitly).
        var mask: (layer: String, node: Int, tensor: Int)?
        /// The keywords of the last `tensorKeywords.count` references (tensors given by keyword).
        var tensorKeywords: [String] = []
    }

    mutating func functional(from top: JSONObject) throws -> Functional {
        let config = top["config"]?.objectValue ?? JSONObject()
        guard let entries = config["layers"]?.arrayValue else {
            throw ModelLoadError(path: path, issues: ["config.json: Functional config has no 'layers' list"], hasUnknownClasses: false)
        }
        var created: [String: Layer] = [:]
        var order: [String] = []
        var pending: [String: [PendingCall]] = [:]
        for (index, entry) in entries.enumerated() {
            guard let layer = self.layer(from: entry, index: index) else { continue }
            let object = entry.objectValue ?? JSONObject()
            let name = object["name"]?.stringValue ?? layer.name
            guard created[name] == nil else { fail("config.json: two layers are named '\(name)'"); continue }
            created[name] = layer
            order.append(name)
            if layer is InputLayer { continue }
            for (n, node) in (object["inbound_nodes"]?.arrayValue ?? []).enumerated() {
                if let call = pendingCall(node, layer: name, index: n, operation: layer is KerasOperation, multiArgument: layer is MultiArgumentLayer) { pending[name, default: []].append(call) }
            }
        }
        // A reference to a layer that could not be made is reported with that layer; the others name no entry.
        let allLayersMade = issues.isEmpty
        for name in order where allLayersMade {
            for call in pending[name] ?? [] {
                for ref in call.references + (call.mask.map { [$0] } ?? []) where created[ref.layer] == nil {
                    fail("layer '\(name)': its input refers to an unknown layer '\(ref.layer)'")
                }
            }
        }
        let inputRefs = references(config["input_layers"], key: "input_layers")
        let outputRefs = references(config["output_layers"], key: "output_layers")
        guard issues.isEmpty else { throw error() }

        // Replay the calls; a call whose inputs do not exist yet waits for the next sweep.
        var dtypes: [String: String] = [:]
        for entry in entries { Self.collectDTypes(entry.objectValue?["inbound_nodes"] ?? .null, into: &dtypes) }
        func typed(_ tensors: [KerasTensor], _ layer: String, _ node: Int) -> [KerasTensor] {
            tensors.map { var t = $0; t.dtype = dtypes["\(layer)/\(node)/\(t.index)"] ?? t.dtype; return t }
        }
        var outputsOf: [String: [[KerasTensor]]] = [:]   // by layer: each call's outputs
        for name in order { if let input = created[name] as? InputLayer { outputsOf[name] = [typed([input.kerasTensor], name, 0)] } }
        var progressed = true
        while progressed, pending.values.contains(where: { !$0.isEmpty }) {
            progressed = false
            for name in order {
                guard let layer = created[name] else { continue }
                while let call = pending[name]?.first {
                    let all = call.references + (call.mask.map { [$0] } ?? [])
                    var resolved = all.compactMap { ref in outputsOf[ref.layer].flatMap { ref.node < $0.count ? $0[ref.node] : nil }.flatMap { ref.tensor < $0.count ? $0[ref.tensor] : nil } }
                    guard resolved.count == all.count else { break }
                    let mask = call.mask == nil ? nil : resolved.removeLast()
                    do {
                        let outputs = try layer.symbolicOutputs(resolved, calledOnList: call.calledOnList, keywordArguments: call.keywordArguments,
                                                                constants: call.constants, mask: mask, tensorKeywords: call.tensorKeywords)
                        outputsOf[name, default: []].append(typed(outputs, name, outputsOf[name]?.count ?? 0))
                    } catch {
                        throw ModelLoadError(path: path, issues: ["building layer '\(name)' on inputs of shape \(resolved.map { Shape.describeBatched($0.shape) }.joined(separator: ", ")): \(error)"], hasUnknownClasses: false)
                    }
                    pending[name]?.removeFirst()
                    progressed = true
                }
            }
        }
        if let stuck = pending.first(where: { !$0.value.isEmpty }) {
            let missing = stuck.value[0].references.map { "\($0.layer)[\($0.node)]" }.joined(separator: ", ")
            throw ModelLoadError(path: path, issues: ["config.json: invalid Functional graph: layer '\(stuck.key)' waits for \(missing), which is never computed"], hasUnknownClasses: false)
        }
        func resolve(_ refs: [(layer: String, node: Int, tensor: Int)], _ key: String) throws -> [KerasTensor] {
            try refs.map { ref in
                guard let calls = outputsOf[ref.layer], ref.node < calls.count, ref.tensor < calls[ref.node].count else {
                    throw ModelLoadError(path: path, issues: ["config.json: '\(key)' names \(ref.layer)[\(ref.node)][\(ref.tensor)], which the graph does not produce"], hasUnknownClasses: false)
                }
                return calls[ref.node][ref.tensor]
            }
        }
        let inputs = try resolve(inputRefs.refs, "input_layers")
        let outputs = try resolve(outputRefs.refs, "output_layers")
        do {
            let model = try Functional(inputs: inputs, outputs: outputs, inputStructure: inputRefs.structure, outputStructure: outputRefs.structure,
                                       name: config["name"]?.stringValue)
            model.loadedConfig = config
            model.propagatesTrainable = false
            model.trainable = config["trainable"]?.boolValue ?? true
            model.propagatesTrainable = true
            return model
        } catch {
            throw ModelLoadError(path: path, issues: ["config.json: \(error)"], hasUnknownClasses: false)
        }
    }

    /// Parses one `inbound_nodes` item: Keras 3's `{"args": […], "kwargs": {…}}` with `__keras_tensor__` dicts, or
    /// Keras 2's list of `[name, node_index, tensor_index, kwargs]`.
    private mutating func pendingCall(_ node: JSON, layer: String, index: Int, operation: Bool, multiArgument: Bool) -> PendingCall? {
        let context = "layer '\(layer)' inbound node \(index)"
        if let object = node.objectValue {
            let args = object["args"]?.arrayValue ?? []
            var kwargs = object["kwargs"]?.objectValue ?? JSONObject()
            if operation { return operationCall(args, kwargs: kwargs, layer: layer, context: context) }
            if multiArgument { return multiArgumentCall(args, kwargs: kwargs, layer: layer, context: context) }
            guard let first = args.first else { fail("\(context): no arguments"); return nil }
            if args.count > 1 { fail("\(context): calls with \(args.count) positional arguments are not supported"); return nil }
            let mask = kwargs["mask"].flatMap(kerasTensorReference)
            if mask != nil { kwargs["mask"] = nil }   // kept as the node's mask tensor, written back from it
            for (key, value) in kwargs where kerasTensorReference(value) != nil {
                fail("\(context): tensor keyword argument '\(key)' is not supported")
                return nil
            }
            if let list = first.arrayValue {
                let refs = list.compactMap(kerasTensorReference)
                guard refs.count == list.count else { fail("\(context): expected a list of __keras_tensor__ objects"); return nil }
                if mask != nil { fail("\(context): a mask for a call on a list of tensors is not supported"); return nil }
                return PendingCall(layerName: layer, references: refs, calledOnList: true, keywordArguments: kwargs)
            }
            guard let ref = kerasTensorReference(first) else { fail("\(context): expected a __keras_tensor__ argument, found \(first.brief)"); return nil }
            return PendingCall(layerName: layer, references: [ref], calledOnList: false, keywordArguments: kwargs, mask: mask)
        }
        // Keras 2: [[name, node_index, tensor_index, kwargs], …]
        guard let items = node.arrayValue, !items.isEmpty else { fail("\(context): expected an object or a list"); return nil }
        var refs: [(layer: String, node: Int, tensor: Int)] = []
        for item in items {
            guard let parts = item.arrayValue, parts.count >= 3, let name = parts[0].stringValue,
                  let n = parts[1].intValue, let t = parts[2].intValue, n >= 0, t >= 0 else {
                fail("\(context): expected [layer_name, node_index, tensor_index, kwargs] entries")
                return nil
            }
            refs.append((name, n, t))
        }
        return PendingCall(layerName: layer, references: refs, calledOnList: refs.count > 1, keywordArguments: [:])
    }

    /// A call of a `MultiArgumentLayer` (`mha(query, value, key=k, attention_mask=m)`, `attention([q, v])`): tensors by
    /// position (or one list of them) and by keyword; the other keyword arguments are kept as the call's options.
    private mutating func multiArgumentCall(_ args: [JSON], kwargs: JSONObject, layer: String, context: String) -> PendingCall? {
        var refs: [(layer: String, node: Int, tensor: Int)] = []
        var onList = false
        for arg in args {
            if let ref = kerasTensorReference(arg) {
                refs.append(ref)
            } else if let list = arg.arrayValue, args.count == 1, list.allSatisfy({ kerasTensorReference($0) != nil }) {
                refs = list.compactMap(kerasTensorReference)
                onList = true
            } else {
                fail("\(context): expected __keras_tensor__ arguments, found \(arg.brief)")
                return nil
            }
        }
        var options = kwargs
        var keywords: [String] = []
        for key in kwargs.keys.sorted() {   // the order LayerCall.flatKeywords gives
            guard let value = kwargs[key] else { continue }
            if let ref = kerasTensorReference(value) {
                refs.append(ref)
                keywords.append(key)
            } else if let list = tensorList(value) {
                refs += list   // initial_state=[h, c], or per stacked cell [[h, c], h]
                keywords += list.map { _ in key + LayerCall<Int>.listItem }
            } else {
                continue
            }
            options[key] = nil
        }
        guard !refs.isEmpty else { fail("\(context): no tensor arguments"); return nil }
        return PendingCall(layerName: layer, references: refs, calledOnList: onList, keywordArguments: options, tensorKeywords: keywords)
    }

    /// The tensors of a non-empty list of `__keras_tensor__` objects, or of such objects and lists of them (flattened).
    private func tensorList(_ json: JSON) -> [(layer: String, node: Int, tensor: Int)]? {
        guard let items = json.arrayValue, !items.isEmpty else { return nil }
        var refs: [(layer: String, node: Int, tensor: Int)] = []
        for item in items {
            if let ref = kerasTensorReference(item) {
                refs.append(ref)
            } else if let inner = item.arrayValue, !inner.isEmpty, inner.allSatisfy({ kerasTensorReference($0) != nil }) {
                refs += inner.compactMap(kerasTensorReference)
            } else {
                return nil
            }
        }
        return refs
    }

    /// An operation call (`x * 2.0`): positional arguments that are tensors, one list of tensors, or constants.
    private mutating func operationCall(_ args: [JSON], kwargs: JSONObject, layer: String, context: String) -> PendingCall? {
        var refs: [(layer: String, node: Int, tensor: Int)] = []
        var constants: [Int: JSON] = [:]
        var onList = false
        for (position, arg) in args.enumerated() {
            if let ref = kerasTensorReference(arg) {
                refs.append(ref)
            } else if let list = arg.arrayValue, !list.isEmpty, list.allSatisfy({ kerasTensorReference($0) != nil }) {
                guard refs.isEmpty, !onList else { fail("\(context): only one list of tensors is supported"); return nil }
                refs = list.compactMap(kerasTensorReference)
                onList = true
            } else if arg.objectValue == nil || ["__tensor__", "__numpy__", "__slice__", "__ellipsis__"].contains(arg.objectValue?["class_name"]?.stringValue) {
                constants[position] = arg   // a number, a list, a constant array, or an index (`x[1:3]`)
            } else {
                fail("\(context): argument \(position) (\(arg.brief)) is not supported")
                return nil
            }
        }
        for (key, value) in kwargs where value != .null {
            fail("\(context): keyword argument '\(key)' is not supported for operations")
            return nil
        }
        guard !refs.isEmpty else { fail("\(context): an operation without tensor arguments"); return nil }
        return PendingCall(layerName: layer, references: refs, calledOnList: onList, keywordArguments: kwargs, constants: constants)
    }

    /// The dtype of every `__keras_tensor__` in a layer's calls, by `layer/node/tensor` (the tensors' producers).
    private static func collectDTypes(_ json: JSON, into dtypes: inout [String: String]) {
        switch json {
        case .array(let items): for item in items { collectDTypes(item, into: &dtypes) }
        case .object(let object):
            if object["class_name"]?.stringValue == "__keras_tensor__", let config = object["config"]?.objectValue,
               let dtype = config["dtype"]?.stringValue, let h = config["keras_history"]?.arrayValue, h.count == 3,
               let layer = h[0].stringValue, let node = h[1].intValue, let tensor = h[2].intValue {
                dtypes["\(layer)/\(node)/\(tensor)"] = dtype
            } else {
                for key in object.keys { collectDTypes(object[key] ?? .null, into: &dtypes) }
            }
        default: break
        }
    }

    /// `[name, node, tensor]` from a `__keras_tensor__` dict.
    private func kerasTensorReference(_ json: JSON) -> (layer: String, node: Int, tensor: Int)? {
        guard let object = json.objectValue, object["class_name"]?.stringValue == "__keras_tensor__",
              let history = object["config"]?.objectValue?["keras_history"]?.arrayValue else { return nil }
        return triple(history)
    }

    private func triple(_ items: [JSON]) -> (layer: String, node: Int, tensor: Int)? {
        guard items.count == 3, let name = items[0].stringValue, let n = items[1].intValue, let t = items[2].intValue,
              n >= 0, t >= 0 else { return nil }
        return (name, n, t)
    }

    /// `input_layers` / `output_layers`: a bare triple (one tensor), a list of triples, or a dict of triples (taken
    /// in sorted-key order, as Keras flattens dicts).
    private mutating func references(_ json: JSON?, key: String) -> (refs: [(layer: String, node: Int, tensor: Int)], structure: Functional.Structure) {
        if let object = json?.objectValue {
            let keys = object.keys.sorted()
            var refs: [(layer: String, node: Int, tensor: Int)] = []
            for k in keys {
                guard let t = object[k]?.arrayValue.flatMap(triple) else {
                    fail("config.json: '\(key)' entry '\(k)' must be a [layer_name, node_index, tensor_index] triple")
                    return ([], .dict(keys))
                }
                refs.append(t)
            }
            if refs.isEmpty { fail("config.json: '\(key)' is empty") }
            return (refs, .dict(keys))
        }
        guard let items = json?.arrayValue else { fail("config.json: Functional config has no '\(key)' list"); return ([], .list) }
        if let single = triple(items) { return ([single], .single) }
        var refs: [(layer: String, node: Int, tensor: Int)] = []
        for item in items {
            guard let t = item.arrayValue.flatMap(triple) else {
                fail("config.json: '\(key)' must hold [layer_name, node_index, tensor_index] triples, found \(item.brief)")
                return ([], .list)
            }
            refs.append(t)
        }
        if refs.isEmpty { fail("config.json: '\(key)' is empty") }
        return (refs, .list)
    }
}
