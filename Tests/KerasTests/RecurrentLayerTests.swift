import Foundation
import Testing
@testable import Keras

/// Recurrent layers and wrappers built in Swift: their configs carry Keras's keys, they train, save and reload;
/// dropout acts in training only; options Keras saves but this package does not run are refused by name. (Their
/// numbers against Keras are pinned by the `Fixtures/layers/rnn` and `Fixtures/layer_training/rnn_*` cases.)
struct RecurrentLayerTests {
    /// Every new layer, built in Swift.
    static func swiftBuiltModel() throws -> Sequential {
        try Sequential([Input(shape: [5, 3]), Masking(), Bidirectional(LSTM(4, returnSequences: true)),
                        TimeDistributed(Dense(3)), GRU(3, resetAfter: false, returnSequences: true),
                        Bidirectional(SimpleRNN(2, returnSequences: true), mergeMode: .sum), GRU(3), Dense(2)])
    }

    @Test("a Swift-built layer writes the config keys Keras writes for the same class")
    func configsHaveKerassKeys() throws {
        let model = try Self.swiftBuiltModel()
        let keras = try Model.load(from: fixture("layers/rnn/masking_bidirectional_stack.keras"))
        let gru = try Model.load(from: fixture("layers/rnn/gru_reset_before.keras"))
        let simple = try Model.load(from: fixture("layers/rnn/simple_rnn_last.keras"))
        let td = try Model.load(from: fixture("layers/rnn/time_distributed_dense.keras"))
        let pairs: [(Layer, Layer)] = [(model.layers[0], keras.layers[0]), (model.layers[1], keras.layers[1]),
                                       (model.layers[2], td.layers[0]), (model.layers[3], gru.layers[0]), (model.layers[5], gru.layers[0])]
        for (mine, theirs) in pairs {
            #expect(Set(mine.serializedConfig().keys) == Set(theirs.loadedConfig?.keys ?? []), "\(mine.displayName)")
        }
        let lstm = try #require(model.layers[1] as? Bidirectional).forwardLayer
        let kerasLSTM = try #require(keras.layers[1] as? Bidirectional).forwardLayer
        #expect(Set(lstm.serializedConfig().keys) == Set(kerasLSTM.loadedConfig?.keys ?? []))
        let rnn = try #require(model.layers[4] as? Bidirectional).forwardLayer
        #expect(Set(rnn.serializedConfig().keys) == Set(simple.layers[0].loadedConfig?.keys ?? []))
    }

