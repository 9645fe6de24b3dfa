/// The range a random augmentation layer draws from, read from a Keras `factor` (a number or a list of two).
///
/// Keras has two readings: the base layer's (`RandomRotation`, `RandomContrast`, `RandomBrightness`: a number `f`
/// gives `[max(−|f|, low bound), |f|]`, a pair is sorted, and Keras saves the pair) and that of `RandomZoom` and
/// `RandomTranslation` (a number gives `[−|f|, |f|]`, each element is checked, and Keras saves the value as given).
public struct FactorRange: Equatable, Sendable {
    /// The range's lower end.
    public var lower: Double
    /// The range's upper end.
    public var upper: Double

    /// The range `[lower, upper]`.
    public init(_ lower: Double, _ upper: Double) { (self.lower, self.upper) = (lower, upper) }

    /// Keras's `BaseImagePreprocessingLayer._set_factor` with the layer's bounds (`[-1, 1]`, or `[0, 1]` for
    /// RandomContrast).
    static func base(_ json: JSON?, key: String = "factor", bounds: ClosedRange<Double>, _ config: ConfigReader) -> FactorRange {
        let message = "'\(key)' must be a number or a list of two numbers in [\(bounds.lowerBound), \(bounds.upperBound)], found \(json?.brief ?? "nothing")"
        if let f = json?.doubleValue {
            guard bounds.contains(f) else { config.report(message); return FactorRange(0, 0) }
            return FactorRange(Swift.max(-Swift.abs(f), bounds.lowerBound), Swift.abs(f))
        }
        guard let pair = json?.arrayValue?.compactMap(\.doubleValue), pair.count == 2, json?.arrayValue?.count == 2,
              pair[0] <= bounds.upperBound, pair[1] >= bounds.lowerBound else {
            config.report(message)
            return FactorRange(0, 0)
        }
        return FactorRange(pair.min()!, pair.max()!)
    }

    /// `RandomZoom` / `RandomTranslation`'s `_set_factor`: every number must lie in `allowed`.
    static func symmetric(_ json: JSON?, key: String, allowed: (Double) -> Bool, range: String, _ config: ConfigReader) -> FactorRange {
        let message = "'\(key)' must be a number or a list of two numbers in \(range), found \(json?.brief ?? "nothing")"
        if let f = json?.doubleValue {
            guard allowed(f) else { config.report(message); return FactorRange(0, 0) }
            return FactorRange(-Swift.abs(f), Swift.abs(f))
        }
        guard let pair = json?.arrayValue?.compactMap(\.doubleValue), pair.count == 2, json?.arrayValue?.count == 2,
              pair.allSatisfy(allowed) else {
            config.report(message)
            return FactorRange(0, 0)
        }
        return FactorRange(pair.min()!, pair.max()!)
    }

    /// The pair as Keras's base layer saves it.
    var json: JSON { .array([.double(lower), .double(upper)]) }
}
