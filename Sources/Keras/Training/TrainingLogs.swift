/// Named values in Keras's log order (`loss`, metrics, then `val_` versions).
public struct TrainingLogs: Sendable, Equatable {
    /// The names in order.
    public private(set) var names: [String] = []
    private var values: [String: Double] = [:]

    /// Empty logs.
    public init() {}

    /// The value under `name`.
    public subscript(name: String) -> Double? {
        get { values[name] }
        set {
            if values[name] == nil, newValue != nil { names.append(name) }
            values[name] = newValue
            if newValue == nil { names.removeAll { $0 == name } }
        }
    }

    /// The pairs in order.
    public var pairs: [(String, Double)] { names.compactMap { n in values[n].map { (n, $0) } } }
}

/// What `fit` returns: each log name's value per epoch (Keras's `History.history`).
public struct History: Sendable {
    /// The names in Keras's order.
    public private(set) var names: [String] = []
    /// Every value per name, one per epoch.
    public private(set) var values: [String: [Double]] = [:]
    /// Wall time of each epoch, in seconds.
    public internal(set) var epochSeconds: [Double] = []

    mutating func append(_ logs: TrainingLogs) {
        for (name, value) in logs.pairs {
            if values[name] == nil { names.append(name) }
            values[name, default: []].append(value)
        }
    }

    /// The values of `name`, one per epoch.
    public subscript(name: String) -> [Double] { values[name] ?? [] }
}
