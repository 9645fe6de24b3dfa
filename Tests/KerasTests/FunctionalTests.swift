import Foundation
import Testing
@testable import Keras

/// Functional models from real Keras (`Fixtures/functional`, made by `tools/make_functional_fixtures.py`): residual
/// blocks, several inputs and outputs, shared layers, every merge layer, a nested Sequential, branches of different
/// depths.
struct FunctionalFixtureTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let inputs: Int
        let outputs: Int
        let layers: [String]
        let pins: String
        var testDescription: String { name }
    }

    static let cases = FixtureCases<Case> {
        try FixtureCases.manifest("functional/manifest.json")
    }

    static let trainingCases = FixtureCases<String> { try FixtureCases.names(in: "functional/training") }

    static func arrays(_ c: Case, _ kind: String, _ count: Int) throws -> [Tensor] {
        try (0..<count).map { try NPY.read(path: fixture("functional/\(c.name).\(kind)_\($0).npy")).tensor() }
    }

    @Test func manifestListsTheFixtures() throws {
        try Self.cases.expectFound(atLeast: 7, "Fixtures/functional/manifest.json")
        try Self.trainingCases.expectFound(atLeast: 4, "Fixtures/functional/training")
    }

    @Test("Swift predicts Keras's outputs, with Keras's layer order", arguments: cases.all)
    func predictsLikeKeras(_ c: Case) throws {
        let model = try Model.load(from: fixture("functional/\(c.name).keras"))
        #expect(model.layers.map(\.name) == c.layers, "\(c.name): model.layers order")
        let outputs = try model.predict(try Self.arrays(c, "input", c.inputs))
        let expected = try Self.arrays(c, "output", c.outputs)
        #expect(outputs.count == expected.count)
        for (j, (got, want)) in zip(outputs, expected).enumerated() { expectAllClose(got, want, "\(c.name) output \(j) (\(c.pins))") }
    }

    @Test("summary prints Keras's table (\"Connected to\" for graphs, wrapped and cut cells)", arguments: cases.all)
    func summaryMatchesKeras(_ c: Case) throws {
        let model = try Model.load(from: fixture("functional/\(c.name).keras"))
        #expect(model.summary() == kerasSummary("functional/\(c.name).summary.txt"))
    }

    @Test("a saved Functional model reloads with the same config, weights and outputs", arguments: cases.all)
    func saveRoundTrip(_ c: Case) throws {
        let model = try Model.load(from: fixture("functional/\(c.name).keras"))
        let bytes = try model.kerasFileBytes()
        let folder = try BrokenFiles()
        defer { folder.remove() }
        let path = try folder.write("\(c.name).keras", bytes)
        let reloaded = try Model.load(from: path)
        #expect(reloaded.layers.map(\.name) == c.layers)
        let original = try KerasArchive(path: fixture("functional/\(c.name).keras"))
        let saved = try KerasArchive(path: path)
        let (a, b) = (try JSON.parse(original.configBytes), try JSON.parse(saved.configBytes))
        #expect(a["config"]?["input_layers"] == b["config"]?["input_layers"])
        #expect(a["config"]?["output_layers"] == b["config"]?["output_layers"])
        let inbound = { (json: JSON) in json["config"]?["layers"]?.arrayValue?.map { $0["inbound_nodes"] } }
        #expect(inbound(a) == inbound(b), "\(c.name): inbound_nodes written as Keras wrote them")
        let outputs = try reloaded.predict(try Self.arrays(c, "input", c.inputs))
        for (j, (got, want)) in zip(outputs, try Self.arrays(c, "output", c.outputs)).enumerated() {
            expectAllClose(got, want, "\(c.name) reloaded output \(j)")
        }
    }

    @Test("three optimizer steps reach Keras's weights and slots", arguments: trainingCases.all)
    func threeStepsMatchKeras(_ name: String) throws {
        try expectThreeStepsMatchKeras(fixture("functional/training/\(name)"), name)
    }
}

/// Building Functional models in Swift, as in Keras's Functional API.
struct FunctionalAPITests {
    @Test func aSwiftBuiltGraphMatchesTheSameGraphFromKeras() throws {
        let keras = try Model.load(from: fixture("functional/diamond.keras"))
        let input = Input(shape: [5])
        let long = try Dense(5, name: "long_c")(try Dense(5, name: "long_b")(try Dense(5, name: "long_a")(input)))
        let short = try Dense(5, name: "short")(input)
        let mid = try Dense(5, name: "mid_b")(try Dense(5, name: "mid_a")(input))
        let model = try Functional(inputs: input, outputs: try Add()([short, long, mid]))
        #expect(model.layers.map(\.name).dropFirst().dropLast() == keras.layers.map(\.name).dropFirst().dropLast())
        for (mine, theirs) in zip(model.allWeights, keras.allWeights) { try mine.assign(theirs.value) }
        let x = try NPY.read(path: fixture("functional/diamond.input_0.npy")).tensor()
        expectAllClose(try model.predict(x), try NPY.read(path: fixture("functional/diamond.output_0.npy")).tensor(), "Swift-built diamond")
    }

