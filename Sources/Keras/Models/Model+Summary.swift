/// `model.summary()`: the table Keras 3 prints.
extension Model {
    /// Each layer's per-sample output shape (its first call's, for a layer of a Functional model), when known.
    var layerOutputShapes: [[Int]?] {
        switch self {
        case let sequential as Sequential:
            return sequential.builtLayerOutputShapes
        case let functional as Functional:
            var first: [ObjectIdentifier: [Int]] = [:]
            for node in functional.graph.nodes where first[ObjectIdentifier(node.layer)] == nil {
                first[ObjectIdentifier(node.layer)] = node.outputShape
            }
            return functional.operations.map { ($0 as? InputLayer)?.shape ?? first[ObjectIdentifier($0)] }
        default:
            return []
        }
    }

    /// Each layer's "Output Shape" cell: its shape, or `[(None, 4), (None, 4)]` for an operation with several
    /// outputs (`ops.split`, `ops.top_k`).
    var summaryOutputShapes: [String] {
        // As Keras prints them: `(None, 4)`, and `(None)` (no trailing comma) for a batch of scalars.
        func describe(_ shape: [Int]) -> String { shape.isEmpty ? "(None)" : Shape.describeBatched(shape) }
        let shapes = layerOutputShapes.map { $0.map(describe) ?? "?" }
        guard let functional = self as? Functional else { return shapes }
        var several: [ObjectIdentifier: [[Int]]] = [:]
        for node in functional.graph.nodes.reversed() where node.outputShapes.count > 1 {
            several[ObjectIdentifier(node.layer)] = node.outputShapes
        }
        return zip(functional.operations, shapes).map { layer, shape in
            several[ObjectIdentifier(layer)].map { "[" + $0.map(describe).joined(separator: ", ") + "]" } ?? shape
        }
    }

    /// For a Functional model that is not a plain chain, each layer's "Connected to" cell: the tensors its calls
    /// in this model read, as `layer[node][tensor]`, or `-`; nil for stacks (Keras prints no such column then).
    var summaryConnections: [String]? {
        guard let functional = self as? Functional else { return nil }
        let graph = functional.graph
        var uses: [ObjectIdentifier: Int] = [:]
        for node in graph.nodes { for tensor in node.inputs { uses[tensor.key, default: 0] += 1 } }
        let calls = Dictionary(grouping: graph.nodes, by: { ObjectIdentifier($0.layer) })
        let chain = functional.inputs.count == 1 && functional.outputs.count == 1 && graph.nodes.allSatisfy { $0.inputs.count == 1 }
            && uses.values.allSatisfy { $0 == 1 } && calls.values.allSatisfy { $0.count == 1 }
        if chain { return nil }
        return functional.operations.map { layer in
            let tensors = (calls[ObjectIdentifier(layer)] ?? []).sorted { $0.serial < $1.serial }.flatMap(\.inputs)
            guard !tensors.isEmpty else { return "-" }
            return tensors.map { tensor in
                let node = tensor.node.map { graph.nodeIndex[ObjectIdentifier($0)] ?? 0 } ?? 0
                return "\(tensor.layer.name)[\(node)][\(tensor.index)]"
            }.joined(separator: ", ")
        }
    }

    /// Keras's summary table: each layer's name and type, output shape and parameter count, then the total,
    /// trainable and non-trainable parameter counts with thousands separators and sizes.
    public func summary() -> String {
        summaryTable()
    }

