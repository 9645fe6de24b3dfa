import TensorEngine

/// Operations that pick elements by position: slicing (`x[:, 1:3]`, `x[..., ::-1, None]`), `ops.take`,
/// `ops.take_along_axis`, `ops.top_k`, `ops.argsort`, `ops.one_hot`. Gradients go back to the elements picked.
extension KerasOperation {
    static let indexingOperations: [String: Builder] = [
        "GetItem": { op in
            op.single { args in
                try op.expect(args, 2)
                guard case .constant(let key) = args[1] else { throw op.error("indexing with a tensor is not supported") }
                return try slice(op.tensor(args[0]), key: key.arrayValue ?? [key], op)
            }
        },
        "Take": { op in
            let axis = try op.axis()
            return op.single { args in
                try op.expect(args, 2)
                let x = try op.tensor(args[0])
                guard case .constant(let json) = args[1], let indices = OperationConfig.constantArray(json) else {
                    throw op.error("the indices must be constant integers")
                }
                let a = try op.featureAxis(axis, rank: x.rank)
                return x.taking(try positions(indices.scalars, count: x.shape[a], op), shaped: indices.shape, alongAxis: a)
            }
        },
        "TakeAlongAxis": { op in
            let axis = try op.axis()
            return op.single { args in
                try op.expect(args, 2)
                let (x, indices) = (try op.tensor(args[0]), try op.tensor(args[1]))
                let a = try op.featureAxis(axis, rank: x.rank)
                guard indices.rank == x.rank, (0..<x.rank).allSatisfy({ $0 == a || indices.shape[$0] == x.shape[$0] }) else {
                    throw op.error("indices of shape \(indices.shape) do not match \(x.shape) outside axis \(axis)")
                }
                return x.taking(alongAxis: a, indices: try positions(indices.scalars, count: x.shape[a], op), count: indices.shape[a])
            }
        },
        "TopK": { op in
            let k = op.value("k", default: 1)
            return op.unaryOutputs { x in
                guard x.rank >= 2, k >= 0, k <= x.shape[x.rank - 1] else { throw op.error("k = \(k) for shape \(x.shape)") }
                let (values, indices) = x.topK(k)
                return [values, indices]
            }
        },
        "Argsort": { op in
            let axis = op.value("axis", default: -1)
            return op.unary { x in
                // Ascending and stable: the top n of -x, with the axis moved last and back.
                let a = try op.featureAxis(axis, rank: x.rank)
                var p = Array(0..<x.rank)
                p.swapAt(a, x.rank - 1)
                return x.detached.transposed(p).negated().topK(x.shape[a]).indices.transposed(p)
            }
        },
        "OneHot": { op in
            let classes = op.value("num_classes", default: 0), axis = op.value("axis", default: -1)
            guard !op.value("sparse", default: false) else { throw ConfigError(issues: ["\(op.what): sparse one-hot tensors are not supported"]) }
            return op.unary { x in
                // `x` with a new axis of 1 against 0 ..< classes along it: 1 where they are equal.
                let a = try op.featureAxis(axis, rank: x.rank + 1)
                var (shape, classShape) = (x.shape, [Int](repeating: 1, count: x.rank + 1))
                shape.insert(1, at: a)
                classShape[a] = classes
                let range = Tensor(shape: classShape, scalars: (0..<classes).map(Float.init))
                return Tensor.combining(x.detached.reshaped(to: shape), range, .equal)
            }
        },
    ]

    /// Integer positions along an axis of `count` elements, negative ones counted from the end (as JAX).
    private static func positions(_ values: [Float], count: Int, _ op: OperationConfig) throws -> [Int] {
        try values.map { value in
            let i = Int(value)
            guard Float(i) == value, i >= -count, i < count else { throw op.error("index \(value) is out of range for \(count) elements") }
            return i < 0 ? i + count : i
        }
    }

    /// NumPy's basic indexing `x[key]`: integers (negative from the end), slices with steps, `None` (a new axis) and
    /// one `Ellipsis`; the batch axis must be kept whole (`x[:, …]`).
    private static func slice(_ x: Tensor, key: [JSON], _ op: OperationConfig) throws -> Tensor {
        func kind(_ entry: JSON) -> String? { entry.objectValue?["class_name"]?.stringValue }
        let consuming = key.filter { $0 != .null && kind($0) != "__ellipsis__" }.count
        guard consuming <= x.rank, key.filter({ kind($0) == "__ellipsis__" }).count <= 1 else {
            throw op.error("index \(JSON.array(key).brief) has too many entries for a tensor of rank \(x.rank) (the batch axis included)")
        }
        var entries: [JSON] = []
        for entry in key {
            if kind(entry) == "__ellipsis__" {
                entries += [JSON](repeating: fullSlice, count: x.rank - consuming)
            } else {
                entries.append(entry)
            }
        }
        guard entries.first == fullSlice else {
            throw op.error("indexing the batch axis (the first entry must be ':') is not supported")
        }
        var out = x, axis = 0
        for entry in entries {
            if entry == .null {
                var shape = out.shape
                shape.insert(1, at: axis)
                out = out.reshaped(to: shape)
                axis += 1
            } else if let i = entry.intValue {
                out = out.taking(try positions([Float(i)], count: out.shape[axis], op), shaped: [], alongAxis: axis)
            } else if kind(entry) == "__slice__", let bounds = entry.objectValue?["config"]?.objectValue {
                let n = out.shape[axis]
                let range = try pythonSlice(bounds["start"]?.intValue, bounds["stop"]?.intValue, bounds["step"]?.intValue ?? 1, count: n, op)
                if range != Array(0..<n) { out = out.taking(range, shaped: [range.count], alongAxis: axis) }
                axis += 1
            } else {
                throw op.error("index entry \(entry.brief) is not supported (integers, slices, None and Ellipsis are)")
            }
        }
        return out
    }

    private static let fullSlice: JSON = .object(["class_name": .string("__slice__"),
                                                  "config": .object(["start": .null, "stop": .null, "step": .null])])

    /// The positions `slice(start, stop, step).indices(count)` walks, as Python computes them.
    private static func pythonSlice(_ start: Int?, _ stop: Int?, _ step: Int, count n: Int, _ op: OperationConfig) throws -> [Int] {
        guard step != 0 else { throw op.error("a slice step cannot be zero") }
        func clamp(_ i: Int, _ low: Int, _ high: Int) -> Int { Swift.min(Swift.max(i < 0 ? i + n : i, low), high) }
        if step > 0 {
            let (b, e) = (start.map { clamp($0, 0, n) } ?? 0, stop.map { clamp($0, 0, n) } ?? n)
            return Array(stride(from: b, to: e, by: step))
        }
        let (b, e) = (start.map { clamp($0, -1, n - 1) } ?? n - 1, stop.map { clamp($0, -1, n - 1) } ?? -1)
        return Array(stride(from: b, to: e, by: step))
    }
}
