import Foundation
import Testing
@testable import Keras

/// The `keras` command line: results match Keras, and every failure is one `error:` line, a non-zero exit,
/// and no output file.
@Suite(.serialized)
struct CLITests {
    let files: BrokenFiles
    init() throws { files = try BrokenFiles() }

    @Test func predictWritesKerasOutputs() throws {
        let output = files.path("y.npy")
        let r = try CLIRunner.run(["predict", fixture("models/dense_gelu.keras"), "--input", fixture("models/dense_gelu.input.npy"), "--output", output])
        #expect(r.status == 0, "\(r.stderr)")
        expectAllClose(try NPY.read(path: output).tensor(), try NPY.read(path: fixture("models/dense_gelu.output.npy")).tensor(), "keras predict")
    }

    @Test func predictTakesOneInputPerModelInputAndWritesOneFilePerOutput() throws {
        let two = "functional/two_inputs"
        let output = files.path("two.npy")
        var r = try CLIRunner.run(["predict", fixture("\(two).keras"), "--input", fixture("\(two).input_0.npy"),
                                   "--input", fixture("\(two).input_1.npy"), "--output", output])
        #expect(r.status == 0, "\(r.stderr)")
        expectAllClose(try NPY.read(path: output).tensor(), try NPY.read(path: fixture("\(two).output_0.npy")).tensor(), "two inputs")

        let heads = [files.path("head_a.npy"), files.path("head_b.npy")]
        r = try CLIRunner.run(["predict", fixture("functional/two_outputs.keras"), "--input", fixture("functional/two_outputs.input_0.npy"),
                               "--output", heads[0], "--output", heads[1]])
        #expect(r.status == 0, "\(r.stderr)")
        for (j, path) in heads.enumerated() {
            expectAllClose(try NPY.read(path: path).tensor(), try NPY.read(path: fixture("functional/two_outputs.output_\(j).npy")).tensor(), "output \(j)")
        }

        r = try CLIRunner.run(["predict", fixture("\(two).keras"), "--input", fixture("\(two).input_0.npy"), "--output", files.path("never.npy")])
        #expect(r.status != 0)
        #expect(r.stderr.contains("the model has 2 inputs; give --input 2 times"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: files.path("never.npy")))
    }

