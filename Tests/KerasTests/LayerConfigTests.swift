import Testing
@testable import Keras
import TensorEngine

/// Layer configs: what a layer built in Swift writes (compared with what Keras wrote for the same layer in a
/// fixture, key order included), and the values that are refused with a config error saying what and where.
struct LayerConfigTests {
    /// A fixture case, the index of one of its layers, and the same layer built in Swift.
    struct Case: CustomStringConvertible, Sendable {
        let fixture: String
        let layerIndex: Int
        var folder = "norm"
        let make: @Sendable () -> Layer
        var description: String { "\(folder)/\(fixture) layer \(layerIndex)" }

        init(fixture: String, layerIndex: Int, folder: String = "norm", make: @escaping @Sendable () -> Layer) {
            self.fixture = fixture
            self.layerIndex = layerIndex
            self.folder = folder
            self.make = make
        }
    }

    static let cases: [Case] = [
        Case(fixture: "initial", layerIndex: 0, folder: "../finetune/steps/regularizers_dense_sgd") {
            Dense(8, activation: .relu, kernelRegularizer: .l2(0.01), biasRegularizer: .l1(0.02), activityRegularizer: .l1l2(l1: 0.001, l2: 0.002),
                  kernelConstraint: .maxNorm(maxValue: 0.6, axis: [0]), biasConstraint: .nonNeg)
        },
        Case(fixture: "initial", layerIndex: 0, folder: "../finetune/steps/regularizers_conv_bn_adam") {
            let bn = BatchNormalization()
            bn.weightOptions["gamma"] = WeightOptions(.ones, regularizer: .l2(0.05), constraint: .nonNeg)
            bn.weightOptions["beta"] = WeightOptions(.zeros, regularizer: .l1(0.05), constraint: .maxNorm(maxValue: 0.3, axis: [0]))
            return bn
        },
        Case(fixture: "batchnorm_axis1_rank3", layerIndex: 0) { BatchNormalization(axis: 1, epsilon: 0.01) },
        Case(fixture: "batchnorm_no_center_no_scale", layerIndex: 0) { BatchNormalization(center: false, scale: false) },
        Case(fixture: "layernorm_two_axes", layerIndex: 0) { LayerNormalization(axes: [3, 2], epsilon: 1e-5) },
        Case(fixture: "layernorm_last_axis", layerIndex: 0) { LayerNormalization() },
        Case(fixture: "layernorm_rms_scaling", layerIndex: 0) { LayerNormalization(axes: [1, 2], rmsScaling: true) },
        Case(fixture: "embedding_2d_ids", layerIndex: 0) { Embedding(inputDim: 7, outputDim: 4) },
        Case(fixture: "relu_plain", layerIndex: 0) { ReLU() },
        Case(fixture: "relu_max_slope_threshold", layerIndex: 0) { ReLU(maxValue: 1.2, negativeSlope: 0.1, threshold: 0.3) },
        Case(fixture: "leaky_relu_default", layerIndex: 0) { LeakyReLU() },
        Case(fixture: "softmax_axis1_rank3", layerIndex: 0) { Softmax(axis: 1) },
        Case(fixture: "softmax_two_axes", layerIndex: 0) { Softmax(axes: [1, 3]) },
        Case(fixture: "rescaling", layerIndex: 0) { Rescaling(scale: 1 / 255, offset: -0.5) },
        Case(fixture: "permute", layerIndex: 0) { Permute([3, 1, 2]) },
        Case(fixture: "repeat_vector", layerIndex: 0) { RepeatVector(3) },
        Case(fixture: "conv2d_valid", layerIndex: 0, folder: "conv") { Conv2D(4, kernelSize: [3, 3]) },
        Case(fixture: "conv1d_causal_dilated", layerIndex: 0, folder: "conv") {
            Conv1D(2, kernelSize: 3, padding: .causal, dilationRate: 2, activation: .elu)
        },
        Case(fixture: "depthwise_multiplier_same_stride", layerIndex: 0, folder: "conv") {
            DepthwiseConv2D(kernelSize: [2, 3], depthMultiplier: 2, strides: [2, 2], padding: .same)
        },
        Case(fixture: "separable_conv2d_same_stride", layerIndex: 0, folder: "conv") {
            SeparableConv2D(4, kernelSize: [3, 3], strides: [2, 2], padding: .same, depthMultiplier: 2, activation: .relu)
        },
        Case(fixture: "maxpool2d_default", layerIndex: 0, folder: "conv") { MaxPooling2D(poolSize: [2, 2]) },
        Case(fixture: "global_max2d_keepdims", layerIndex: 0, folder: "conv") { GlobalMaxPooling2D(keepDims: true) },
        Case(fixture: "zeropadding2d_int", layerIndex: 0, folder: "conv") { ZeroPadding2D(rows: 2, columns: 2) },
        Case(fixture: "cropping2d_int", layerIndex: 0, folder: "conv") { Cropping2D(rows: 1, columns: 1) },
        Case(fixture: "upsampling2d", layerIndex: 0, folder: "conv") { UpSampling2D(size: [2, 3]) },
        Case(fixture: "conv3d_channels_first", layerIndex: 0, folder: "conv3d") {
            Conv3D(3, kernelSize: [2, 3, 2], strides: [1, 2, 2], padding: .same, dataFormat: .channelsFirst, activation: .sigmoid)
        },
        Case(fixture: "conv3d_transpose_output_padding", layerIndex: 0, folder: "conv3d") {
            Conv3DTranspose(2, kernelSize: [3, 2, 3], strides: [2, 2, 3], outputPadding: [1, 0, 2])
        },
        Case(fixture: "maxpool3d_same_strides", layerIndex: 0, folder: "conv3d") {
            MaxPooling3D(poolSize: [2, 3, 2], strides: [1, 2, 3], padding: .same)
        },
        Case(fixture: "global_max3d_keepdims", layerIndex: 0, folder: "conv3d") { GlobalMaxPooling3D(keepDims: true) },
        Case(fixture: "zeropadding3d_int_and_triple", layerIndex: 0, folder: "conv3d") { ZeroPadding3D([1]) },
        Case(fixture: "cropping3d_int_and_triple", layerIndex: 0, folder: "conv3d") { Cropping3D([1]) },
        Case(fixture: "upsampling3d", layerIndex: 0, folder: "conv3d") { UpSampling3D(size: [2, 1, 3]) },
        Case(fixture: "conv2d_channels_first", layerIndex: 0, folder: "conv3d") {
            Conv2D(3, kernelSize: [3, 3], strides: [2, 2], padding: .same, dataFormat: .channelsFirst, activation: .relu)
        },
    ]

