import TensorEngine

/// How one weight of a layer is created and kept, Keras's `<weight>_initializer`, `<weight>_regularizer` and
/// `<weight>_constraint` arguments (`kernel_initializer`, `kernel_regularizer`, `kernel_constraint` …).
public struct WeightOptions: Sendable, Equatable {
    /// How the weight starts.
    public var initializer: Initializer
    /// The penalty added to the training loss, if any.
    public var regularizer: Regularizer?
    /// The projection applied after each optimizer update, if any.
    public var constraint: Constraint?

    /// Options for one weight.
    public init(_ initializer: Initializer, regularizer: Regularizer? = nil, constraint: Constraint? = nil) {
        self.initializer = initializer
        self.regularizer = regularizer
        self.constraint = constraint
    }
}

/// One weight described by a layer's config: the single declaration its `<key>_…` config keys are read from and
/// written back from.
public struct ConfiguredWeight: Sendable {
    /// The key prefix (`kernel`, `bias`, `gamma`, `embeddings`, `moving_mean` …).
    public let key: String
    /// Keras's default initializer for it.
    public let defaultInitializer: Initializer
    /// Whether Keras's layer takes a regularizer and a constraint for it (moving statistics take neither).
    public let regularizable: Bool

    /// A weight whose config keys start with `key`.
    public init(_ key: String, _ defaultInitializer: Initializer, regularizable: Bool = true) {
        self.key = key
        self.defaultInitializer = defaultInitializer
        self.regularizable = regularizable
    }
}

extension ConfigReader {
    /// Each weight's options from its `<key>_initializer`, `<key>_regularizer`, `<key>_constraint` keys.
    func weightOptions(_ weights: [ConfiguredWeight]) -> [String: WeightOptions] {
        var out: [String: WeightOptions] = [:]
        for w in weights {
            var options = WeightOptions(value("\(w.key)_initializer", default: w.defaultInitializer))
            if w.regularizable {
                options.regularizer = optional("\(w.key)_regularizer")
                options.constraint = optional("\(w.key)_constraint")
            }
            out[w.key] = options
        }
        return out
    }

    /// Reports each of `keys` that is set (not null): options this package does not implement.
    func refuseSetKeys(_ keys: [String]) {
        for key in keys where object[key].map({ $0 != .null }) == true {
            report("'\(key)' is not supported yet (found \(object[key]!.brief))")
        }
    }
}

extension JSONObject {
    /// Writes the weights' keys in Keras's `get_config` order: every initializer, then every regularizer, then (for
    /// layers whose `get_config` names it) `activity_regularizer`, then every constraint; unset ones are `null`.
    mutating func appendWeightOptions(_ weights: [ConfiguredWeight], _ options: [String: WeightOptions],
                                      activityRegularizer: Regularizer?? = .none) {
        for w in weights {
            self["\(w.key)_initializer"] = (options[w.key]?.initializer ?? w.defaultInitializer).serialized
        }
        let regularizable = weights.filter(\.regularizable)
        for w in regularizable { self["\(w.key)_regularizer"] = options[w.key]?.regularizer?.serialized ?? .null }
        if case .some(let activity) = activityRegularizer { self["activity_regularizer"] = activity?.serialized ?? .null }
        for w in regularizable { self["\(w.key)_constraint"] = options[w.key]?.constraint?.serialized ?? .null }
    }

    /// Sets each of `keys` to `null` (Keras's keys for options this package refuses when set).
    mutating func setNull(_ keys: [String]) {
        for key in keys { self[key] = .null }
    }
}
