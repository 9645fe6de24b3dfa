import TensorEngine

/// The Swift body of a Keras `Lambda` layer: the layer's inputs (one tensor, or the list it was called on) and the
/// `arguments` dict from its config, to the output.
public typealias LambdaFunction = @Sendable (_ inputs: [Tensor], _ arguments: JSONObject) throws -> Tensor

/// Keras's `Lambda`: a layer whose computation is a function. A file stores that function as Python bytecode,
/// which is never executed here; instead a Swift function is registered under the layer's name or the Python
/// function's name, and the model then loads, runs and trains (gradients come from the tensor ops it uses):
///
/// ```swift
/// var registry = LayerRegistry.builtins
/// registry.registerLambda("squared") { inputs, _ in inputs[0].squared() }
/// let model = try Model.load(from: "with_lambda.keras", registry: registry)
/// ```
public final class Lambda: Layer {
    /// The Swift function, once provided.
    public internal(set) var function: LambdaFunction?
    /// The Python function's name when the file names one (`def double_it(x)`), nil for an anonymous lambda.
    public let functionName: String?
    /// The config's `arguments`, passed to the function.
    public let arguments: JSONObject

    /// False: the Swift function may keep state, so `predict` runs a model with a Lambda layer one batch at a time.
    public override class var runsConcurrentlyInInference: Bool { false }

    /// A Lambda layer running `function` (a model saved from Swift names it by the layer's name, so Python loads
    /// it with a function of that name in `custom_objects`).
    public init(name: String, arguments: JSONObject = [:], _ function: @escaping LambdaFunction) {
        self.function = function
        self.functionName = name
        self.arguments = arguments
        super.init(name: name)
    }

    /// A Lambda layer on one tensor.
    public convenience init(name: String, _ function: @escaping @Sendable (Tensor) throws -> Tensor) {
        self.init(name: name) { inputs, _ in try function(inputs[0]) }
    }

    public required init(from config: ConfigReader) throws {
        let function = config.object["function"]?.objectValue
        functionName = function?["class_name"]?.stringValue == "function" ? function?["config"]?.stringValue : nil
        arguments = config.object["arguments"]?.objectValue ?? [:]
        try super.init(from: config)
    }

    /// The names a registered Swift function is looked up by: the layer's name, then the Python function's name.
    var lookupNames: [String] { [name] + (functionName.map { [$0] } ?? []) }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        try call([inputs], training: training)
    }

    public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
        guard let function else {
            throw ConfigError("\(displayName) has no Swift function: register one with registry.registerLambda(\"\(name)\") { inputs, arguments in … }")
        }
        return try function(inputs, arguments)
    }

    /// A Lambda has no weights, whatever it is called on.
    public override func build(inputShapes: [[Int]]) throws {}

    /// The shape of the function's output on one sample of zeros.
    public override func outputShape(forInputShapes inputShapes: [[Int]]) throws -> [Int] {
        for shape in inputShapes { _ = try Shape.checkedElementCount(shape, "\(displayName) input") }
        return Array(try call(inputShapes.map { Tensor.zeros([1] + $0) }, training: false).shape.dropFirst())
    }

    public override func config() -> JSONObject {
        let function: JSON = .object(["module": .string("builtins"), "class_name": .string("function"),
                                      "config": .string(functionName ?? name), "registered_name": .string("function")])
        return ["function": function, "arguments": .object(arguments)]
    }
}

extension LayerRegistry {
    /// Registers the Swift body of the `Lambda` layers named `name` (the layer's name, or the Python function's name
    /// for a `def` function). A layer's own name wins over a function name.
    public mutating func registerLambda(_ name: String, _ function: @escaping LambdaFunction) {
        lambdas[name] = function
    }

    /// The Swift function registered for `layer`, if any.
    func lambdaFunction(for layer: Lambda) -> LambdaFunction? {
        layer.lookupNames.lazy.compactMap { lambdas[$0] }.first
    }
}
