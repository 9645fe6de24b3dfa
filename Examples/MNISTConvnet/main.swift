// keras.io's "Simple MNIST convnet" (mnist_convnet), ported line for line.
//
//   swift run -c release mnist-convnet [--epochs 15] [--data path/to/mnist.npz] [--seed 1] [--output mnist_convnet.keras]
import Foundation
import Keras

AllocatorTuning.apply()   // a program that owns its process opts in to reusing freed tensor buffers

let arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), arguments.index(after: i) < arguments.endIndex else { return nil }
    return arguments[arguments.index(after: i)]
}
let epochs = option("--epochs").flatMap(Int.init) ?? 15
let output = option("--output") ?? "mnist_convnet.keras"
let seed = option("--seed").flatMap(UInt64.init)

do {
    // Model / data parameters
    let numClasses = 10
    let inputShape = [28, 28, 1]
    // (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    var mnist = try MNIST.load(path: option("--data"))
    // Scale images to the [0, 1] range and make sure images have shape (28, 28, 1) (in place: no second copy)
    mnist.preprocess(sampleShape: inputShape)
    let (xTrain, xTest) = (mnist.xTrain, mnist.xTest)
    print("x_train shape: \(xTrain.shape)")
    print("\(xTrain.shape[0]) train samples")
    print("\(xTest.shape[0]) test samples")
    // convert class vectors to binary class matrices
    let yTrain = try toCategorical(mnist.yTrain, numClasses: numClasses)
    let yTest = try toCategorical(mnist.yTest, numClasses: numClasses)

    if let seed { setRandomSeed(seed) }  // keras.utils.set_random_seed(seed)
    let model = try Sequential([
        Input(shape: inputShape),
        Conv2D(32, kernelSize: [3, 3], activation: .relu),
        MaxPooling2D(poolSize: [2, 2]),
        Conv2D(64, kernelSize: [3, 3], activation: .relu),
        MaxPooling2D(poolSize: [2, 2]),
        Flatten(),
        Dropout(0.5),
        Dense(numClasses, activation: .softmax),
    ])
    print(model.summary())
    print("gemm_kernel: \(GEMM.kernel)")   // which GEMM library and instruction set run here

    let batchSize = 128
    model.compile(optimizer: Adam(), loss: .categoricalCrossentropy(), metrics: [Metric(.accuracy)])
    let history = try model.fit(x: xTrain, y: yTrain, batchSize: batchSize, epochs: epochs, validationSplit: 0.1,
                                seed: seed, progress: .automatic())

    let score = try model.evaluate(x: xTest, y: yTest)
    print("Test loss: \(String(format: "%.4f", score["loss"] ?? .nan))")
    print("Test accuracy: \(String(format: "%.4f", score["accuracy"] ?? .nan))")
    let seconds = history.epochSeconds
    print("epoch_seconds: " + seconds.map { String(format: "%.3f", $0) }.joined(separator: " epoch_seconds: "))
    if !seconds.isEmpty {
        print(String(format: "Seconds per epoch: %.2f (mean), %.2f (last)", seconds.reduce(0, +) / Double(seconds.count), seconds.last ?? 0))
    }
    try model.save(to: output)
    print("Saved \(output)")
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
