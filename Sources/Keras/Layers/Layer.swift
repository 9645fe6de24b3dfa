import TensorEngine

/// The base class of every layer, mirroring `keras.layers.Layer`.
///
/// A layer is created either in Swift (`Dense(256, activation: .relu)`) or from its Keras config
/// (`init(from:)`), creates its weights in `build(inputShape:)` in the order Keras creates them (that order is the
/// `vars/0, vars/1 …` order of the weights file), and computes `call(_:training:)` with tensor ops. Gradients
/// come from autodiff, so a layer writes only its forward pass.
///
/// Shapes given to layers are per-sample shapes: the batch axis is left out (`[784]` for Keras's `(None, 784)`).
open class Layer {
    /// The layer's name (`dense_1`). Models give unnamed layers a unique name when they are added.
    public internal(set) var name: String
    /// Whether the optimizer updates this layer's weights (Keras's `layer.trainable`).
    open var trainable: Bool {
        didSet {
            for (w, declared) in zip(weights, declaredTrainable) { w.trainable = trainable && declared }
            for (_, sublayer) in sublayers { sublayer.trainable = trainable }
        }
    }
    /// The weights this layer owns in Keras's saving order (the `vars/0, vars/1 …` order): those created
    /// trainable first, then those created non-trainable (moving statistics), each group in creation order —
    /// Keras's `_trainable_variables + _non_trainable_variables`.
    public private(set) var weights: [Variable] = []
    /// Whether each weight was created trainable (moving statistics are not), whatever `trainable` says now.
    private var declaredTrainable: [Bool] = []
    /// The per-sample input shapes the layer was built for, once built (one for most layers, several for merge
    /// layers such as `Add`).
    public private(set) var builtInputShapes: [[Int]]?
    /// The per-sample input shape of a single-input layer, once built.
    public var builtInputShape: [Int]? { builtInputShapes.flatMap { $0.count == 1 ? $0[0] : nil } }
    /// The config object this layer was loaded from, kept so that keys this package does not model are written
    /// back unchanged.
    public internal(set) var loadedConfig: JSONObject?
    /// The random generator used by `addWeight` initializers and by stochastic layers such as Dropout.
    public var rng = makeLayerRandomGenerator()
    /// Each configured weight's initializer, regularizer and constraint, by its key (`kernel`, `bias` …; see
    /// `configuredWeights`).
    public var weightOptions: [String: WeightOptions] = [:]
    /// Keras's `activity_regularizer`: a penalty on the layer's outputs, divided by the batch size, added to the
    /// loss of each training (and evaluation) step.
    public var activityRegularizer: Regularizer?
    /// The regularizer of each weight created with one (keyed by the variable).
    public private(set) var weightRegularizers: [ObjectIdentifier: Regularizer] = [:]
    /// The constraint of each weight created with one (keyed by the variable).
    public private(set) var weightConstraints: [ObjectIdentifier: Constraint] = [:]

    /// The weights whose `<key>_initializer`, `<key>_regularizer`, `<key>_constraint` config keys this layer
    /// reads and writes (`weightOptions`). The default has none.
    open class var configuredWeights: [ConfiguredWeight] { [] }

    /// The Keras class name this layer is registered and saved under. Defaults to the Swift class name.
    open class var kerasClassName: String { String(describing: self) }

    /// The `module` written for this layer: `keras.layers` for Keras's own layers, `nil` (like a class defined
    /// in Python's `__main__`) for custom ones.
    open class var kerasModule: String? { "keras.layers" }

    /// The `registered_name` written for this layer: `nil` for Keras's own layers, the class name for custom ones
    /// (what Python resolves through `custom_objects`).
    open class var registeredName: String? { nil }

    /// Whether Keras writes a `build_config` for this layer (layers built at construction, such as Dropout, have none).
    open class var hasBuildConfig: Bool { true }

    /// The whole object dict this layer was loaded from (`module`, `class_name`, `registered_name` …).
    public internal(set) var loadedEntry: JSONObject?

