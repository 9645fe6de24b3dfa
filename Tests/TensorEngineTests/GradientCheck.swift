import Testing
@testable import TensorEngine

/// Compares reverse-mode gradients with central finite differences.
///
/// The function's output is contracted with fixed random weights, so every output element gets a distinct
/// upstream gradient (a plain sum would hide errors that cancel).
func checkGradients(_ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Float = 2e-2,
                    sourceLocation: SourceLocation = #_sourceLocation,
                    _ f: ([Tensor]) -> Tensor) {
    var rng = RandomGenerator(seed: 7)
    let probe = f(inputs)
    let weights = Tensor(shape: probe.shape, scalars: rng.uniform(count: probe.count, low: -1, high: 1))
    func objective(_ xs: [Tensor]) -> Tensor { (f(xs) * weights).sum() }

    let tracked = inputs.map(Tensor.tracked)
    let analytic = objective(tracked).gradients(withRespectTo: tracked)
    for (which, input) in inputs.enumerated() {
        #expect(analytic[which].shape == input.shape, "gradient shape of input \(which)", sourceLocation: sourceLocation)
        for i in 0..<input.count {
            var plus = inputs, minus = inputs
            plus[which].scalars[i] += epsilon
            minus[which].scalars[i] -= epsilon
            let numeric = (objective(plus).scalar - objective(minus).scalar) / (2 * epsilon)
            let got = analytic[which].scalars[i]
            let ok = abs(got - numeric) <= tolerance * max(1, abs(numeric))
            #expect(ok, "input \(which) element \(i): autodiff \(got), finite difference \(numeric)",
                    sourceLocation: sourceLocation)
            if !ok { return }
        }
    }
}

/// A reproducible tensor of uniform values in `[low, high)`.
func randomTensor(_ shape: [Int], seed: UInt64, low: Float = -2, high: Float = 2) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor(shape: shape, scalars: rng.uniform(count: shape.elementCount, low: low, high: high))
}

/// Values kept away from the kinks of piecewise functions (|x| ≥ 0.1 and away from ±3, 6), so finite
/// differences are valid.
func smoothTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var t = randomTensor(shape, seed: seed, low: -2.5, high: 2.5)
    for i in 0..<t.count where abs(t.scalars[i]) < 0.1 { t.scalars[i] += 0.3 }
    return t
}
