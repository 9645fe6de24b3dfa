// The classic Keras recurrent MNIST model: each 28×28 image read as 28 time steps of 28 features by an LSTM(128),
// then Dense(10) — the same recipe as tools/run_mnist_lstm.py, which runs it in Python Keras.
//
//   swift run -c release mnist-lstm [--epochs 5] [--data path/to/mnist.npz] [--seed 1] [--output mnist_lstm.keras]
import Foundation
import Keras

let arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), arguments.index(after: i) < arguments.endIndex else { return nil }
    return arguments[arguments.index(after: i)]
}
let epochs = option("--epochs").flatMap(Int.init) ?? 5
let output = option("--output") ?? "mnist_lstm.keras"
let seed = option("--seed").flatMap(UInt64.init)

do {
    let numClasses = 10
    // (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data(); x / 255 as (samples, 28 steps, 28 features)
    var mnist = try MNIST.load(path: option("--data"))
    mnist.preprocess(sampleShape: [28, 28])
    let (xTrain, xTest) = (mnist.xTrain, mnist.xTest)
    print("x_train shape: \(xTrain.shape)")

    if let seed { setRandomSeed(seed) }  // keras.utils.set_random_seed(seed)
    let model = try Sequential([
        Input(shape: [28, 28]),
        LSTM(128),
        Dense(numClasses),
    ])
    print(model.summary())

    model.compile(optimizer: Adam(), loss: .sparseCategoricalCrossentropy(fromLogits: true), metrics: [Metric(.accuracy)])
    let history = try model.fit(x: xTrain, y: mnist.yTrain, batchSize: 128, epochs: epochs, validationSplit: 0.1,
                                seed: seed, progress: .automatic())

    let score = try model.evaluate(x: xTest, y: mnist.yTest)
    print("Test loss: \(String(format: "%.4f", score["loss"] ?? .nan))")
    print("Test accuracy: \(String(format: "%.4f", score["accuracy"] ?? .nan))")
    let seconds = history.epochSeconds
    print("epoch_seconds: " + seconds.map { String(format: "%.3f", $0) }.joined(separator: " "))
    if !seconds.isEmpty {
        print(String(format: "Seconds per epoch: %.2f (mean), %.2f (last)", seconds.reduce(0, +) / Double(seconds.count), seconds.last ?? 0))
    }
    try model.save(to: output)
    print("Saved \(output)")
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