    /// Creates a layer; `name` defaults to a unique name given by the model.
    public init(name: String? = nil, trainable: Bool = true) {
        self.name = name ?? ""
        self.trainable = trainable
    }

    /// Creates a layer from its Keras config. Subclasses read their own keys, then call `super.init(from:)`,
    /// which reads the base keys `name` and `trainable` (`dtype` is kept as loaded).
    public required init(from config: ConfigReader) throws {
        self.name = config.value("name", default: "")
        self.trainable = config.value("trainable", default: true)
        self.loadedConfig = config.object
        self.weightOptions = config.weightOptions(Self.configuredWeights)
        self.activityRegularizer = config.optional("activity_regularizer")
    }

    /// The options of the configured weight `key` (its defaults when none were given).
    public func options(for key: String) -> WeightOptions {
        weightOptions[key] ?? WeightOptions(Self.configuredWeights.first { $0.key == key }?.defaultInitializer ?? .zeros)
    }

    /// Creates the layer's weights for inputs of `inputShape` (per sample). The default has no weights.
    open func build(inputShape: [Int]) throws {}

    /// Creates the layer's weights for several inputs (merge layers override it). The default accepts exactly one
    /// input and calls `build(inputShape:)`.
    open func build(inputShapes: [[Int]]) throws {
        try build(inputShape: try single(inputShapes))
    }

