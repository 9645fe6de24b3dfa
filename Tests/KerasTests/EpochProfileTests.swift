import Testing
import TensorEngine
@testable import Keras

/// `KERAS_PROFILE=1`'s per-epoch breakdown: phases are timed, GEMM time is counted inside them. (The GEMM counter is
/// the process's: products of tests running at the same time count too, so only their presence is checked.)
struct EpochProfileTests {
    @Test func aPhaseWithProductsReportsTheirTimeAndTheRestIsOther() throws {
        let wasEnabled = GEMMClock.isEnabled
        GEMMClock.isEnabled = true
        defer { GEMMClock.isEnabled = wasEnabled }
        let profile = EpochProfile()
        let a = Tensor(shape: [256, 256], scalars: (0..<65536).map { Float($0 % 7) })
        let product = profile.measure(.forward) { Tensor.matmul(a, a) }
        #expect(product.shape == [256, 256])
        profile.measure(.optimizer) { _ = a.scalars.reduce(0, +) }
        let line = profile.report(epoch: 3, total: 10)
        #expect(line.hasPrefix("profile epoch 3: 10.000 s = forward "))
        let forward = try #require(line.split(separator: "+").first { $0.contains("forward") })
        #expect(forward.contains("(GEMM "), "the product's time is counted: \(line)")
        #expect(line.contains("+ other 9.9") || line.contains("+ other 10.0"), "\(line)")
        #expect(profile.report(epoch: 4, total: 1).contains("forward 0.000 +"), "each report starts the phases again")
    }
}