    @Test func summaryPrintsKerasTable() throws {
        let r = try CLIRunner.run(["summary", fixture("seed/seed_mnist.keras")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Total params: 1,062,934 (4.05 MB)"))
        #expect(r.stdout.contains("│ antirectifier_2 (Antirectifier) │ (None, 256)            │       131,072 │"))
    }

    @Test("each failure is one error line, exit 1, no output file", arguments: [
        ["predict", "NOT_A_MODEL", "--input", "X", "--output", "OUT"],
        ["predict", "GARBAGE", "--input", "X", "--output", "OUT"],
        ["predict", "MODEL", "--input", "MODEL", "--output", "OUT"],
        ["predict", "MODEL", "--input", "WIDE", "--output", "OUT"],
        ["predict", "MODEL", "--input", "X", "--output", "OUT", "--batch-size", "0"],
        ["summary", "UNKNOWN_LAYER"],
        ["evaluate", "MODEL", "--x", "X", "--y", "BADLABELS"],
        ["fit", "MODEL", "--x", "X", "--y", "SHORT", "--output", "OUT"],
    ])
    func failuresAreOneLine(_ template: [String]) throws {
        let model = fixture("training/adam_sparse/initial.keras")
        let x = fixture("training/adam_sparse/x.npy")
        let substitutions: [String: String] = [
            "MODEL": model, "X": x, "OUT": files.path("out.file"),
            "GARBAGE": try files.write("garbage.keras", Array("PK garbage".utf8)),
            "WIDE": try files.write("wide.npy", NPY.bytes(floats: [Float](repeating: 0, count: 14), shape: [2, 7])),
            "BADLABELS": try files.write("labels.npy", NPY.bytes(floats: [Float](repeating: 9, count: 24), shape: [24])),
            "SHORT": try files.write("short.npy", NPY.bytes(floats: [0, 1], shape: [2])),
            "UNKNOWN_LAYER": try files.editConfig(model, as: "unknown.keras") { $0.replacingOccurrences(of: "\"Dense\"", with: "\"Densest\"") },
        ]
        let arguments = template.map { substitutions[$0] ?? $0 }
        let r = try CLIRunner.run(arguments)
        #expect(r.status != 0)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.first?.hasPrefix("error: ") == true, "stderr: \(r.stderr)")
        #expect(lines.count == (template.contains("UNKNOWN_LAYER") ? 2 : 1), "stderr: \(r.stderr)")
        if lines.count == 2 { #expect(lines[1].hasPrefix("hint: ")) }
        #expect(!r.stderr.contains("HDF5-DIAG"))
        #expect(!FileManager.default.fileExists(atPath: files.path("out.file")))
    }

    @Test func fitTrainsWithTheFileCompileConfigAndSaves() throws {
        let name = "sgd_momentum_sparse"
        let output = files.path("trained.keras")
        let r = try CLIRunner.run(["fit", fixture("training/\(name)/initial.keras"), "--x", fixture("training/\(name)/x.npy"),
                                   "--y", fixture("training/\(name)/y.npy"), "--output", output, "--batch-size", "8", "--no-shuffle", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSON.parse(r.stdout)
        let loss = json["history"]?["loss"]?.arrayValue?.first?.doubleValue
        let keras = try JSON.parse(Array(FileManager.default.contents(atPath: fixture("training/\(name)/history.json")) ?? Data()))
        let kerasLoss = try #require(keras["history"]?["loss"]?.arrayValue?.first?.doubleValue)
        #expect(abs((loss ?? .nan) - kerasLoss) < 1e-4)
        #expect(json["history"]?["accuracy"] != nil)
        #expect(json["epoch_seconds"]?.arrayValue?.count == 1)
        let trained = try Model.load(from: output)
        #expect(trained.optimizer?.iterations == 3)
    }

    /// `Fixtures/finetune/callbacks/cli_recipe`: the fine-tuning flags against the same run in Keras (freeze `base`,
    /// recompile at a fixed rate replacing the file's schedule, class weights, early stopping with restored
    /// weights, best checkpoint, CSV log, separate validation arrays).
    @Test func fitFineTuningFlagsMatchKeras() throws {
        let folder = fixture("finetune/callbacks/cli_recipe")
        let (output, best, log) = (files.path("tuned.keras"), files.path("best.keras"), files.path("log.csv"))
        let r = try CLIRunner.run(["fit", "\(folder)/initial.keras", "--x", "\(folder)/x.npy", "--y", "\(folder)/y.npy",
                                   "--validation-x", "\(folder)/x_val.npy", "--validation-y", "\(folder)/y_val.npy",
                                   "--freeze", "base", "--learning-rate", "0.01", "--early-stopping", "2", "--checkpoint", best,
                                   "--csv-log", log, "--class-weight", #"{"0": 1.0, "1": 2.0, "2": 0.5}"#,
                                   "--epochs", "30", "--batch-size", "8", "--no-shuffle", "--output", output, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let keras = try JSON.parse(Array(FileManager.default.contents(atPath: "\(folder)/history.json") ?? Data()))
        let mine = try JSON.parse(r.stdout)
        for (name, values) in keras["history"]?.objectValue ?? JSONObject() {
            let got = mine["history"]?[name]?.arrayValue?.compactMap(\.doubleValue) ?? []
            let expected = values.arrayValue?.compactMap(\.doubleValue) ?? []
            #expect(got.count == expected.count, "\(name): \(got) vs Keras \(expected)")
            for (a, b) in zip(got, expected) { #expect(abs(a - b) <= 1e-4 * max(1, abs(b)), "\(name): \(a) vs Keras \(b)") }
        }
        for (file, kerasFile) in [(output, "final.keras"), (best, "best.keras")] {
            let (a, b) = (try Model.load(from: file), try Model.load(from: "\(folder)/\(kerasFile)"))
            #expect(a.layers[0].trainable == false)
            for (i, (m, k)) in zip(a.allWeights, b.allWeights).enumerated() { expectAllClose(m.value, k.value, "\(kerasFile) weight \(i)") }
            #expect(a.optimizer?.schedule == nil)
            #expect(a.optimizer?.learningRate == 0.01)
        }
        let csv = try String(contentsOfFile: log, encoding: .utf8)
        let kerasCSV = try String(contentsOfFile: "\(folder)/log.csv", encoding: .utf8)
        #expect(csv.components(separatedBy: "\r\n").first == kerasCSV.components(separatedBy: "\r\n").first)
        #expect(csv.components(separatedBy: "\r\n").count == kerasCSV.components(separatedBy: "\r\n").count)
    }

    @Test("fine-tuning flags refuse bad values in one line", arguments: [
        ["--freeze", "nope"], ["--class-weight", "[1, 2]"], ["--validation-x", "X"], ["--checkpoint", "best.txt"], ["--learning-rate", "0"],
    ])
    func badFineTuningFlags(_ extra: [String]) throws {
        let folder = fixture("finetune/callbacks/cli_recipe")
        let out = files.path("never.keras")
        let r = try CLIRunner.run(["fit", "\(folder)/initial.keras", "--x", "\(folder)/x.npy", "--y", "\(folder)/y.npy", "--output", out]
                                  + extra.map { $0 == "X" ? "\(folder)/x_val.npy" : $0 })
        #expect(r.status != 0)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("error: "), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func evaluatePrintsJSON() throws {
        let r = try CLIRunner.run(["evaluate", fixture("training/adam_sparse/final.keras"), "--x", fixture("training/adam_sparse/x.npy"),
                                   "--y", fixture("training/adam_sparse/y.npy"), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSON.parse(r.stdout)
        #expect(json.objectValue?.keys == ["loss", "sparse_categorical_accuracy"])
    }
}
