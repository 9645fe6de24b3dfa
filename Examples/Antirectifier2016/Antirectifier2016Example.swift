// The project's first seed: the original (2016) Keras example "Antirectifier", ported line for line.
//
//   swift run -c release antirectifier2016 [--epochs 40] [--data path/to/mnist.npz] [--seed N]
//                                          [--output antirectifier2016.keras] [--plot curves.svg] [--samples N]
import ArgumentParser
import ExampleSupport
import Keras

@main
struct Antirectifier2016Example: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "antirectifier2016", abstract: "The 2016 Keras Antirectifier example: train on MNIST, save the model.")

    @OptionGroup var options: MNISTExampleOptions

    func run() throws {
        AllocatorTuning.apply()   // a program that owns its process opts in to reusing freed tensor buffers
        let batchSize = 128
        let numClasses = 10
        let epochs = options.epochs ?? 40
        if let seed = options.seed { setRandomSeed(seed) }
        // (x_train, y_train), (x_test, y_test) = mnist.load_data()
        // x_train = x_train.reshape(60000, 784).astype('float32') / 255, likewise x_test (in place: no second copy)
        let mnist = try options.loadMNIST(sampleShape: [784])
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
        let history = try model.fit(x: mnist.xTrain, y: yTrain, batchSize: batchSize, epochs: epochs,
                                    validationData: (mnist.xTest, yTest), seed: options.seed, progress: .automatic())
        let test = try model.evaluate(x: mnist.xTest, y: yTest, batchSize: batchSize)
        try reportAndSave(model, history: history, test: test, testImages: mnist.xTest, options: options, defaultOutput: "antirectifier2016.keras",
                          title: "The 2016 Antirectifier recipe: \(epochs) epochs")
    }
}