    @Test("a layer built in Swift writes the config object Keras wrote", arguments: cases)
    func swiftBuiltLayerWritesKerasConfig(_ c: Case) throws {
        let keras = try Model.load(from: fixture("layers/\(c.folder)/\(c.fixture).keras"))
        let theirs = keras.layers[c.layerIndex]
        let shape = try #require(theirs.builtInputShape)
        let mine = c.make()
        _ = try Sequential([Input(shape: shape), mine])
        var written = try #require(mine.serializedEntry().objectValue)
        var expected = try #require(theirs.loadedEntry)
        // Layer names carry Keras's process-wide counters; everything else must be identical, in Keras's order.
        var writtenConfig = try #require(written["config"]?.objectValue)
        var expectedConfig = try #require(expected["config"]?.objectValue)
        writtenConfig["name"] = .string("x")
        expectedConfig["name"] = .string("x")
        written["config"] = .object(writtenConfig)
        expected["config"] = .object(expectedConfig)
        #expect(writtenConfig.keys == expectedConfig.keys)
        #expect(written == expected, "\(JSON.object(written).serialized())\nKeras: \(JSON.object(expected).serialized())")
    }

    /// The issues reported when `type` reads the config given as JSON text.
    static func issues(_ type: Layer.Type, _ json: String) throws -> [String] {
        let reader = ConfigReader(try #require(try JSON.parse(json).objectValue), context: "layer 'l' (\(type))")
        _ = try type.init(from: reader)
        return reader.issues
    }

    @Test func batchNormalizationRefusesSynchronizedRenormRegularizersAndNegativeEpsilon() throws {
        let issues = try Self.issues(BatchNormalization.self, """
            {"synchronized": true, "renorm": true, "epsilon": -0.5, "gamma_regularizer": {"class_name": "L2", "config": {"l2": 0.01}}}
            """)
        for expected in ["layer 'l' (BatchNormalization): synchronized=True is not supported", "renorm=True is not supported",
                         "epsilon must be non-negative, found -0.5"] {
            #expect(issues.contains { $0.contains(expected) }, "\(expected) not in \(issues)")
        }
        #expect(try Self.issues(BatchNormalization.self, #"{"axis": 1, "renorm": false, "synchronized": false}"#).isEmpty)
        // Keras 2's one-element list is read as Keras 3's legacy loader reads it; a longer list is refused.
        #expect(try BatchNormalization(from: ConfigReader(["axis": .array([.int(2)])], context: "l")).axis == 2)
        #expect(try Self.issues(BatchNormalization.self, #"{"axis": [1, 2]}"#).contains { $0.contains("config key 'axis'") })
    }

    @Test func embeddingReadsMaskZeroAndRefusesNonPositiveSizes() throws {
        let masked = try Self.issues(Embedding.self, #"{"input_dim": 5, "output_dim": 2, "mask_zero": true}"#)
        #expect(masked.isEmpty)
        #expect(try Embedding(from: ConfigReader(["input_dim": .int(5), "output_dim": .int(2), "mask_zero": .bool(true)], context: "l")).maskZero)
        let sizes = try Self.issues(Embedding.self, #"{"input_dim": 0, "output_dim": -2}"#)
        #expect(sizes.contains { $0.contains("input_dim and output_dim must be positive, found 0 and -2") }, "\(sizes)")
        let missing = try Self.issues(Embedding.self, #"{"output_dim": 2}"#)
        #expect(missing.contains { $0.contains("config key 'input_dim' is missing") }, "\(missing)")
    }

    @Test func leakyReLUReadsKeras2sAlphaAndKeras3sNegativeSlope() throws {
        let keras2 = try LeakyReLU(from: ConfigReader(["alpha": .double(0.1)], context: "l"))
        #expect(keras2.negativeSlope == 0.1)
        #expect(keras2.config()["negative_slope"] == .double(0.1))
        #expect(try LeakyReLU(from: ConfigReader(["negative_slope": .double(0.05)], context: "l")).negativeSlope == 0.05)
        #expect(try LeakyReLU(from: ConfigReader([:], context: "l")).negativeSlope == 0.3)
        #expect(try Self.issues(LeakyReLU.self, #"{"negative_slope": -1}"#).contains { $0.contains("negative_slope must be non-negative") })
    }

    @Test func threeDimensionalLayersRefuseWrongSizesAndUnknownDataFormats() throws {
        let conv = try Self.issues(Conv3D.self, #"{"filters": 2, "kernel_size": [2, 2], "data_format": "channels_middle"}"#)
        #expect(conv.contains { $0.contains("'kernel_size' must be a positive integer or a list of 3 positive integers, found [2, 2]") }, "\(conv)")
        #expect(conv.contains { $0.contains("data_format") && $0.contains("'channels_last' or 'channels_first'") }, "\(conv)")
        let padding = try Self.issues(ZeroPadding3D.self, #"{"padding": [[1, 2], [0, 1]]}"#)
        #expect(padding.contains { $0.contains("'padding' must be an int, 3 ints or 3 pairs of ints, found [[1, 2], [0, 1]]") }, "\(padding)")
        #expect(try Self.issues(Cropping3D.self, #"{"cropping": [[1, 2], [0, 1], [3, 0]], "data_format": "channels_first"}"#).isEmpty)
        let cropping = try Cropping3D(from: ConfigReader(try #require(try JSON.parse(#"{"cropping": [1, 0, 2]}"#).objectValue), context: "l"))
        #expect(cropping.cropping.before == [1, 0, 2] && cropping.cropping.after == [1, 0, 2])
        #expect(throws: ShapeError.self) { try cropping.outputShape(forInputShape: [3, 5, 4, 2]) }
    }

    @Test func reluPermuteRepeatVectorLayerNormalizationAndRescalingValidateTheirValues() throws {
        let relu = try Self.issues(ReLU.self, #"{"max_value": -1, "negative_slope": -0.5, "threshold": -2}"#)
        #expect(relu.count == 3, "\(relu)")
        #expect(try Self.issues(Permute.self, #"{"dims": [1, 1, 3]}"#).contains { $0.contains("'dims' must be a permutation of 1…3, found [1, 1, 3]") })
        #expect(try Self.issues(RepeatVector.self, #"{"n": 0}"#).contains { $0.contains("n must be positive, found 0") })
        #expect(try Self.issues(LayerNormalization.self, #"{"axis": []}"#).contains { $0.contains("'axis' must name at least one axis") })
        #expect(try Self.issues(Rescaling.self, #"{"scale": [[1, 2], [3]]}"#).contains {
            $0.contains("config key 'scale' must be a number or a rectangular list of numbers, found a list")
        })
        #expect(try Self.issues(Rescaling.self, #"{"offset": 1}"#).contains { $0.contains("config key 'scale' is missing") })
    }

    @Test func rescalingListsMustBroadcastAgainstTheInputs() throws {
        let layer = Rescaling(scales: [1, 2, 3])
        #expect(try layer(Tensor(shape: [1, 3], scalars: [1, 1, 1])).scalars == [1, 2, 3])
        let error = try #require(throws: ShapeError.self) { try Rescaling(scales: [1, 2, 3])(Tensor.zeros([2, 4])) }
        #expect("\(error)".contains("scale of shape [3] and offset of shape [1] do not broadcast against inputs of shape (None, 4)"), "\(error)")
    }
}
