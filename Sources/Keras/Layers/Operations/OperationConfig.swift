import TensorEngine

/// What an operation's builder reads: its config entry, plus the argument checks every operation shares. The
/// builders of the operation tables use it as `{ op in op.unary { $0.sin() } }`.
struct OperationConfig {
    typealias Value = KerasOperation.Value
    typealias Compute = KerasOperation.Compute

    /// The operation's config (`axis`, `keepdims` …).
    let reader: ConfigReader
    /// The operation named for messages: `operation 'get_item' (keras.src.ops.numpy.GetItem)`.
    let what: String

    /// The value under `key`, or `defaultValue`.
    func value<T: ConfigDecodable>(_ key: String, default defaultValue: T) -> T { reader.value(key, default: defaultValue) }
    /// The value under `key`, or nil.
    func optional<T: ConfigDecodable>(_ key: String, as type: T.Type = T.self) -> T? { reader.optional(key, as: type) }

    /// An `axis` given as one integer or a list, nil when absent or `null` (every axis).
    func axes(_ key: String = "axis") -> [Int]? {
        if let single = reader.object[key]?.intValue { return [single] }
        return reader.optional(key, as: [Int].self)
    }

    /// The one `axis` an operation on the flattened tensor would otherwise use (`axis=None`, which takes in the batch
    /// axis, is refused).
    func axis(default defaultAxis: Int? = nil) throws -> Int {
        guard let axis = reader.optional("axis", as: Int.self) ?? defaultAxis else {
            throw ConfigError(issues: ["\(what): axis=None (the flattened tensor, the batch axis included) is not supported"])
        }
        return axis
    }

    /// A `ShapeError` naming the operation.
    func error(_ message: String) -> ShapeError { ShapeError("\(what): \(message)") }

    /// `axis` (possibly negative) of a tensor of `rank` (batch axis included), which must not be the batch axis.
    func featureAxis(_ axis: Int, rank: Int) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 1, a < rank else { throw error("axis \(axis) is not a feature axis of a tensor of rank \(rank) (the batch axis included)") }
        return a
    }

    /// The argument as a tensor: a tensor, a number or boolean, or a constant array (`__tensor__`, `__numpy__`).
    func tensor(_ value: Value) throws -> Tensor {
        switch value {
        case .tensor(let t): return t
        case .tensors: throw error("expected a tensor, found a list of tensors")
        case .constant(let c):
            if let d = c.doubleValue { return Tensor(Float(d)) }
            if let b = c.boolValue { return Tensor(b ? 1 : 0) }
            if let object = c.objectValue, ["__tensor__", "__numpy__"].contains(object["class_name"]?.stringValue),
               let array = object["config"]?.objectValue?["value"], let t = Self.constantArray(array) {
                return t
            }
            throw error("expected a tensor or a number, found \(c.brief)")
        }
    }

    /// A nested list of numbers as a tensor, nil when it is not rectangular.
    static func constantArray(_ json: JSON) -> Tensor? {
        if let d = json.doubleValue { return Tensor(Float(d)) }
        if let b = json.boolValue { return Tensor(b ? 1 : 0) }
        guard let items = json.arrayValue else { return nil }
        let parts = items.compactMap(constantArray)
        guard parts.count == items.count, let first = parts.first else { return items.isEmpty ? Tensor(shape: [0], scalars: []) : nil }
        guard parts.allSatisfy({ $0.shape == first.shape }) else { return nil }
        return Tensor(shape: [parts.count] + first.shape, scalars: parts.flatMap(\.scalars))
    }

    /// The arguments, which must be `count`.
    func expect(_ args: [Value], _ count: Int) throws {
        guard args.count == count else { throw error("takes \(count) argument\(count == 1 ? "" : "s"), got \(args.count)") }
    }

    /// The one list of tensors a call on a list (`ops.stack([a, b])`) receives.
    func list(_ args: [Value]) throws -> [Tensor] {
        guard args.count == 1, case .tensors(let ts) = args[0], !ts.isEmpty else { throw error("takes one list of tensors") }
        return ts
    }

    /// An operation of one tensor with one result.
    func unary(_ f: @escaping (Tensor) throws -> Tensor) -> Compute {
        { args in
            try expect(args, 1)
            return [try f(tensor(args[0]))]
        }
    }

    /// An operation of one tensor with several results.
    func unaryOutputs(_ f: @escaping (Tensor) throws -> [Tensor]) -> Compute {
        { args in
            try expect(args, 1)
            return try f(tensor(args[0]))
        }
    }

    /// An operation of two tensors (or numbers) that broadcast together.
    func binary(_ f: @escaping (Tensor, Tensor) throws -> Tensor) -> Compute {
        { args in
            try expect(args, 2)
            let (a, b) = (try tensor(args[0]), try tensor(args[1]))
            guard Tensor.broadcastShape(a.shape, b.shape) != nil else {
                throw error("shapes \(a.shape) and \(b.shape) do not broadcast together")
            }
            return [try f(a, b)]
        }
    }

    /// An operation of any arguments with one result.
    func single(_ f: @escaping ([Value]) throws -> Tensor) -> Compute {
        { args in [try f(args)] }
    }
}
