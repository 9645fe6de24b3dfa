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

/// `Fixtures/finetune/keras2` (tools/make_finetune_keras2_fixture.py): a genuine Keras 2 `.h5` with regularizers,
/// constraints, activity regularization and a learning-rate schedule loads compiled, predicts and evaluates as
/// Keras 2 did (the loss includes the penalties).
struct Keras2RegularizedFileTests {
    @Test func loadsPredictsAndEvaluatesAsKeras2() throws {
        let folder = fixture("finetune/keras2")
        let model = try Model.load(from: "\(folder)/regularized.h5")
        let x = try NPY.read(path: "\(folder)/x.npy").tensor(), y = try NPY.read(path: "\(folder)/y.npy").tensor()
        expectAllClose(try model.predict(x), try NPY.read(path: "\(folder)/output.npy").tensor(), "Keras 2 predictions")
        let result = try JSON.parse(Array(try #require(FileManager.default.contents(atPath: "\(folder)/keras2_result.json"))))
        #expect(model.optimizer?.schedule is ExponentialDecay)
        #expect(model.optimizer?.iterations == result["iterations"]?.intValue)
        #expect(model.layers[0].weightRegularizers.count == 2 && model.layers[0].weightConstraints.count == 2)
        #expect(model.layers[2] is ActivityRegularization)
        let logs = try model.evaluate(x: x, y: y, batchSize: 8)
        for (name, value) in result["evaluate"]?.objectValue ?? JSONObject() {
            #expect(abs((logs[name] ?? .nan) - (value.doubleValue ?? .nan)) <= 1e-4, "\(name): \(logs[name] ?? .nan) vs Keras 2 \(value)")
        }
    }
}
