import Foundation
import Testing
@testable import Keras

/// Initializers follow Keras's formulas: samples drawn in Swift have the statistics of Keras's samples
/// (Keras's seeded values come from JAX's RNG and cannot be reproduced, so distributions are compared).
struct InitializerTests {
    static let entries = FixtureCases<JSON> {
        guard let list = try FixtureCases<JSON>.json("initializers/stats.json").arrayValue else { throw NPYError("stats.json: expected a list") }
        return list
    }

    @Test func theFixturesAreFound() throws {
        try Self.entries.expectFound(atLeast: 26, "Fixtures/initializers/stats.json")
    }

    @Test("statistics match Keras's samples", arguments: entries.all.indices)
    func statisticsMatchKeras(_ index: Int) throws {
        let entry = Self.entries.all[index]
        let name = entry["name"]?.stringValue ?? "?"
        let shape = (entry["shape"]?.arrayValue ?? []).compactMap(\.intValue)
        let initializer = try Initializer(configValue: entry["config"] ?? .null)
        var rng = RandomGenerator(seed: 11)
        let w = try initializer(shape, rng: &rng).scalars.map(Double.init)
        let mean = w.reduce(0, +) / Double(w.count)
        let std = (w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(w.count)).squareRoot()
        let kStd = entry["std"]?.doubleValue ?? 0
        let kMean = entry["mean"]?.doubleValue ?? 0
        // Five standard errors of the difference between two independent samples' statistics.
        let n = Double(w.count)
        #expect(abs(std - kStd) <= 5 * kStd / (n).squareRoot() + 1e-9, "\(name) \(shape): std \(std), Keras \(kStd)")
        #expect(abs(mean - kMean) <= 5 * kStd * (2 / n).squareRoot() + 1e-9, "\(name) \(shape): mean \(mean), Keras \(kMean)")
        if let kMin = entry["min"]?.doubleValue, let kMax = entry["max"]?.doubleValue, kStd > 0 {
            // Bounded distributions (uniform, truncated normal) share their bounds; allow 5% of a std.
            if name.contains("uniform") || name.contains("truncated") || ["he_normal", "glorot_normal", "lecun_normal", "variance_scaling"].contains(name) {
                #expect(w.min()! >= kMin - 0.05 * kStd - 1e-6 && w.max()! <= kMax + 0.05 * kStd + 1e-6, "\(name): range [\(w.min()!), \(w.max()!)] vs Keras [\(kMin), \(kMax)]")
            }
        }
        if let gramError = entry["max_abs_gram_minus_identity"]?.doubleValue {
            let cols = shape.last!, rows = w.count / cols
            let (m, n) = rows >= cols ? (rows, cols) : (cols, rows)
            var worst = 0.0
            for i in 0..<n { for j in 0..<n {
                var dot = 0.0
                for k in 0..<m { dot += rows >= cols ? w[k * cols + i] * w[k * cols + j] : w[i * cols + k] * w[j * cols + k] }
                worst = max(worst, abs(dot - (i == j ? 1 : 0)))
            } }
            #expect(worst <= max(gramError * 10, 1e-4), "orthogonal: max |WᵀW − I| = \(worst), Keras \(gramError)")
        }
    }

    @Test("every spelling keras.initializers.get accepts", arguments: [
        "he_normal", "HeNormal", "glorot_uniform", "GlorotUniform", "lecun_normal", "zeros", "zero", "Zeros", "ones", "one",
        "normal", "uniform", "random_normal", "RandomUniform", "truncated_normal", "orthogonal", "Orthogonal",
        "OrthogonalInitializer", "identity", "IdentityInitializer", "variance_scaling", "constant",
    ])
    func spellingsResolve(_ name: String) throws {
        _ = try Initializer(configValue: .string(name))
    }

    @Test func unknownNameSaysWhatIsSupported() {
        #expect {
            try Initializer(configValue: .string("he_nromal"))
        } throws: { error in
            "\((error as? ConfigValueError)?.message ?? "")".contains("unknown initializer 'he_nromal'")
        }
    }

    @Test func serializedFormIsKerasObjectDict() {
        #expect(Initializer.heNormal.serialized.serialized() ==
            #"{"module": "keras.initializers", "class_name": "HeNormal", "config": {"seed": null, "input_axes": null, "output_axes": null}, "registered_name": null}"#)
    }
}
