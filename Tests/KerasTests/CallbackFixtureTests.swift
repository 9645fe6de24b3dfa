import Foundation
import Testing
@testable import Keras

/// `Fixtures/finetune/callbacks/early_stopping` (tools/make_finetune_fixtures.py): Keras trained with
/// EarlyStopping(val_loss, patience 3, restore_best_weights), ReduceLROnPlateau(loss, factor 0.5, patience 1,
/// min_delta 0.1), CSVLogger and ModelCheckpoint(save_best_only, formatted names) on separate validation arrays.
struct CallbackFixtureTests {
    static let folder = fixture("finetune/callbacks/early_stopping")

    @Test func earlyStoppingRunMatchesKeras() throws {
        let model = try Model.load(from: "\(Self.folder)/initial.keras")
        let array = { (name: String) in try NPY.read(path: "\(Self.folder)/\(name).npy").tensor() }
        let logged = try JSON.parse(Array(try #require(FileManager.default.contents(atPath: "\(Self.folder)/history.json"))))
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("callbacks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        let early = EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true)
        let checkpoint = try ModelCheckpoint("\(work)/best-{epoch:02d}-{val_loss:.2f}.keras", saveBestOnly: true)
        let callbacks: [any Callback] = [early, try ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 1, minDelta: 0.1),
                                         CSVLogger("\(work)/log.csv"), checkpoint]
        let history = try model.fit(x: try array("x"), y: try array("y"), batchSize: 8, epochs: 40,
                                    validationData: (try array("x_val"), try array("y_val")), shuffle: false, callbacks: callbacks)

        // Stops after the same epoch, restores the same best epoch's weights.
        let epochsRun = try #require(logged["epochs_run"]?.intValue)
        #expect(history["loss"].count == epochsRun)
        #expect(early.bestEpoch == logged["best_epoch"]?.intValue)
        let keras = try Model.load(from: "\(Self.folder)/final.keras")
        for (i, (mine, theirs)) in zip(model.allWeights, keras.allWeights).enumerated() {
            expectAllClose(mine.value, theirs.value, "restored weight \(i)")
        }
        // The logs per epoch, learning_rate from ReduceLROnPlateau included.
        let expected = try #require(logged["history"]?.objectValue)
        #expect(Set(expected.keys) == Set(history.names))
        for (name, values) in expected {
            for (epoch, value) in (values.arrayValue ?? []).enumerated() {
                let got = epoch < history[name].count ? history[name][epoch] : .nan
                #expect(abs(got - (value.doubleValue ?? .nan)) <= 1e-4 * max(1, abs(got)), "\(name) at epoch \(epoch): \(got) vs Keras \(value)")
            }
        }
        // CSVLogger: Keras's header and rows, values within tolerance.
        let mineCSV = try String(contentsOfFile: "\(work)/log.csv", encoding: .utf8)
        let theirsCSV = try String(contentsOfFile: "\(Self.folder)/log.csv", encoding: .utf8)
        let rows = { (text: String) in text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") } }
        let (mineRows, theirRows) = (rows(mineCSV), rows(theirsCSV))
        #expect(mineCSV.hasSuffix("\r\n"))
        #expect(mineRows.first == theirRows.first)
        #expect(mineRows.count == theirRows.count)
        for (a, b) in zip(mineRows.dropFirst(), theirRows.dropFirst()) {
            #expect(a.first == b.first)
            for (x, y) in zip(a.dropFirst(), b.dropFirst()) {
                #expect(abs((Double(x) ?? .nan) - (Double(y) ?? .nan)) <= 1e-4, "CSV \(x) vs Keras \(y)")
            }
        }
        // ModelCheckpoint: the same files, the best one with Keras's weights.
        let names = (logged["checkpoints"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(checkpoint.savedPaths.map { ($0 as NSString).lastPathComponent } == names)
        let best = try Model.load(from: try #require(checkpoint.savedPaths.last))
        let kerasBest = try Model.load(from: "\(Self.folder)/\(try #require(names.last))")
        for (i, (mine, theirs)) in zip(best.allWeights, kerasBest.allWeights).enumerated() {
            expectAllClose(mine.value, theirs.value, "checkpoint weight \(i)")
        }
    }
}
