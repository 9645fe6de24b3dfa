// A small Vision Transformer on MNIST, after keras.io's "Image classification with Vision Transformer": 28×28 images
// cut into 16 patches of 7×7, each projected to 64 features plus a learned position embedding (PatchEncoder), two
// Transformer blocks (pre-norm multi-head self-attention with 4 heads, then a GELU MLP, each with a residual), global
// average pooling and Dense(10) — the same recipe as tools/run_mnist_vit.py, which runs it in Python Keras.
//
//   swift run -c release mnist-vit [--epochs 10] [--data path/to/mnist.npz] [--seed 1] [--output mnist_vit.keras]
//                                  [--plot curves.svg] [--samples N]
import ArgumentParser
import ExampleSupport
import Keras

@main
struct MNISTViTExample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-vit", abstract: "A small Vision Transformer on MNIST: train, evaluate, save the model.")

    @OptionGroup var options: MNISTExampleOptions

    func run() throws {
        AllocatorTuning.apply()   // a program that owns its process opts in to reusing freed tensor buffers
        let epochs = options.epochs ?? 10
        let (patch, patches, dim, heads, blocks) = (7, 16, 64, 4, 2)
        let mnist = try options.loadMNIST(sampleShape: [28, 28])
        if let seed = options.seed { setRandomSeed(seed) }  // keras.utils.set_random_seed(seed)

        let inputs = Input(shape: [28, 28])
        // (28, 28) → 16 patches of 49 pixels, row by row: (4, 7, 4, 7) → (4, 4, 7, 7) → (16, 49).
        var x = try Reshape([4, patch, 4, patch])(inputs)
        x = try Permute([1, 3, 2, 4])(x)
        x = try Reshape([patches, patch * patch])(x)
        var encoded = try PatchEncoder(numPatches: patches, projectionDim: dim)(x)
        for _ in 0..<blocks {
            let x1 = try LayerNormalization(epsilon: 1e-6)(encoded)
            let attention = try MultiHeadAttention(numHeads: heads, keyDim: dim / heads, dropout: 0.1)(x1, x1)
            let x2 = try Add()([attention, encoded])
            var x3 = try LayerNormalization(epsilon: 1e-6)(x2)
            x3 = try Dense(2 * dim, activation: .gelu)(x3)
            x3 = try Dropout(0.1)(x3)
            x3 = try Dense(dim)(x3)
            encoded = try Add()([x3, x2])
        }
        x = try LayerNormalization(epsilon: 1e-6)(encoded)
        x = try GlobalAveragePooling1D()(x)
        let model = try Functional(inputs: inputs, outputs: try Dense(10)(x))
        print(model.summary())

        model.compile(optimizer: Adam(learningRate: 1e-3), loss: .sparseCategoricalCrossentropy(fromLogits: true),
                      metrics: [Metric(.accuracy)])
        let history = try model.fit(x: mnist.xTrain, y: mnist.yTrain, batchSize: 128, epochs: epochs, validationSplit: 0.1,
                                    seed: options.seed, progress: .automatic())
        let score = try model.evaluate(x: mnist.xTest, y: mnist.yTest)
        try reportAndSave(model, history: history, test: score, testImages: mnist.xTest, options: options, defaultOutput: "mnist_vit.keras",
                          title: "MNIST ViT: \(epochs) epochs")
    }
}
