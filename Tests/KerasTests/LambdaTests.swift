import Foundation
import Testing
@testable import Keras

/// `Fixtures/lambda/lambdas.keras` (real Keras): an anonymous lambda named `squared`, a `def double_it` function,
/// a lambda with `arguments={"k": 3.0}` and a lambda on a list of two tensors. Swift runs none of the stored Python
/// code: each layer runs the Swift function registered for it.
struct LambdaTests {
    static var registry: LayerRegistry {
        var registry = LayerRegistry.builtins
        registry.registerLambda("squared") { inputs, _ in inputs[0].squared() }
        registry.registerLambda("double_it") { inputs, _ in inputs[0] * 2 }                 // by the Python function's name
        registry.registerLambda("plus_k") { inputs, arguments in inputs[0] + Float(arguments["k"]?.doubleValue ?? 0) }
        registry.registerLambda("product") { inputs, _ in inputs[0] * inputs[1] }
        return registry
    }

    @Test func registeredSwiftFunctionsReproduceKerasOutputs() throws {
        let model = try Model.load(from: fixture("lambda/lambdas.keras"), registry: Self.registry)
        let x = try NPY.read(path: fixture("lambda/lambdas.input.npy")).tensor()
        expectAllClose(try model.predict(x), try NPY.read(path: fixture("lambda/lambdas.output.npy")).tensor(), "Lambda layers")
    }

    @Test func predictRunsAModelWithLambdasOneBatchAtATime() throws {
        // A Swift body may keep state, so batches do not run side by side (the seed model's do: SeedModelTests).
        let model = try Model.load(from: fixture("lambda/lambdas.keras"), registry: Self.registry)
        #expect(!model.inferenceRunsConcurrently)
        // So does a model with a layer defined outside this package, unless the layer says otherwise.
        #expect(!(try Sequential([Input(shape: [3]), NormalizationLayerTests.CounterThenScale()])).inferenceRunsConcurrently)
        let x = try NPY.read(path: fixture("lambda/lambdas.input.npy")).tensor()
        expectAllClose(try model.predict(x, batchSize: 2), try NPY.read(path: fixture("lambda/lambdas.output.npy")).tensor(),
                       "Lambda layers, four batches")
    }

    @Test func withoutRegistrationsTheErrorNamesEachLambdaAndHowToProvideIt() throws {
        let error = try #require(throws: ModelLoadError.self) { try Model.load(from: fixture("lambda/lambdas.keras")) }
        #expect(error.issues.count == 4)
        #expect(error.description.contains("layer 'squared' (Lambda) runs a Python lambda, which is never executed here: register a Swift function with registry.registerLambda(\"squared\")"))
        #expect(error.description.contains("runs the Python function 'double_it'"))
        #expect(!error.description.contains("\n"))
    }

    @Test func aModelWithLambdasTrainsAndSavesItsConfigUnchanged() throws {
        let model = try Model.load(from: fixture("lambda/lambdas.keras"), registry: Self.registry)
        model.compile(optimizer: SGD(learningRate: 0.01), loss: Loss(.meanSquaredError))
        let x = try NPY.read(path: fixture("lambda/lambdas.input.npy")).tensor()
        let before = model.allWeights[0].value.scalars
        _ = try model.fit(x: x, y: Tensor.zeros([8, 2]), batchSize: 4, epochs: 1)
        #expect(model.allWeights[0].value.scalars != before, "gradients flow through the Swift bodies")
        let saved = try JSON.parse(Array(try model.serializedModel().serialized().utf8))
        let original = try JSON.parse(try KerasArchive(path: fixture("lambda/lambdas.keras")).configBytes)
        let functions = { (json: JSON) in json["config"]?["layers"]?.arrayValue?.map { $0["config"]?["function"] } }
        #expect(functions(saved) == functions(original))
    }
}
