import ArgumentParser
import Keras

/// The options every MNIST example takes (parsed by swift-argument-parser): where the data is, how long to
/// train, the seed, where to save the model and its training curves, and a slice of the data for a quick run.
public struct MNISTExampleOptions: ParsableArguments {
    @Option(help: "Epochs to train (default: the recipe's own).")
    public var epochs: Int?

    @Option(help: "Keras's mnist.npz (default: ~/.keras/datasets/mnist.npz, downloaded when missing).")
    public var data: String?

    @Option(help: "keras.utils.set_random_seed(seed): initial weights, dropout and shuffling.")
    public var seed: UInt64?

    @Option(help: "Where to save the trained model (.keras).")
    public var output: String?

    @Option(help: "Also save the training curves (loss and metrics per epoch) as an SVG picture.")
    public var plot: String?

    @Option(help: "Train and test on the first N training and N/6 test images only (a quick run, as CI does).")
    public var samples: Int?

    @Option(help: "Also save the trained model's predictions on the test images as .npy (CI compares them with Python Keras's).")
    public var predictions: String?

    public init() {}

    public mutating func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if let samples, samples < 12 { throw ValidationError("--samples must be at least 12, got \(samples)") }
    }

    /// MNIST as the recipe reads it: images scaled to [0, 1] in `sampleShape`, cut to `--samples` when given.
    public func loadMNIST(sampleShape: [Int]) throws -> MNIST {
        var mnist = try MNIST.load(path: data)
        if let samples { mnist.keepFirst(trainSamples: samples, testSamples: max(samples / 6, 1)) }
        mnist.preprocess(sampleShape: sampleShape)
        return mnist
    }
}
