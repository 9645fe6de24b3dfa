// The classic Keras recurrent MNIST model: each 28×28 image read as 28 time steps of 28 features by an LSTM(128),
// then Dense(10) — the same recipe as tools/run_mnist_lstm.py, which runs it in Python Keras.
//
//   swift run -c release mnist-lstm [--epochs 5] [--data path/to/mnist.npz] [--seed 1] [--output mnist_lstm.keras]
//                                   [--plot curves.svg] [--samples N]
import ArgumentParser
import ExampleSupport
import Keras

@main
struct MNISTLSTMExample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-lstm", abstract: "MNIST read row by row by an LSTM: train, evaluate, save the model.")

    @OptionGroup var options: MNISTExampleOptions

    func run() throws {
        let epochs = options.epochs ?? 5
        let numClasses = 10
        // (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data(); x / 255 as (samples, 28 steps, 28 features)
        let mnist = try options.loadMNIST(sampleShape: [28, 28])
        print("x_train shape: \(mnist.xTrain.shape)")

        if let seed = options.seed { setRandomSeed(seed) }  // keras.utils.set_random_seed(seed)
        let model = try Sequential([
            Input(shape: [28, 28]),
            LSTM(128),
            Dense(numClasses),
        ])
        print(model.summary())

        model.compile(optimizer: Adam(), loss: .sparseCategoricalCrossentropy(fromLogits: true), metrics: [Metric(.accuracy)])
        let history = try model.fit(x: mnist.xTrain, y: mnist.yTrain, batchSize: 128, epochs: epochs, validationSplit: 0.1,
                                    seed: options.seed, progress: .automatic())
        let score = try model.evaluate(x: mnist.xTest, y: mnist.yTest)
        try reportAndSave(model, history: history, test: score, testImages: mnist.xTest, options: options, defaultOutput: "mnist_lstm.keras",
                          title: "MNIST LSTM: \(epochs) epochs")
    }
}
