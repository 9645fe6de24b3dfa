// The project's first seed: the original (2016) Keras example "Antirectifier", ported line for line.
//
//   swift run -c release antirectifier2016 [--epochs 40] [--data path/to/mnist.npz] [--seed N] [--output antirectifier2016.keras]
import Foundation
import Keras

AllocatorTuning.apply()   // a program that owns its process opts in to reusing freed tensor buffers

let arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
let batchSize = 128
let numClasses = 10
let epochs = option("--epochs").flatMap(Int.init) ?? 40
let output = option("--output") ?? "antirectifier2016.keras"

do {
    if let seed = option("--seed").flatMap(UInt64.init) { setRandomSeed(seed) }
    // (x_train, y_train), (x_test, y_test) = mnist.load_data()
    var mnist = try MNIST.load(path: option("--data"))
    // x_train = x_train.reshape(60000, 784).astype('float32') / 255, likewise x_test (in place: no second copy)
    mnist.preprocess()
    let (xTrain, xTest) = (mnist.xTrain, mnist.xTest)
    // y_train = keras.utils.to_categorical(y_train, num_classes), likewise y_test
    let yTrain = try toCategorical(mnist.yTrain, numClasses: numClasses)
    let yTest = try toCategorical(mnist.yTest, numClasses: numClasses)

    let model = try Sequential([
        Input(shape: [784]),
        Dense(256),
        Antirectifier2016(),
        Dropout(0.1),
        Dense(256),
        Antirectifier2016(),
        Dropout(0.1),
        Dense(numClasses),
        Activation(.softmax),
    ])
    model.compile(optimizer: RMSprop(), loss: .categoricalCrossentropy(), metrics: [Metric(.accuracy)])
    print(model.summary())
    let history = try model.fit(x: xTrain, y: yTrain, batchSize: batchSize, epochs: epochs,
                                validationData: (xTest, yTest), seed: option("--seed").flatMap(UInt64.init),
                                progress: .automatic())
    let test = try model.evaluate(x: xTest, y: yTest, batchSize: batchSize)
    print("Test " + test.pairs.map { "\($0.0): \(String(format: "%.4f", $0.1))" }.joined(separator: " - "))
    print("epoch_seconds: " + history.epochSeconds.map { String(format: "%.3f", $0) }.joined(separator: " epoch_seconds: "))
    try model.save(to: output)
    print("Saved \(output)")
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
