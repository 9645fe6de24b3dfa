import ArgumentParser
import Keras

/// The data options shared by `fit` and `evaluate`: arrays from `.npy` files, or a built-in dataset.
struct TrainingDataOptions: ParsableArguments {
    @Option(help: "Inputs (.npy), shape (samples, …) matching the model's input; float32 files are memory-mapped, not read whole. Repeat it for a model with several inputs, in the model's input order.")
    var x: [String] = []

    @Option(help: "Targets (.npy): integer class ids or one-hot floats, as the loss requires. Repeat it for a model with several outputs.")
    var y: [String] = []

    @Option(help: "Use a built-in dataset instead of --x/--y (supported: mnist).")
    var dataset: String?

    @Option(help: "Path of the dataset file (default: $KERAS_HOME/datasets or ~/.keras/datasets, else download).")
    var data: String?

    /// The arrays to use, one per model input and one per output; `split` chooses MNIST's training or test part.
    /// Float32 `--x` files are mapped (`NPY.samples`), not read whole.
    func load(for model: Model, split: MNISTSplit) throws -> (x: [any SampleSource], y: [Tensor]) {
        switch (x.isEmpty, y.isEmpty, dataset) {
        case (false, false, nil):
            return (try x.map { try NPY.samples(path: $0) }, try y.map { try NPY.readTensor(path: $0) })
        case (true, true, "mnist"?):
            let mnist = try MNIST.load(path: data, progress: .automatic(to: .standardError))
            let shape = model.inputShape ?? [784]
            let images = split == .train ? mnist.xTrain : mnist.xTest
            guard shape.reduce(1, *) == 784 else {
                throw ValidationError("the model's input shape \(shape) does not hold a 28×28 MNIST image")
            }
            return ([MNIST.preprocess(images, sampleShape: shape)], [split == .train ? mnist.yTrain : mnist.yTest])
        case (_, _, let name?) where name != "mnist":
            throw ValidationError("unknown dataset '\(name)' (supported: mnist)")
        default:
            throw ValidationError("give both --x and --y, or --dataset mnist")
        }
    }

    enum MNISTSplit { case train, test }
}

/// Encodes logs as a JSON object, in order.
func jsonObject(_ logs: TrainingLogs) -> JSON {
    var o = JSONObject()
    for (name, value) in logs.pairs { o[name] = .double(value) }
    return .object(o)
}
