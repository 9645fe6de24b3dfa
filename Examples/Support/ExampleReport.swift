import Foundation
import Keras

/// What every example prints and saves after training: the test scores, the seconds per epoch (the lines the
/// benchmarks read), the saved model and, with `--plot`, the training curves and with `--predictions` the model's
/// predictions on `testImages`.
public func reportAndSave(_ model: Model, history: History, test: TrainingLogs, testImages: Tensor, options: MNISTExampleOptions,
                          defaultOutput: String, title: String) throws {
    print("Test " + test.pairs.map { "\($0.0): \(String(format: "%.4f", $0.1))" }.joined(separator: " - "))
    let seconds = history.epochSeconds
    print("epoch_seconds: " + seconds.map { String(format: "%.3f", $0) }.joined(separator: " epoch_seconds: "))
    if !seconds.isEmpty {
        print(String(format: "Seconds per epoch: %.2f (mean), %.2f (last)", seconds.reduce(0, +) / Double(seconds.count), seconds.last ?? 0))
    }
    let output = options.output ?? defaultOutput
    try model.save(to: output)
    print("Saved \(output)")
    if let plot = options.plot {   // the training curves, as the Keras guide plots history.history
        try AtomicFile.write(Array(history.curvesSVG(title: title).utf8), to: plot)
        print("Saved \(plot)")
    }
    if let predictions = options.predictions {
        try NPY.write(try model.predict(testImages, batchSize: 128), to: predictions)
        print("Saved \(predictions)")
    }
}
