import Foundation
import Testing
@testable import Keras

/// Each case in `Fixtures/finetune/steps` (tools/make_finetune_fixtures.py): three optimizer steps by Keras with
/// regularizers, constraints, a learning-rate schedule, class or sample weights; Swift must reach Keras's weights,
/// optimizer slots and logged values.
struct FineTuningFixtureTests {
    static let cases: [String] = {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixture("finetune/steps"))) ?? []).sorted()
    }()

    @Test func everyCaseIsThere() {
        #expect(Self.cases.count >= 30)
        #expect(Self.cases.filter { $0.hasPrefix("metrics_") }.count == 3)
        #expect(Self.cases.filter { $0.hasPrefix("loss_") }.count == 11)
        #expect(Self.cases.filter { $0.hasPrefix("regularizers_") }.count == 5)
        #expect(Self.cases.filter { $0.hasPrefix("schedule_") }.count >= 10)
    }

    @Test("three steps with regularizers, schedules and weights reach Keras's weights and slots", arguments: cases)
    func threeStepsMatchKeras(_ name: String) throws {
        try expectThreeStepsMatchKeras(fixture("finetune/steps/\(name)"), name)
    }
}
