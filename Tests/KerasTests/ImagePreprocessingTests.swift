import Foundation
import Testing
@testable import Keras
import TensorEngine

/// The augmentation layers in training, where their draws cannot equal Keras's (JAX's generator):
/// - the geometry of a fixed transform equals what Keras's own code computes for the same transform
///   (`Fixtures/image_geometry`, from `ops.image.affine_transform` and each layer's `transform_images`);
/// - over many calls the drawn parameters cover Keras's documented range uniformly and never leave it.
struct ImagePreprocessingTests {
    static let geometryCases = FixtureCases<String> {
        try FixtureCases.names(in: "image_geometry") { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
    }

    @Test func theGeometryFixturesAreFound() throws {
        try Self.geometryCases.expectFound(atLeast: 25, "Fixtures/image_geometry")
    }

    /// Swift's computation of each fixed-transform case, by fixture name.
    static func transform(_ name: String, _ x: Tensor, _ params: JSON) throws -> Tensor {
        let floats = { (key: String) in (params[key]?.arrayValue ?? []).compactMap(\.doubleValue).map { Float($0) } }
        if name.hasPrefix("affine_") {
            let maps = (params["transforms"]?.arrayValue ?? []).map { row in
                let t = (row.arrayValue ?? []).compactMap(\.doubleValue).map { Float($0) }
                return AffineMap(a0: t[0], a1: t[1], a2: t[2], b0: t[3], b1: t[4], b2: t[5])
            }
            let mode = try #require(params["fill_mode"]?.stringValue.flatMap(FillMode.init(rawValue:)))
            let interpolation = try #require(params["interpolation"]?.stringValue.flatMap(SamplingInterpolation.init(rawValue:)))
            return Tensor.affineTransform(x, maps: maps, interpolation: interpolation, fillMode: mode,
                                          fillValue: Float(params["fill_value"]?.doubleValue ?? 0), channelsFirst: name.hasSuffix("channels_first"))
        }
        switch name {
        case "rotation_90_and_minus_45_nearest_constant":
            return try RandomRotation(factor: 0.5, fillMode: .constant, interpolation: .nearest).rotate(x, degrees: floats("degrees"))
        case "rotation_30_and_180_bilinear_reflect":
            return try RandomRotation(factor: 0.5).rotate(x, degrees: floats("degrees"))
        case "zoom_2x_and_half_constant", "zoom_wrap_nearest":
            let layer = name == "zoom_wrap_nearest" ? RandomZoom(heightFactor: 0.5, fillMode: .wrap, interpolation: .nearest)
                : RandomZoom(heightFactor: 0.5, fillMode: .constant, fillValue: 1)
            return try layer.zoom(x, Array(zip(floats("height"), floats("width"))))
        case "translation_nearest", "translation_reflect_channels_first":
            let layer = name == "translation_nearest" ? RandomTranslation(heightFactor: 0.5, widthFactor: 0.5, fillMode: .nearest)
                : RandomTranslation(heightFactor: 0.5, widthFactor: 0.5, dataFormat: .channelsFirst)
            return try layer.translate(x, Array(zip(floats("down"), floats("right"))))
        case "flip_horizontal", "flip_vertical", "flip_horizontal_and_vertical":
            let mode = try #require(RandomFlip.Mode(rawValue: String(name.dropFirst(5))))
            return try RandomFlip(mode: mode).flip(x, [true, false])
        case "contrast_factors":
            return try RandomContrast(factor: 0.5, valueRange: (-1, 1)).adjust(x, factors: floats("factors"))
        case "brightness_deltas":
            return try RandomBrightness(factor: 0.5, valueRange: (-1, 1)).adjust(x, deltas: floats("deltas"))
        case "crop_at_1_2":
            return try RandomCrop(height: 4, width: 5).crop(x, at: (1, 2))
        case "crop_larger_than_input":
            let layer = RandomCrop(height: 8, width: 5)
            let corner = layer.drawCorner(imageHeight: x.shape[1], imageWidth: x.shape[2])
            #expect(corner == (0, 2), "the centred corner Keras computes for 6×7 images and an 8×5 window")
            return try layer.crop(x, at: corner)
        case "area_resize":
            return x.resizedImages(height: 4, width: 10, interpolation: .area)
        default:
            Issue.record("no Swift computation for the geometry case '\(name)'")
            return x
        }
    }

    @Test("a fixed transform gives Keras's images", arguments: geometryCases.all)
    func fixedTransformMatchesKeras(_ name: String) throws {
        let x = try NPY.read(path: fixture("image_geometry/\(name).input.npy")).tensor()
        let expected = try NPY.read(path: fixture("image_geometry/\(name).output.npy")).tensor()
        let params = try FixtureCases<String>.json("image_geometry/\(name).json")
        expectAllClose(try Self.transform(name, x, params), expected, name)
    }

    // MARK: Distributions of the draws

    /// Builds a layer from a Keras config, as a file would.
    static func layer<L: Layer>(_ type: L.Type, _ config: String) throws -> L {
        let reader = ConfigReader(try #require(JSON.parse(config).objectValue), context: "\(type)")
        let layer = try type.init(from: reader)
        try reader.finish()
        return layer
    }

    /// Checks that `draws` stay in `[low, high]` and spread over it: the extremes come within 2 % of the range of
    /// its ends, and the mean within 2 % of its middle.
    static func expectUniform(_ draws: [Float], _ low: Float, _ high: Float, _ what: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let (lo, hi) = (draws.min() ?? .nan, draws.max() ?? .nan)
        let mean = draws.reduce(0, +) / Float(draws.count)
        let width = high - low
        #expect(lo >= low && hi <= high, "\(what): draws in [\(lo), \(hi)], range [\(low), \(high)]", sourceLocation: sourceLocation)
        #expect(lo - low < 0.02 * width && high - hi < 0.02 * width, "\(what): draws [\(lo), \(hi)] do not reach the ends of [\(low), \(high)]", sourceLocation: sourceLocation)
        #expect(Swift.abs(mean - (low + high) / 2) < 0.02 * width, "\(what): mean \(mean), expected about \((low + high) / 2)", sourceLocation: sourceLocation)
    }

    @Test func rotationAnglesCoverFactorTimes360Degrees() throws {
        Self.expectUniform(RandomRotation(factor: 0.2, seed: 1).drawAngles(20_000), -72, 72, "factor 0.2")
        Self.expectUniform(RandomRotation(factor: -0.2, seed: 2).drawAngles(20_000), -72, 72, "factor -0.2")
        let tuple = try Self.layer(RandomRotation.self, #"{"factor": [0.3, -0.1], "seed": 3}"#)
        Self.expectUniform(tuple.drawAngles(20_000), -36, 108, "factor (0.3, -0.1)")
    }

    @Test func zoomFactorsCoverOnePlusTheFactorRange() throws {
        let layer = try Self.layer(RandomZoom.self, #"{"height_factor": [-0.3, 0.2], "width_factor": null, "seed": 4}"#)
        let zooms = layer.drawZooms(20_000)
        Self.expectUniform(zooms.map(\.height), 0.7, 1.2, "height (-0.3, 0.2)")
        #expect(zooms.allSatisfy { $0.height == $0.width }, "width_factor null: the width zooms with the height")
        let both = RandomZoom(heightFactor: 0.5, widthFactor: -0.25, seed: 5).drawZooms(20_000)
        Self.expectUniform(both.map(\.height), 0.5, 1.5, "height 0.5")
        Self.expectUniform(both.map(\.width), 0.75, 1.25, "width -0.25")
    }

    @Test func translationsCoverTheFactorTimesTheImageSize() throws {
        let layer = try Self.layer(RandomTranslation.self, #"{"height_factor": 0.1, "width_factor": [-0.2, 0.3], "seed": 6}"#)
        let shifts = layer.drawTranslations(20_000, height: 30, width: 40)
        Self.expectUniform(shifts.map(\.down), -3, 3, "down 0.1 of 30")
        Self.expectUniform(shifts.map(\.right), -8, 12, "right (-0.2, 0.3) of 40")
    }

    @Test func contrastFactorsFollowKerasBoundsOfZeroToOne() throws {
        // A single number f reads as (0, f): factors in [1, 1 + f], as Keras 3 draws them.
        Self.expectUniform(RandomContrast(factor: 0.5, seed: 7).drawFactors(20_000), 1, 1.5, "factor 0.5")
        let tuple = try Self.layer(RandomContrast.self, #"{"factor": [0.2, 0.5], "value_range": [0, 1], "seed": 8}"#)
        Self.expectUniform(tuple.drawFactors(20_000), 0.8, 1.5, "factor (0.2, 0.5)")
    }

    @Test func brightnessDeltasCoverTheFactorTimesTheValueRange() throws {
        Self.expectUniform(RandomBrightness(factor: 0.3, seed: 9).drawDeltas(20_000), -76.5, 76.5, "factor 0.3 of [0, 255]")
        let layer = try Self.layer(RandomBrightness.self, #"{"factor": [-0.1, 0.4], "value_range": [1, -1], "seed": 10}"#)
        Self.expectUniform(layer.drawDeltas(20_000), -0.2, 0.8, "factor (-0.1, 0.4) of [-1, 1]")
    }

    @Test func flipsHappenHalfTheTime() {
        let flips = RandomFlip(seed: 11).drawFlips(20_000)
        let frequency = Float(flips.filter { $0 }.count) / Float(flips.count)
        #expect(Swift.abs(frequency - 0.5) < 0.02, "flip frequency \(frequency)")
    }

    @Test func cropCornersCoverEveryPosition() {
        let layer = RandomCrop(height: 4, width: 5, seed: 12)
        let corners = (0..<4_000).map { _ in layer.drawCorner(imageHeight: 7, imageWidth: 9) }
        #expect(Set(corners.map(\.top)) == Set(0...3) && Set(corners.map(\.left)) == Set(0...4), "corners \(Set(corners.map { [$0.top, $0.left] }))")
        for top in 0...3 {
            let share = Float(corners.filter { $0.top == top }.count) / Float(corners.count)
            #expect(Swift.abs(share - 0.25) < 0.03, "top \(top) drawn \(share) of the time")
        }
    }

    // MARK: Training mode

    @Test func theSameSeedGivesTheSameDraws() {
        #expect(RandomRotation(factor: 0.3, seed: 42).drawAngles(50) == RandomRotation(factor: 0.3, seed: 42).drawAngles(50))
        #expect(RandomRotation(factor: 0.3, seed: 42).drawAngles(50) != RandomRotation(factor: 0.3, seed: 43).drawAngles(50))
    }

    @Test func randomLayersTransformOnlyInTraining() throws {
        let x = Tensor(shape: [4, 6, 5, 2], scalars: (0..<240).map { Float($0 % 17) / 17 })
        let layers: [Layer] = [RandomFlip(seed: 1), RandomRotation(factor: 0.2, seed: 2), RandomZoom(heightFactor: 0.3, seed: 3),
                               RandomTranslation(heightFactor: 0.2, widthFactor: 0.2, seed: 4),
                               RandomContrast(factor: 0.5, valueRange: (0, 1), seed: 5), RandomBrightness(factor: 0.3, valueRange: (0, 1), seed: 6)]
        for layer in layers {
            #expect(try layer(x, training: false).scalars == x.scalars, "\(layer.displayName) at inference")
            let trained = try layer(x, training: true)
            #expect(trained.shape == x.shape && trained.scalars != x.scalars, "\(layer.displayName) in training")
        }
        // Each image is either flipped or not: never anything else.
        let flipped = try RandomFlip(mode: .horizontal, seed: 7)(x, training: true)
        let mirror = x.reversed(alongAxis: 2)
        for b in 0..<4 {
            let image = flipped.slice(alongAxis: 0, from: b, count: 1).scalars
            #expect(image == x.slice(alongAxis: 0, from: b, count: 1).scalars || image == mirror.slice(alongAxis: 0, from: b, count: 1).scalars)
        }
        let cropped = try RandomCrop(height: 3, width: 4, seed: 8)(x, training: true)
        #expect(cropped.shape == [4, 3, 4, 2])
        #expect(try RandomCrop(height: 3, width: 4)(x, training: false).shape == x.shape, "RandomCrop is the identity at inference, as in Keras 3")
    }

    @Test func augmentedModelTrains() throws {
        let model = try Sequential([Input(shape: [8, 8, 1]), RandomFlip(seed: 1), RandomRotation(factor: 0.1, seed: 2),
                                    RandomZoom(heightFactor: 0.1, seed: 3), Resizing(height: 6, width: 6), Flatten(), Dense(2)])
        model.compile(optimizer: Adam(), loss: .meanSquaredError)
        let x = Tensor(shape: [16, 8, 8, 1], scalars: (0..<1024).map { Float(($0 * 37) % 101) / 101 })
        let y = Tensor(shape: [16, 2], scalars: (0..<32).map { Float($0 % 3) })
        let before = model.allWeights.map(\.value.scalars)
        _ = try model.fit(x: x, y: y, batchSize: 8, epochs: 1)
        #expect(model.allWeights.map(\.value.scalars) != before)
    }

    @Test func badFactorsAreReportedWithTheLayer() {
        #expect(throws: ConfigError.self) { try Self.layer(RandomZoom.self, #"{"height_factor": -1.0}"#) }
        #expect(throws: ConfigError.self) { try Self.layer(RandomRotation.self, #"{"factor": 1.5}"#) }
        #expect(throws: ConfigError.self) { try Self.layer(RandomTranslation.self, #"{"height_factor": [0.1], "width_factor": 0.1}"#) }
        #expect(throws: ConfigError.self) { try Self.layer(RandomRotation.self, #"{"factor": 0.1, "fill_mode": "mirror"}"#) }
        #expect(throws: ConfigError.self) { try Self.layer(Resizing.self, #"{"height": 4, "width": 4, "interpolation": "cubic"}"#) }
    }
}

/// Image layers built in Swift save with Keras's keys and load back as the same layers.
struct ImagePreprocessingSavingTests {
    @Test func swiftBuiltLayersSaveAndLoadBack() throws {
        let model = try Sequential([Input(shape: [9, 8, 2]), Resizing(height: 7, width: 6, interpolation: .lanczos3, cropToAspectRatio: true),
                                    CenterCrop(height: 6, width: 5), RandomFlip(mode: .vertical, seed: 3),
                                    RandomRotation(factor: 0.25, fillMode: .wrap, interpolation: .nearest, fillValue: 2, seed: 4),
                                    RandomZoom(heightFactor: 0.2, widthFactor: 0.3, fillMode: .constant),
                                    RandomTranslation(heightFactor: 0.1, widthFactor: 0.2, fillMode: .nearest, seed: 5),
                                    RandomContrast(factor: 0.4, valueRange: (-1, 1)), RandomBrightness(factor: 0.2, valueRange: (1, 0)),
                                    RandomCrop(height: 4, width: 4, seed: 6), Flatten(), Dense(2)])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("image_layers_\(UUID().uuidString).keras").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try Model.load(from: path)
        let configs = { (m: Model) in m.layers.map { $0.serializedConfig() } }
        #expect(configs(loaded) == configs(model))
        let rotation = try #require(loaded.layers.compactMap { $0 as? RandomRotation }.first)
        #expect(rotation.factor == FactorRange(-0.25, 0.25) && rotation.seed == 4)
        let brightness = try #require(loaded.layers.compactMap { $0 as? RandomBrightness }.first)
        #expect(brightness.valueRange == (0, 1))
    }

    @Test func wrongInputsGetOneLineErrors() throws {
        let flat = Tensor.zeros([2, 12])
        for layer: Layer in [Resizing(height: 2, width: 2), CenterCrop(height: 2, width: 2), RandomRotation(factor: 0.1)] {
            #expect { try layer(flat, training: true) } throws: { error in
                "\(error)".contains(layer.displayName) && "\(error)".contains("rank") && !"\(error)".contains("\n")
            }
        }
    }
}