    @Test func theReadmeExampleBuildsTrainsAndPredicts() throws {
        let tokens = Input(shape: [20], name: "tokens"), features = Input(shape: [8], name: "features")
        let text = try GlobalAveragePooling1D()(try Embedding(inputDim: 1000, outputDim: 16)(tokens))
        let hidden = try Dense(16, activation: .relu)(features)
        let joined = try Concatenate()([text, hidden])
        let model2 = try Functional(inputs: [tokens, features], outputs: [try Dense(3)(joined)])
        let tokenIds = Tensor(shape: [4, 20], scalars: (0..<80).map { Float($0 * 7 % 1000) })
        let featureRows = Tensor(repeating: 0.5, shape: [4, 8])
        let scores = try model2.predict([tokenIds, featureRows])[0]
        #expect(scores.shape == [4, 3])
        #expect(model2.layers.map(\.name) == ["tokens", "embedding", "features", "global_average_pooling1d", "dense", "concatenate", "dense_1"])
        model2.compile(optimizer: Adam(), loss: .sparseCategoricalCrossentropy(fromLogits: true), metrics: [Metric(.accuracy)])
        let history = try model2.fit(x: [tokenIds, featureRows], y: [Tensor(shape: [4], scalars: [0, 1, 2, 1])], batchSize: 2, epochs: 2)
        #expect(history["loss"].count == 2)
        #expect(throws: ShapeError.self) { try model2.predict([Tensor(repeating: 1000, shape: [1, 20]), Tensor.zeros([1, 8])]) }
    }

    @Test func aModelWithNamedOutputsTrainsWithALossAndMetricsPerOutputAndKeepsThemWhenSaved() throws {
        let input = Input(shape: [3])
        let hidden = try Dense(4, activation: .tanh)(input)
        let model = try Functional(inputs: [input], outputs: ["score": try Dense(1, name: "score")(hidden),
                                                              "label": try Dense(1, activation: .sigmoid, name: "label")(hidden)])
        #expect(model.outputNames == ["label", "score"])
        try model.compile(optimizer: Adam(), losses: [.binaryCrossentropy(), .meanSquaredError], lossWeights: [2, 0.5],
                      metrics: [[Metric(.accuracy)], [Metric(.meanAbsoluteError, name: "mae")]])
        let x = Tensor(shape: [4, 3], scalars: (0..<12).map { Float($0) / 12 })
        let history = try model.fit(x: [x], y: [Tensor(shape: [4, 1], scalars: [0, 1, 1, 0]), Tensor.ones([4, 1])], batchSize: 2)
        #expect(history.names == ["loss", "label_loss", "score_loss", "label_accuracy", "score_mae"])
        let total = history["loss"][0], parts = (history["label_loss"][0], history["score_loss"][0])
        #expect(total > 0 && parts.0 > 0 && parts.1 > 0)
        let files = try BrokenFiles()
        defer { files.remove() }
        let reloaded = try Model.load(from: try files.write("named.keras", try model.kerasFileBytes()))
        #expect(reloaded.outputNames == ["label", "score"])
        #expect(reloaded.outputLosses.map(\.kind) == [.binaryCrossentropy, .meanSquaredError])
        #expect(reloaded.lossWeights == [2, 0.5])
        #expect(reloaded.outputMetrics.map { $0.map(\.name) } == [["accuracy"], ["mae"]])
    }

    @Test func freezingANestedModelFreezesItsLayersAsInKeras() throws {
        let model = try Model.load(from: fixture("functional/nested_sequential.keras"))
        let inner = try #require(model.layers.first { $0 is Sequential } as? Sequential)
        let before = model.trainableVariables.count
        inner.trainable = false
        #expect(inner.layers.allSatisfy { !$0.trainable })
        #expect(model.trainableVariables.count == before - inner.allWeights.count)
        model.compile(optimizer: SGD(learningRate: 0.1), loss: .meanSquaredError)
        let frozen = inner.allWeights.map(\.value.scalars)
        let x = try NPY.read(path: fixture("functional/nested_sequential.input_0.npy")).tensor()
        _ = try model.fit(x: x, y: Tensor.zeros([x.shape[0], 2]), batchSize: 4)
        #expect(inner.allWeights.map(\.value.scalars) == frozen)
        inner.trainable = true
        #expect(model.trainableVariables.count == before)
    }

    @Test func aSharedLayerOwnsOneSetOfWeights() throws {
        let a = Input(shape: [3]), b = Input(shape: [3])
        let shared = Dense(2)
        let model = try Functional(inputs: [a, b], outputs: [try Subtract()([try shared(a), try shared(b)])])
        #expect(model.allWeights.count == 2)
        let x = Tensor(shape: [1, 3], scalars: [1, 2, 3])
        #expect(try model.predict([x, x])[0].scalars.allSatisfy { $0 == 0 })
    }

    @Test func mismatchedShapesAndWrongInputCountsAreErrors() throws {
        let a = Input(shape: [3]), b = Input(shape: [4])
        #expect(throws: ShapeError.self) { try Add()([a, b]) }
        #expect(throws: ShapeError.self) { try Subtract()([a, a, a]) }
        let model = try Functional(inputs: [a, b], outputs: [try Concatenate()([a, b])])
        #expect(throws: ShapeError.self) { try model.predict([Tensor.zeros([2, 3])]) }
        #expect(throws: ShapeError.self) { try model.predict([Tensor.zeros([2, 3]), Tensor.zeros([3, 4])]) }
        #expect(try model.predict([Tensor.zeros([2, 3]), Tensor.ones([2, 4])])[0].shape == [2, 7])
    }
}
