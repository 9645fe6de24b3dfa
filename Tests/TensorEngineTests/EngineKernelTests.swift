import Foundation
import Testing
@testable import TensorEngine

/// The engine's fast paths (GEMM's kernel choice, loops split over the cores, vector update rules) checked against
/// plain reference loops, on sizes large enough to take the parallel and vector paths the small gradient-check
/// tensors never reach.
@Suite("Engine kernels: CPU-specific GEMM, parallel and vector loops")
struct EngineKernelTests {
    /// The CPU's feature flags as Linux reports them (empty elsewhere).
    static let cpuFlags: Set<String> = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(line.split(separator: ":").last?.split(separator: " ").map(String.init) ?? [])
    }()

    @Test func gemmRunsVectorKernelsOnCPUsWithAVX2() {
        // On a CPU with AVX2 (or AVX-512) a generic SSE kernel would be 3-5x slower: that must fail here.
        if Self.cpuFlags.contains("avx2") {
            #expect(GEMM.usesVectorFMA, "GEMM runs generic kernels (\(GEMM.kernel)) on a CPU with AVX2")
        }
        #expect(GEMM.kernel.hasPrefix("oneDNN "))
    }

    /// Deterministic pseudo-random values in [-1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        return (0..<count).map { _ in rng.nextUnitFloat() * 2 - 1 }
    }

    @Test func largeMatmulMatchesNaiveProduct() {
        let (m, k, n) = (130, 300, 70)
        let a = Tensor(shape: [m, k], scalars: Self.values(m * k, seed: 1))
        let b = Tensor(shape: [n, k], scalars: Self.values(n * k, seed: 2))
        let c = Tensor.matmul(a, b, transposeB: true)
        var worst: Double = 0
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum += Double(a.scalars[i * k + p]) * Double(b.scalars[j * k + p]) }
                worst = max(worst, abs(sum - Double(c.scalars[i * n + j])))
            }
        }
        #expect(worst < 1e-4)
    }

    @Test func largeBroadcastsReductionsAndUnaryOpsMatchReferenceLoops() {
        // More than two threads' worth of elements (Parallel.grain each), rows not a multiple of the chunk alignment.
        let (rows, width) = (1031, 600)
        #expect(rows * width > 2 * Parallel.grain)
        let x = Tensor(shape: [rows, width], scalars: Self.values(rows * width, seed: 3))
        let bias = Tensor(shape: [width], scalars: Self.values(width, seed: 4))
        let column = Tensor(shape: [rows, 1], scalars: Self.values(rows, seed: 5))
        let plusBias = x + bias, minusColumn = x - column, columnMinus = column - x, relu = x.relu()
        let rowSums = x.sum(alongAxis: -1), columnSums = x.sum(alongAxis: 0), maxima = x.max(alongAxis: -1)
        let tiled = column.broadcast(to: [rows, width])
        var wrong: [String: Int] = [:]   // mismatches per result
        for r in 0..<rows {
            var sum = 0.0
            for j in 0..<width {
                let i = r * width + j, v = x.scalars[i]
                if plusBias.scalars[i] != v + bias.scalars[j] { wrong["plusBias", default: 0] += 1 }
                if minusColumn.scalars[i] != v - column.scalars[r] { wrong["minusColumn", default: 0] += 1 }
                if columnMinus.scalars[i] != column.scalars[r] - v { wrong["columnMinus", default: 0] += 1 }
                if relu.scalars[i] != max(v, 0) { wrong["relu", default: 0] += 1 }
                if tiled.scalars[i] != column.scalars[r] { wrong["tiled", default: 0] += 1 }
                sum += Double(v)
            }
            if abs(Double(rowSums.scalars[r]) - sum) >= 1e-3 { wrong["rowSums", default: 0] += 1 }
            if maxima.scalars[r] != x.scalars[(r * width)..<((r + 1) * width)].max() { wrong["maxima", default: 0] += 1 }
        }
        for j in 0..<width {
            let sum = (0..<rows).reduce(0.0) { $0 + Double(x.scalars[$1 * width + j]) }
            if abs(Double(columnSums.scalars[j]) - sum) >= 1e-3 { wrong["columnSums", default: 0] += 1 }
        }
        #expect(wrong.isEmpty, "mismatches: \(wrong)")
    }

    @Test func largeConcatenateAndSliceRoundTrip() {
        let a = Tensor(shape: [200, 256], scalars: Self.values(200 * 256, seed: 6))
        let b = Tensor(shape: [200, 256], scalars: Self.values(200 * 256, seed: 7))
        let joined = Tensor.concatenate([a, b], alongAxis: -1)
        #expect(joined.shape == [200, 512])
        #expect(joined.slice(alongAxis: 1, from: 0, count: 256).scalars == a.scalars)
        #expect(joined.slice(alongAxis: 1, from: 256, count: 256).scalars == b.scalars)
        #expect(joined.scalars[256..<512].elementsEqual(b.scalars[0..<256]))
    }

    @Test func rmspropUpdateRuleEqualsTheScalarFormulaBitForBit() {
        let n = 100_003   // several parallel chunks and a partial vector at the end
        let g = Self.values(n, seed: 8)
        for (momentum, centered) in [(false, false), (true, false), (false, true), (true, true)] {
            var w = Self.values(n, seed: 9), v = Self.values(n, seed: 10).map { abs($0) + 0.02 }, m = Self.values(n, seed: 11)
            var a = Self.values(n, seed: 12).map { $0 * 0.1 }
            var (rw, rv, rm, ra) = (w, v, m, a)
            let (lr, rho, oneMinusRho, eps, mu): (Float, Float, Float, Float, Float) = (0.001, 0.9, Float(1 - 0.9), 1e-7, 0.5)
            w.withUnsafeMutableBufferPointer { w in v.withUnsafeMutableBufferPointer { v in
                m.withUnsafeMutableBufferPointer { m in a.withUnsafeMutableBufferPointer { a in g.withUnsafeBufferPointer { g in
                    // Two segments (an odd split) updated in one pass, as an optimizer updates its variables.
                    let split = 40_001
                    let segments = [(0, split), (split, n - split)].map { start, count in
                        UpdateRules.Segment(weights: w.baseAddress! + start,
                                            slots: (v.baseAddress! + start, momentum ? m.baseAddress! + start : nil, centered ? a.baseAddress! + start : nil),
                                            gradient: g.baseAddress! + start, count: count)
                    }
                    UpdateRules.rmsprop(segments, learningRate: lr, rho: rho, oneMinusRho: oneMinusRho, epsilon: eps, momentumCoefficient: mu)
                } } }
            } }
            for k in 0..<n {
                rv[k] = rho * rv[k] + oneMinusRho * (g[k] * g[k])
                var denominator = rv[k] + eps
                if centered { ra[k] = rho * ra[k] + oneMinusRho * g[k]; denominator = rv[k] - ra[k] * ra[k] + eps }
                let increment = lr * g[k] / denominator.squareRoot()
                if momentum { rm[k] = mu * rm[k] + increment; rw[k] -= rm[k] } else { rw[k] -= increment }
            }
            #expect(w == rw && v == rv && m == rm && a == ra, "momentum \(momentum), centered \(centered)")
        }
    }
}
