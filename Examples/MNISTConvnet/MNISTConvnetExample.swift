// keras.io's "Simple MNIST convnet" (mnist_convnet), ported line for line.
//
//   swift run -c release mnist-convnet [--epochs 15] [--data path/to/mnist.npz] [--seed 1] [--output mnist_convnet.keras]
//                                      [--plot curves.svg] [--samples N]
import ArgumentParser
import ExampleSupport
import Keras

@main
struct MNISTConvnetExample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-convnet", abstract: "keras.io's simple MNIST convnet: train, evaluate, save the model.")

    @OptionGroup var options: MNISTExampleOptions

    func run() throws {
        AllocatorTuning.apply()   // a program that owns its process opts in to reusing freed tensor buffers
        let epochs = options.epochs ?? 15
        // Model / data parameters
        let numClasses = 10
        let inputShape = [28, 28, 1]
        // (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        // Scale images to the [0, 1] range and make sure images have shape (28, 28, 1) (in place: no second copy)
        let mnist = try options.loadMNIST(sampleShape: inputShape)
        print("x_train shape: \(mnist.xTrain.shape)")
        print("\(mnist.xTrain.shape[0]) train samples")
        print("\(mnist.xTest.shape[0]) test samples")
        // convert class vectors to binary class matrices
        let yTrain = try toCategorical(mnist.yTrain, numClasses: numClasses)
        let yTest = try toCategorical(mnist.yTest, numClasses: numClasses)

        if let seed = options.seed { setRandomSeed(seed) }  // keras.utils.set_random_seed(seed)
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
        let history = try model.fit(x: mnist.xTrain, y: yTrain, batchSize: batchSize, epochs: epochs, validationSplit: 0.1,
                                    seed: options.seed, progress: .automatic())
        let score = try model.evaluate(x: mnist.xTest, y: yTest)
        try reportAndSave(model, history: history, test: score, testImages: mnist.xTest, options: options, defaultOutput: "mnist_convnet.keras",
                          title: "mnist_convnet: \(epochs) epochs")
    }
}
