// The seed example, keras.io's "Simple custom layer example: Antirectifier" (2023), ported line for line.
//
//   swift run -c release antirectifier [--epochs 20] [--data path/to/mnist.npz] [--seed 1] [--output antirectifier.keras]
//                                      [--plot curves.svg] [--samples N]
import ArgumentParser
import ExampleSupport
import Keras

@main
struct AntirectifierExample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "antirectifier", abstract: "keras.io's Antirectifier example (2023): train on MNIST, save the model.")

    @OptionGroup var options: MNISTExampleOptions

    func run() throws {
        AllocatorTuning.apply()   // a program that owns its process opts in to reusing freed tensor buffers
        let epochs = options.epochs ?? 20
        // (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        // x_train = x_train.reshape(-1, 784).astype("float32") / 255, likewise x_test (in place: no second copy)
        let mnist = try options.loadMNIST(sampleShape: [784])

        if let seed = options.seed { setRandomSeed(seed) }  // keras.utils.set_random_seed(seed)
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
        let history = try model.fit(x: mnist.xTrain, y: mnist.yTrain, batchSize: 128, epochs: epochs, validationSplit: 0.15,
                                    seed: options.seed, progress: .automatic())
        let test = try model.evaluate(x: mnist.xTest, y: mnist.yTest, batchSize: 128)
        try reportAndSave(model, history: history, test: test, testImages: mnist.xTest, options: options, defaultOutput: "antirectifier.keras",
                          title: "The seed recipe: \(epochs) epochs")
    }
}
