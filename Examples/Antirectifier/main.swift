// The seed example, keras.io's "Simple custom layer example: Antirectifier" (2023), ported line for line.
//
//   swift run -c release antirectifier [--epochs 20] [--data path/to/mnist.npz] [--output antirectifier.keras]
//                                      [--plot curves.svg]
import Foundation
import Keras

AllocatorTuning.apply()   // a program that owns its process opts in to reusing freed tensor buffers

let arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), arguments.index(after: i) < arguments.endIndex else { return nil }
    return arguments[arguments.index(after: i)]
}
let epochs = option("--epochs").flatMap(Int.init) ?? 20
let output = option("--output") ?? "antirectifier.keras"
let seed = option("--seed").flatMap(UInt64.init)

do {
    // (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    var mnist = try MNIST.load(path: option("--data"))
    // x_train = x_train.reshape(-1, 784).astype("float32") / 255, likewise x_test (in place: no second copy)
    mnist.preprocess()
    let (xTrain, xTest) = (mnist.xTrain, mnist.xTest)

    if let seed { setRandomSeed(seed) }  // keras.utils.set_random_seed(seed)
    let model = try Sequential([
        Input(shape: [784]),
        Dense(256),
        Antirectifier(),
        Dense(256),
        Antirectifier(),
        Dropout(0.5),
        Dense(10),
    ])
    model.compile(
        optimizer: RMSprop(),
        loss: .sparseCategoricalCrossentropy(fromLogits: true),
        metrics: [Metric(.sparseCategoricalAccuracy)]
    )
    print(model.summary())
    print("gemm_kernel: \(GEMM.kernel)")   // which GEMM library and instruction set run here
    let history = try model.fit(x: xTrain, y: mnist.yTrain, batchSize: 128, epochs: epochs, validationSplit: 0.15,
                                seed: seed, progress: .automatic())
    let test = try model.evaluate(x: xTest, y: mnist.yTest, batchSize: 128)
    print("Test " + test.pairs.map { "\($0.0): \(String(format: "%.4f", $0.1))" }.joined(separator: " - "))
    let seconds = history.epochSeconds
    print("epoch_seconds: " + seconds.map { String(format: "%.3f", $0) }.joined(separator: " epoch_seconds: "))
    if !seconds.isEmpty {
        print(String(format: "Seconds per epoch: %.2f (mean), %.2f (last)", seconds.reduce(0, +) / Double(seconds.count), seconds.last ?? 0))
    }
    try model.save(to: output)
    print("Saved \(output)")
    if let plot = option("--plot") {   // the training curves, as the Keras guide plots history.history
        try AtomicFile.write(Array(history.curvesSVG(title: "The seed recipe: \(epochs) epochs").utf8), to: plot)
        print("Saved \(plot)")
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