    @Test("a Swift-built sequence model trains, saves and reloads with the same predictions and weight paths")
    func swiftBuiltModelTrainsSavesAndReloads() throws {
        let model = try Self.swiftBuiltModel()
        model.compile(optimizer: Adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy(fromLogits: true))
        var x = Tensor(shape: [16, 5, 3], scalars: (0..<240).map { Float(($0 * 37) % 11) / 5 - 1 })
        x = x * Tensor(shape: [16, 5, 1], scalars: (0..<80).map { $0 % 7 == 3 ? 0 : 1 })   // some masked steps
        let y = Tensor(shape: [16], scalars: (0..<16).map { Float($0 % 2) })
        let history = try model.fit(x: x, y: y, batchSize: 8, epochs: 5, shuffle: false)
        let losses = history["loss"]
        #expect(losses.count == 5 && losses[4] < losses[0], "loss \(losses)")
        let path = ProcessInfo.processInfo.environment["RNN_SWIFT_SAVED_PATH"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("rnn-\(UUID().uuidString).keras").path
        try model.save(to: path)
        let reloaded = try Model.load(from: path)
        expectAllClose(try reloaded.predict(x), try model.predict(x), rtol: 0, atol: 0, "reloaded predictions")
        #expect(reloaded.allWeights.count == model.allWeights.count)
        let paths = WeightPaths.layerVarsPaths(for: model).filter { !$0.layer.weights.isEmpty }.map(\.path)
        #expect(paths.contains("layers/bidirectional/forward_layer/cell/vars"))
        #expect(paths.contains("layers/bidirectional/backward_layer/cell/vars"))
        #expect(paths.contains("layers/time_distributed/layer/vars"))
        #expect(paths.contains("layers/gru_1/cell/vars"))
    }

    @Test("dropout and recurrent dropout act in training only")
    func dropoutActsInTrainingOnly() throws {
        for layer in [LSTM(4, dropout: 0.5, recurrentDropout: 0.5), GRU(4, dropout: 0.5, recurrentDropout: 0.5),
                      SimpleRNN(4, dropout: 0.5, recurrentDropout: 0.5),
                      RNN(cell: StackedRNNCells([LSTMCell(units: 4, dropout: 0.5), GRUCell(units: 3, recurrentDropout: 0.5)]))] as [RNN] {
            let x = Tensor(shape: [2, 4, 3], scalars: (0..<24).map { Float($0 % 5) / 4 })
            let inference = try layer(x, training: false)
            #expect(try layer(x, training: false).scalars == inference.scalars)
            #expect(try layer(x, training: true).scalars != inference.scalars, "\(layer.displayName)")
        }
    }

    @Test("stateful, and return_state in a Sequential model, are refused with an error that names the option")
    func unsupportedOptionsAreNamed() throws {
        let reader = ConfigReader(["units": .int(3), "stateful": .bool(true)], context: "layer 'lstm' (LSTM)")
        #expect(throws: (any Error).self) { _ = try LSTM(from: reader); try reader.finish() }
        #expect(reader.issues.contains { $0.contains("stateful=True") }, "\(reader.issues)")
        let files = try BrokenFiles()
        defer { files.remove() }
        let model = try files.editConfig(fixture("layers/rnn/bidirectional_custom_backward_gru.keras"), as: "states.keras") {
            $0.replacingOccurrences(of: #""return_state": false"#, with: #""return_state": true"#)
        }
        let error = try #require(throws: ModelLoadError.self) { try Model.load(from: model) }
        #expect(error.description.contains("returns several tensors (return_state=True)"), "\(error)")
    }

    @Test("a layer called with initial states starts from them; return_state returns the final ones")
    func initialAndFinalStates() throws {
        let x = Tensor(shape: [2, 3, 2], scalars: (0..<12).map { Float($0) / 10 })
        let lstm = LSTM(4, returnState: true)
        let zeros = try lstm(LayerCall(positional: [x]))
        #expect(zeros.count == 3 && zeros[1].scalars == zeros[0].scalars, "the output of an LSTM is its final h")
        let h0 = Tensor(shape: [2, 4], scalars: (0..<8).map { Float($0) / 8 }), c0 = Tensor.zeros([2, 4])
        let started = try lstm(LayerCall(positional: [x], keywordLists: ["initial_state": [h0, c0]]))
        #expect(started[0].scalars != zeros[0].scalars)
        #expect(throws: ShapeError.self) { _ = try lstm(LayerCall(positional: [x], keywordLists: ["initial_state": [h0]])) }
    }

    @Test("a Swift-built stack of cells and a Bidirectional layer returning states train, save and reload with Keras's weight paths")
    func stackedCellsAndBidirectionalStatesSaveAndReload() throws {
        let encoderInputs = Input(shape: [5, 3]), decoderInputs = Input(shape: [4, 2])
        let stack = RNN(cell: StackedRNNCells([LSTMCell(units: 4), GRUCell(units: 3), LSTMCell(units: 3)]), returnSequences: true, returnState: true)
        let encoded = try stack(LayerCall(positional: [encoderInputs.kerasTensor]))
        #expect(encoded.map(\.shape) == [[5, 3], [4], [4], [3], [3], [3]], "the output, then every cell's states flattened")
        let restarted = try RNN(cell: StackedRNNCells([LSTMCell(units: 4), GRUCell(units: 3), LSTMCell(units: 3)]), returnSequences: true)(
            LayerCall(positional: [encoded[0]], keywordLists: ["initial_state": Array(encoded.dropFirst())]))[0]
        let both = try Bidirectional(LSTM(4, returnState: true))(LayerCall(positional: [restarted]))
        #expect(both.map(\.shape) == [[8], [4], [4], [4], [4]], "[output, forward h, c, backward h, c]")
        let (h, c) = (try Concatenate()([both[1], both[3]]), try Concatenate()([both[2], both[4]]))
        let decoded = try LSTM(8, returnSequences: true)(LayerCall(positional: [decoderInputs.kerasTensor], keywordLists: ["initial_state": [h, c]]))[0]
        let model = try Functional(inputs: [encoderInputs, decoderInputs], outputs: [try Dense(2)(decoded)])
        model.compile(optimizer: Adam(learningRate: 0.01), loss: .meanSquaredError)
        let x = [Tensor(shape: [8, 5, 3], scalars: (0..<120).map { Float(($0 * 37) % 11) / 5 - 1 }),
                 Tensor(shape: [8, 4, 2], scalars: (0..<64).map { Float(($0 * 13) % 7) / 3 - 1 })]
        let y = Tensor(shape: [8, 4, 2], scalars: (0..<64).map { Float($0 % 5) / 4 })
        let losses = try model.fit(x: x, y: [y], batchSize: 4, epochs: 5, shuffle: false)["loss"]
        #expect(losses.count == 5 && losses[4] < losses[0], "loss \(losses)")
        let path = ProcessInfo.processInfo.environment["STACKED_RNN_SWIFT_SAVED_PATH"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("stacked-\(UUID().uuidString).keras").path
        try model.save(to: path)
        let reloaded = try Model.load(from: path)
        for (a, b) in zip(try reloaded.predict(x), try model.predict(x)) { expectAllClose(a, b, rtol: 0, atol: 0, "reloaded predictions") }
        let paths = WeightPaths.layerVarsPaths(for: model).filter { !$0.layer.weights.isEmpty }.map(\.path)
        for expected in ["layers/rnn/cell/cells/lstm_cell/vars", "layers/rnn/cell/cells/gru_cell/vars", "layers/rnn/cell/cells/lstm_cell_1/vars",
                         "layers/rnn_1/cell/cells/lstm_cell_1/vars", "layers/bidirectional/backward_layer/cell/vars"] {
            #expect(paths.contains(expected), "\(expected) in \(paths)")
        }
        let keras = try Model.load(from: fixture("layers/rnn_stacked/stacked_sequences.keras"))
        let kerasStack = try #require(keras.layers.compactMap { $0 as? RNN }.first)
        #expect(Set(stack.serializedConfig().keys) == Set(kerasStack.loadedConfig?.keys ?? []))
        let kerasCells = try #require(kerasStack.loadedConfig?["cell"]?.objectValue?["config"]?.objectValue)
        #expect(Set(try #require(stack.cell as? StackedRNNCells).serializedConfig().keys) == Set(kerasCells.keys))
    }

    @Test("a stack with a custom cell, an empty stack and the wrong number of initial states are refused clearly")
    func stackedCellErrors() throws {
        let custom: JSONObject = ["cell": .object(["class_name": .string("StackedRNNCells"), "config": .object(["cells": .array([
            .object(["class_name": .string("LSTMCell"), "config": .object(["units": .int(3)])]),
            .object(["class_name": .string("MinimalRNNCell"), "config": .object(["units": .int(3)])])])])])]
        let error = try #require(throws: ConfigError.self) { _ = try RNN(from: ConfigReader(custom, context: "layer 'rnn' (RNN)")) }
        #expect(error.description.contains("MinimalRNNCell is not supported"), "\(error)")
        let empty: JSONObject = ["cell": .object(["class_name": .string("StackedRNNCells"), "config": .object(["cells": .array([])])])]
        #expect(throws: ConfigError.self) { _ = try RNN(from: ConfigReader(empty, context: "layer 'rnn' (RNN)")) }
        let rnn = RNN(cell: StackedRNNCells([LSTMCell(units: 3), GRUCell(units: 2)]))
        let x = Tensor.zeros([2, 4, 3])
        #expect(try rnn(LayerCall(positional: [x], keywordLists: ["initial_state": [.zeros([2, 3]), .zeros([2, 3]), .zeros([2, 2])]]))[0].shape == [2, 2])
        #expect(throws: ShapeError.self) { _ = try rnn(LayerCall(positional: [x], keywordLists: ["initial_state": [.zeros([2, 3]), .zeros([2, 3])]])) }
        #expect(throws: ShapeError.self) { _ = try rnn(LayerCall(positional: [x], keywordLists: ["initial_state": [.zeros([2, 3]), .zeros([2, 3]), .zeros([2, 3])]])) }
    }

    @Test("Bidirectional refuses two directions running the same way")
    func bidirectionalNeedsOppositeDirections() throws {
        #expect(throws: ConfigError.self) { _ = try Bidirectional(LSTM(3), backwardLayer: LSTM(3)) }
    }
}