    /// The layer's forward computation. Subclasses override it.
    open func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        throw ShapeError("layer '\(name)' (\(Self.kerasClassName)) does not implement call(_:training:)")
    }

    /// The forward computation on several inputs (Keras's `layer([a, b])`): merge layers override it. The default
    /// accepts exactly one input and calls `call(_:training:)`.
    open func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
        try call(try single(inputs), training: training)
    }

    /// The per-sample output shape for several inputs. The default accepts exactly one.
    open func outputShape(forInputShapes inputShapes: [[Int]]) throws -> [Int] {
        try outputShape(forInputShape: try single(inputShapes))
    }

    /// Whether the layer takes a list of inputs (merge layers) rather than one tensor; Keras then records its call
    /// arguments as one list.
    open class var takesInputList: Bool { false }

    private func single<T>(_ values: [T]) throws -> T {
        guard values.count == 1, let first = values.first else {
            throw ShapeError("\(displayName) takes one input, got \(values.count)")
        }
        return first
    }

    /// The per-sample output shape for `inputShape`. The default runs `call` on one sample of zeros, which is
    /// right for any layer; layers override it when the shape is cheap to compute or needs checking.
    open func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        _ = try Shape.checkedElementCount(inputShape, "\(displayName) input")
        let probe = Tensor.zeros([1] + inputShape)
        return Array(try call(probe, training: false).shape.dropFirst())
    }

    /// The layer's whole `config` object as saved (see `Layer+Serialization.swift`).
    open func serializedConfig() -> JSONObject { defaultSerializedConfig() }

    /// The keys of this layer's config beyond the base ones (Keras's `get_config()` minus `name`, `trainable`,
    /// `dtype`), in Keras's order. Used when saving.
    open func config() -> JSONObject { JSONObject() }

    /// Builds the layer for `inputShape` if it is not built yet, then checks the shape it was built for.
    public final func buildIfNeeded(inputShape: [Int]) throws {
        try buildIfNeeded(inputShapes: [inputShape])
    }

    /// Builds the layer for `inputShapes` if it is not built yet, then checks the shapes it was built for.
    public final func buildIfNeeded(inputShapes: [[Int]]) throws {
        if let built = builtInputShapes {
            guard built == inputShapes else {
                let describe = { (shapes: [[Int]]) in shapes.map(Shape.describeBatched).joined(separator: ", ") }
                throw ShapeError("layer '\(name)' was built for inputs of shape \(describe(built)), got \(describe(inputShapes))")
            }
            return
        }
        for shape in inputShapes { _ = try Shape.checkedElementCount(shape, "\(displayName) input") }
        if inputShapes.count == 1 && !Self.takesInputList { try build(inputShape: inputShapes[0]) } else { try build(inputShapes: inputShapes) }
        builtInputShapes = inputShapes
    }

    /// Runs the layer on a batch, building it first if needed (Keras's `layer(x)`).
    public final func callAsFunction(_ inputs: Tensor, training: Bool = false) throws -> Tensor {
        let floatMode = FloatMode.flushingSubnormals()
        defer { floatMode.restore() }
        try buildIfNeeded(inputShape: Array(inputs.shape.dropFirst()))
        return recordActivityLoss(try call(inputs, training: training))
    }

    /// Runs the layer on several batches (Keras's `layer([a, b])`), building it first if needed.
    public final func callAsFunction(_ inputs: [Tensor], training: Bool = false) throws -> Tensor {
        let floatMode = FloatMode.flushingSubnormals()
        defer { floatMode.restore() }
        try buildIfNeeded(inputShapes: inputs.map { Array($0.shape.dropFirst()) })
        return recordActivityLoss(inputs.count == 1 && !Self.takesInputList ? try call(inputs[0], training: training) : try call(inputs, training: training))
    }

    /// Adds the activity regularizer's penalty on `outputs`, divided by the batch size, to the losses being
    /// collected (Keras's `Layer.__call__`), and returns `outputs`.
    func recordActivityLoss(_ outputs: Tensor) -> Tensor {
        if let activityRegularizer, let collector = AddedLosses.current {
            let batch = outputs.rank > 0 ? outputs.shape[0] : 1
            collector.losses.append(batch > 0 ? activityRegularizer(outputs) / Float(batch) : Tensor(0))
        }
        return outputs
    }

    /// Set while `Model.load` rebuilds a model whose weights its file provides: what the file holds, which every
    /// weight created is checked against before it is allocated.
    @TaskLocal static var weightsFromFile: WeightBudget?

    /// Creates a weight owned by this layer (Keras's `add_weight`), drawing its value from `initializer`.
    @discardableResult
    public func addWeight(name: String, shape: [Int], initializer: Initializer, trainable: Bool = true) throws -> Variable {
        _ = try Shape.checkedElementCount(shape, "\(displayName) weight '\(name)'")
        // A model being loaded gets every weight from its file (the loader refuses a file that lacks one): zeros
        // stand in instead of random draws, which cost more than the rest of loading a large model, and only
        // while the file could still fill them.
        let initial: Tensor
        if let budget = Layer.weightsFromFile {
            try budget.spend(shape, for: "\(displayName) weight '\(name)'")
            initial = Tensor.zeros(shape)
        } else {
            initial = try initializer(shape, rng: &rng)
        }
        let variable = Variable(initial, name: name, trainable: trainable && self.trainable)
        // Keras keeps trainable and non-trainable variables in two lists and saves them in that order, so a
        // trainable weight created after a non-trainable one still comes first.
        let position = trainable ? declaredTrainable.count(where: { $0 }) : weights.count
        weights.insert(variable, at: position)
        declaredTrainable.insert(trainable, at: position)
        return variable
    }

    /// Creates the configured weight `key` with its options (initializer, regularizer, constraint).
    @discardableResult
    public func addWeight(name: String, shape: [Int], options: WeightOptions, trainable: Bool = true) throws -> Variable {
        try options.constraint?.check(shape: shape, "\(displayName) weight '\(name)'")
        let variable = try addWeight(name: name, shape: shape, initializer: options.initializer, trainable: trainable)
        weightRegularizers[ObjectIdentifier(variable)] = options.regularizer
        weightConstraints[ObjectIdentifier(variable)] = options.constraint
        return variable
    }

    /// The weights the optimizer updates.
    public var trainableWeights: [Variable] { weightsIncludingSublayers.filter(\.trainable) }

    /// The weights the optimizer leaves alone (frozen layers, moving statistics).
    public var nonTrainableWeights: [Variable] { weightsIncludingSublayers.filter { !$0.trainable } }

    /// The number of scalars in all weights, those of sublayers included.
    public var parameterCount: Int { weightsIncludingSublayers.reduce(0) { $0 + $1.shape.elementCount } }

    /// The layers this layer is made of, each with the name Keras saves its weights under (`cell` for a recurrent
    /// layer's cell, `forward_layer` / `backward_layer` for Bidirectional): their weights live at
    /// `<this layer's path>/<name>/vars`.
    open var sublayers: [(name: String, layer: Layer)] { [] }

    /// Whether `call(_:training: false)` may run on several threads at once — it reads the layer's state and writes
    /// none — so that `predict` and `evaluate` can run batches side by side. True for this package's layers except
    /// `Lambda` (a Swift body may keep state); false for a layer defined elsewhere, which runs batches one at a time
    /// unless it overrides this to return true.
    open class var runsConcurrentlyInInference: Bool { String(reflecting: self).hasPrefix("Keras.") }

    /// Whether this layer and every layer inside it (sublayers, a nested model's layers) may run inference on
    /// several threads at once (`runsConcurrentlyInInference`).
    var inferenceRunsConcurrently: Bool {
        let inside = sublayers.map(\.layer) + ((self as? Model)?.layers ?? [])
        return Self.runsConcurrentlyInInference && inside.allSatisfy(\.inferenceRunsConcurrently)
    }

    /// This layer's weights followed by those of its sublayers, in Keras's `layer.weights` order.
    public var weightsIncludingSublayers: [Variable] { weights + sublayers.flatMap(\.layer.weightsIncludingSublayers) }

    // MARK: Masks (Keras's `supports_masking`, `compute_mask`, the `mask` call argument)

    /// Whether the layer passes a mask on (Keras's `supports_masking`): when false, a mask given to the layer is
    /// dropped, as Keras drops it.
    open var supportsMasking: Bool { false }

    /// The mask of the layer's output for `inputs` whose mask is `previousMask` (Keras's `compute_mask`): a tensor of
    /// 1 (keep) and 0 (masked), shaped like the inputs' leading axes (`[batch, time]`). The default passes the mask
    /// on when `supportsMasking`.
    open func computeMask(_ inputs: Tensor, previousMask: Tensor?) throws -> Tensor? {
        supportsMasking ? previousMask : nil
    }

    /// The forward computation given the inputs' mask (Keras's `call(inputs, mask=…)`). Layers that use the mask
    /// (recurrent layers, masked pooling) override it; the default ignores it.
    open func call(_ inputs: Tensor, mask: Tensor?, training: Bool) throws -> Tensor {
        try call(inputs, training: training)
    }

    /// Runs the layer on a batch with its mask, building it first if needed (Keras's `layer(x, mask=m)`).
    public final func callAsFunction(_ inputs: Tensor, mask: Tensor?, training: Bool = false) throws -> Tensor {
        try buildIfNeeded(inputShape: Array(inputs.shape.dropFirst()))
        return recordActivityLoss(mask == nil ? try call(inputs, training: training) : try call(inputs, mask: mask, training: training))
    }
}

extension Layer {
    /// Gives each unnamed layer of `layers` a Keras-style name unique among them: its snake-case class name, then
    /// `_1`, `_2`, … (`dense`, `dense_1`).
    static func assignUniqueNames(_ layers: [Layer]) {
        var used = Set(layers.map(\.name).filter { !$0.isEmpty })
        for layer in layers where layer.name.isEmpty {
            let base = snakeCase(type(of: layer).kerasClassName)
            var candidate = base
            var k = 1
            while used.contains(candidate) { candidate = "\(base)_\(k)"; k += 1 }
            layer.name = candidate
            used.insert(candidate)
        }
    }

    /// `layer 'dense_1' (Dense)`, for messages.
    public var displayName: String { "layer '\(name)' (\(type(of: self).kerasClassName))" }
}
