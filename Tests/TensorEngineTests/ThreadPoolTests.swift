import Dispatch
import Foundation
import Testing
@testable import TensorEngine

/// The engine's thread pool (`Parallel`, `CThreadPool`) and GEMM split over it: every index runs exactly once,
/// nested and concurrent callers complete, and a product split into blocks of rows or columns equals the plain sum.
@Suite("Thread pool: every chunk once, nested and concurrent callers, GEMM split into blocks")
struct ThreadPoolTests {
    /// How many times each index in `0..<count` ran, from `runs(count)`; each index writes only its own slot.
    static func timesEachIndexRan(_ count: Int, _ runs: (Int, UnsafeMutableBufferPointer<Int>) -> Void) -> [Int] {
        var times = [Int](repeating: 0, count: count)
        times.withUnsafeMutableBufferPointer { runs(count, $0) }
        return times
    }

    @Test func everyIndexRunsExactlyOnce() {
        for count in [1, 2, 3, 17, 1000] {
            let times = Self.timesEachIndexRan(count) { n, slots in Parallel.run(n) { slots[$0] += 1 } }
            #expect(times == [Int](repeating: 1, count: count), "count \(count)")
        }
    }

    @Test func chunksCoverEveryElementOnce() {
        for count in [0, 15, 16_384 * 2 + 5, 100_003] {
            let times = Self.timesEachIndexRan(count) { n, slots in
                Parallel.forEachChunk(n, grain: 1000) { range in for i in range { slots[i] += 1 } }
            }
            #expect(times.allSatisfy { $0 == 1 }, "count \(count)")
        }
    }

    @Test func nestedLoopsRunInlineAndComplete() {
        let times = Self.timesEachIndexRan(4 * 50_000) { _, slots in
            Parallel.run(4) { outer in
                Parallel.forEachChunk(50_000, grain: 100) { range in for i in range { slots[outer * 50_000 + i] += 1 } }
            }
        }
        #expect(times.allSatisfy { $0 == 1 })
    }

    @Test func concurrentCallersEachGetEveryChunk() {
        // Eight threads start loops at once: one holds the pool, the others run theirs alone; all must complete.
        let callers = 8, count = 200_000
        var times = [Int](repeating: 0, count: callers * count)
        times.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: callers) { caller in
                for _ in 0..<5 {
                    Parallel.forEachChunk(count, grain: 1000) { range in
                        for i in range { slots[caller * count + i] += 1 }
                    }
                }
            }
        }
        #expect(times.allSatisfy { $0 == 5 })
    }

    @Test func splitProductsEqualThePlainSum() {
        // Tall (split by rows) and wide (split by columns) products, every transposition, beta 0 and 1.
        for (m, n, k) in [(301, 45, 123), (37, 290, 200)] {
            for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = EngineKernelTests.values(m * k, seed: 3), b = EngineKernelTests.values(k * n, seed: 4)
                let start = EngineKernelTests.values(m * n, seed: 5)
                let (lda, ldb) = (transposeA ? m : k, transposeB ? k : n)
                for beta: Float in [0, 1] {
                    var c = start
                    a.withUnsafeBufferPointer { pa in
                        b.withUnsafeBufferPointer { pb in
                            c.withUnsafeMutableBufferPointer { pc in
                                GEMM.multiply(m: m, n: n, k: k, pa.baseAddress!, lda: lda, transposeA: transposeA,
                                              pb.baseAddress!, ldb: ldb, transposeB: transposeB,
                                              into: pc.baseAddress!, ldc: n, alpha: 0.5, beta: beta)
                            }
                        }
                    }
                    var worst = 0.0
                    for i in 0..<m {
                        for j in 0..<n {
                            var sum = 0.0
                            for p in 0..<k {
                                let x = transposeA ? a[p * m + i] : a[i * k + p]
                                let y = transposeB ? b[j * k + p] : b[p * n + j]
                                sum += Double(x) * Double(y)
                            }
                            let expected = 0.5 * sum + Double(beta) * Double(start[i * n + j])
                            worst = Swift.max(worst, abs(Double(c[i * n + j]) - expected))
                        }
                    }
                    #expect(worst < 1e-3, "m \(m) n \(n) k \(k) tA \(transposeA) tB \(transposeB) beta \(beta): \(worst)")
                }
            }
        }
    }

    /// Inside `FloatMode.flushingSubnormals()` every thread of a job flushes subnormals (Keras's CPU backends do), the
    /// workers included; after `restore()` the calling thread keeps them again.
    @Test func workersComputeInTheCallersFloatMode() {
        let factors: [Float] = [1e-20, 1e-21]   // read at run time: 1e-20 × 1e-20 = 1e-40 is subnormal
        let caller = pthread_self()
        var workerRan = false
        // Another test's job may hold the pool (tests run in parallel); then a job runs on its caller alone: retry.
        for _ in 0..<50 where !workerRan {
            var products = [Float](repeating: -1, count: 8)
            var onCaller = [Bool](repeating: true, count: 8)
            let mode = FloatMode.flushingSubnormals()
            products.withUnsafeMutableBufferPointer { out in
                onCaller.withUnsafeMutableBufferPointer { ranHere in
                    Parallel.run(8) { i in
                        usleep(2000)   // long enough that an idle worker claims some of the indices
                        out[i] = factors[0] * factors[i % 2]
                        ranHere[i] = pthread_equal(pthread_self(), caller) != 0
                    }
                }
            }
            mode.restore()
            #expect(products.allSatisfy { $0 == 0 }, "\(products) (ran on the caller: \(onCaller))")
            workerRan = onCaller.contains(false)
        }
        if Parallel.threadCount > 1 { #expect(workerRan, "no index ran on a worker in 50 jobs") }
        #expect(factors[0] * factors[1] != 0, "restore() should bring subnormal results back on this thread")
    }
}
