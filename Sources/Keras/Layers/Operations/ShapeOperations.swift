import TensorEngine

/// Operations that rearrange elements without computing on them: reshaping, transposing, joining and splitting
/// (`ops.stack`, `ops.split`, `ops.unstack`), repeating (`ops.tile`, `ops.repeat`). The batch axis stays first.
extension KerasOperation {
    static let shapeOperations: [String: Builder] = [
        "Reshape": { op in
            let shape = op.value("newshape", default: [Int]())
            return op.unary { x in
                var target = shape
                if target.first == -1 || target.first == x.shape[0] { target[0] = x.shape[0] } else { target = [x.shape[0]] + target }
                guard target.filter({ $0 == -1 }).count <= 1, target.allSatisfy({ $0 >= -1 }) else { throw op.error("newshape \(shape) is not a shape") }
                let known = target.filter { $0 != -1 }.reduce(1, *)
                guard known > 0, x.count % known == 0, target.contains(-1) || known == x.count else {
                    throw op.error("cannot reshape \(x.shape) to \(shape)")
                }
                return x.reshaped(to: target)
            }
        },
        "Transpose": { op in
            let permutation = op.optional("axes", as: [Int].self)
            return op.unary { x in
                let p = permutation ?? Array((0..<x.rank).reversed())
                guard p.sorted() == Array(0..<x.rank), p.first == 0 else { throw op.error("axes \(p) must permute the axes and keep the batch axis first") }
                return x.transposed(p)
            }
        },
        "Swapaxes": { op in
            let (first, second) = (op.value("axis1", default: 0), op.value("axis2", default: 0))
            return op.unary { x in
                var p = Array(0..<x.rank)
                p.swapAt(try op.featureAxis(first, rank: x.rank), try op.featureAxis(second, rank: x.rank))
                return x.transposed(p)
            }
        },
        "Moveaxis": { op in
            guard let source = op.optional("source", as: Int.self), let destination = op.optional("destination", as: Int.self) else {
                throw ConfigError(issues: ["\(op.what): source and destination must be single axes"])
            }
            return op.unary { x in
                var p = Array(0..<x.rank)
                p.remove(at: try op.featureAxis(source, rank: x.rank))
                p.insert(try op.featureAxis(source, rank: x.rank), at: try op.featureAxis(destination, rank: x.rank))
                return x.transposed(p)
            }
        },
        "Roll": { op in
            let shifts = op.axes("shift") ?? []
            guard let axes = op.axes(), axes.count == shifts.count else {
                throw ConfigError(issues: ["\(op.what): rolling the flattened tensor (axis=None) is not supported"])
            }
            return op.unary { x in
                try zip(shifts, axes).reduce(x) { out, pair in
                    let a = try op.featureAxis(pair.1, rank: x.rank)
                    let n = x.shape[a]
                    return out.taking((0..<n).map { (($0 - pair.0) % n + n) % n }, shaped: [n], alongAxis: a)
                }
            }
        },
        "ExpandDims": { op in
            guard let axis = op.optional("axis", as: Int.self) else { throw ConfigError(issues: ["\(op.what): axis must be one integer"]) }
            return op.unary { x in
                var shape = x.shape
                shape.insert(1, at: try op.featureAxis(axis, rank: x.rank + 1))
                return x.reshaped(to: shape)
            }
        },
        "Squeeze": { op in
            let axes = op.axes()
            return op.unary { x in
                let drop = try axes.map { try $0.map { try op.featureAxis($0, rank: x.rank) } } ?? (1..<x.rank).filter { x.shape[$0] == 1 }
                guard drop.allSatisfy({ x.shape[$0] == 1 }) else { throw op.error("cannot squeeze axes \(drop) of \(x.shape)") }
                return x.reshaped(to: x.shape.enumerated().filter { !drop.contains($0.offset) }.map(\.element))
            }
        },
        "Flip": { op in
            guard let axes = op.axes() else { throw ConfigError(issues: ["\(op.what): flipping every axis (the batch included) is not supported"]) }
            return op.unary { x in try axes.reduce(x) { $0.reversed(alongAxis: try op.featureAxis($1, rank: x.rank)) } }
        },
        "Concatenate": { op in
            let axis = op.value("axis", default: 0)
            return op.single { args in
                let ts = try op.list(args)
                let a = try op.featureAxis(axis, rank: ts[0].rank)
                guard ts.allSatisfy({ t in t.rank == ts[0].rank && (0..<t.rank).allSatisfy { $0 == a || t.shape[$0] == ts[0].shape[$0] } }) else {
                    throw op.error("shapes \(ts.map(\.shape)) do not concatenate along axis \(axis)")
                }
                return Tensor.concatenate(ts, alongAxis: a)
            }
        },
        "Stack": { op in
            let axis = op.value("axis", default: 0)
            return op.single { args in
                let ts = try op.list(args)
                guard ts.allSatisfy({ $0.shape == ts[0].shape }) else { throw op.error("shapes \(ts.map(\.shape)) differ") }
                let a = try op.featureAxis(axis, rank: ts[0].rank + 1)
                var shape = ts[0].shape
                shape.insert(1, at: a)
                return Tensor.concatenate(ts.map { $0.reshaped(to: shape) }, alongAxis: a)
            }
        },
        "Unstack": { op in
            let axis = op.value("axis", default: 0)
            return op.unaryOutputs { x in
                let a = try op.featureAxis(axis, rank: x.rank)
                return (0..<x.shape[a]).map { x.taking([$0], shaped: [], alongAxis: a) }
            }
        },
        "Split": { op in
            let given = op.reader.object["indices_or_sections"]
            let sections = given?.intValue
            let points = given?.arrayValue.map { $0.compactMap(\.intValue) }
            let axis = op.value("axis", default: 0)
            return op.unaryOutputs { x in
                let a = try op.featureAxis(axis, rank: x.rank)
                let n = x.shape[a]
                var bounds: [Int]
                if let sections {
                    guard sections > 0, n % sections == 0 else { throw op.error("\(n) elements along axis \(axis) do not split into \(sections) equal parts") }
                    bounds = (0...sections).map { $0 * n / sections }
                } else if let points {
                    // As NumPy: split points clamped to the axis (an empty piece where they cross).
                    bounds = [0] + points.map { Swift.min(Swift.max($0 < 0 ? $0 + n : $0, 0), n) } + [n]
                } else {
                    throw op.error("indices_or_sections must be an integer or a list of integers")
                }
                return zip(bounds, bounds.dropFirst()).map { x.slice(alongAxis: a, from: $0, count: Swift.max($1 - $0, 0)) }
            }
        },
        "Tile": { op in
            let repeats = op.axes("repeats") ?? []
            return op.unary { x in
                guard repeats.count <= x.rank, repeats.allSatisfy({ $0 >= 0 }) else { throw op.error("repeats \(repeats) for a tensor of rank \(x.rank) (the batch axis included)") }
                let full = [Int](repeating: 1, count: x.rank - repeats.count) + repeats
                guard full[0] == 1 else { throw op.error("repeating the batch axis is not supported") }
                var out = x
                for (a, r) in full.enumerated() where r != 1 {
                    let n = x.shape[a]
                    out = out.taking((0..<(r * n)).map { $0 % n }, shaped: [r * n], alongAxis: a)
                }
                return out
            }
        },
        "Repeat": { op in
            let repeats = op.axes("repeats") ?? []
            let axis = try op.axis()
            return op.unary { x in
                let a = try op.featureAxis(axis, rank: x.rank)
                let n = x.shape[a]
                let counts = repeats.count == 1 ? [Int](repeating: repeats[0], count: n) : repeats
                guard counts.count == n, counts.allSatisfy({ $0 >= 0 }) else { throw op.error("repeats \(repeats) for \(n) elements along axis \(axis)") }
                let indices = counts.enumerated().flatMap { [Int](repeating: $0.offset, count: $0.element) }
                return x.taking(indices, shaped: [indices.count], alongAxis: a)
            }
        },
    ]
}