    /// `text` broken into lines of at most `width` characters at spaces, as rich wraps a table cell; a word longer
    /// than the width is cut to `width − 1` characters and an ellipsis.
    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ").map(String.init) {
            if !current.isEmpty, current.count + 1 + word.count <= width { current += " " + word; continue }
            if !current.isEmpty { lines.append(current); current = "" }
            current = word.count > width ? String(word.prefix(width - 1)) + "…" : word
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    private func summaryTable() -> String {
        let shapes = summaryOutputShapes
        let connections = summaryConnections
        var rows: [[String]] = []
        for (i, layer) in ((self as? Functional)?.operations ?? layers).enumerated() {
            let shape = i < shapes.count ? shapes[i] : "?"
            let params = (layer as? Model)?.totalParameterCount ?? layer.parameterCount
            let className = (layer as? KerasOperation)?.operationName ?? type(of: layer).kerasClassName
            rows.append(["\(layer.name) (\(className))", shape, Self.grouped(params)]
                        + (connections.map { [$0[i]] } ?? []))
        }
        // Keras's column widths on an 80-column terminal: three columns for stacks, four ("Connected to") for graphs.
        let widths = connections == nil ? [31, max(22, rows.map { $0[1].count }.max() ?? 0), 13] : [19, 17, 10, 17]
        let header = ["Layer (type)", "Output Shape", "Param #"] + (connections == nil ? [] : ["Connected to"])
        func line(_ l: String, _ fill: String, _ mid: String, _ r: String) -> String {
            l + widths.map { String(repeating: fill, count: $0 + 2) }.joined(separator: mid) + r
        }
        func pad(_ s: String, _ w: Int, right: Bool = false) -> String {
            let gap = String(repeating: " ", count: max(0, w - s.count))
            return right ? gap + s : s + gap
        }
        // Like Keras (rich), a cell too long for its column wraps at spaces onto further lines.
        func rowLines(_ cells: [String], _ bar: String) -> [String] {
            let wrapped = cells.enumerated().map { Self.wrapped($0.element, width: widths[$0.offset]) }
            let height = wrapped.map(\.count).max() ?? 1
            return (0..<height).map { k in
                bar + " " + wrapped.enumerated().map { column, lines in
                    pad(k < lines.count ? lines[k] : "", widths[column], right: column == 2)
                }.joined(separator: " \(bar) ") + " " + bar
            }
        }
        var out = ["Model: \"\(name)\""]
        out.append(line("┏", "━", "┳", "┓"))
        out += rowLines(header, "┃")
        out.append(line("┡", "━", "╇", "┩"))
        for (i, r) in rows.enumerated() {
            out += rowLines(r, "│")
            if i < rows.count - 1 { out.append(line("├", "─", "┼", "┤")) }
        }
        out.append(line("└", "─", "┴", "┘"))
        let weights = totalParameterCount
        let trainable = trainableVariables.reduce(0) { $0 + $1.shape.elementCount }
        // A built optimizer's variables (iteration, learning rate unless scheduled, slots) count too, as in Keras.
        let optimizerParams = optimizer.flatMap { o in
            o.isBuilt ? (o.schedule == nil ? 2 : 1) + o.slotVariables.reduce(0) { $0 + $1.shape.elementCount } : nil
        }
        let total = weights + (optimizerParams ?? 0)
        out.append(" Total params: \(Self.grouped(total)) (\(Self.memorySize(total * 4)))")
        out.append(" Trainable params: \(Self.grouped(trainable)) (\(Self.memorySize(trainable * 4)))")
        out.append(" Non-trainable params: \(Self.grouped(weights - trainable)) (\(Self.memorySize((weights - trainable) * 4)))")
        if let optimizerParams {
            out.append(" Optimizer params: \(Self.grouped(optimizerParams)) (\(Self.memorySize(optimizerParams * 4)))")
        }
        if !weightConversions.isEmpty {
            let kinds = weightConversions.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            out.append(" Converted to float32 on load: \(kinds) variable\(weightConversions.values.reduce(0, +) == 1 ? "" : "s")")
        }
        return out.joined(separator: "\n")
    }

    /// `531466` → `531,466`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Keras's `readable_memory_size`: 1024-based units with two decimals (`2.03 MB`, `0.00 B`).
    static func memorySize(_ bytes: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var size = Double(bytes)
        var unit = 0
        while size >= 1024, unit < units.count - 1 { size /= 1024; unit += 1 }
        let hundredths = Int((size * 100).rounded())
        let frac = hundredths % 100
        return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac) \(units[unit])"
    }
}
