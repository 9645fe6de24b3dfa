import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The MNIST digits in Keras's `mnist.npz` layout (`keras.datasets.mnist.load_data()`): 60,000 training and
/// 10,000 test images of 28×28 pixels (0–255) with their labels (0–9).
public struct MNIST: Sendable {
    /// Training images, shape `[60000, 28, 28]`, values 0–255.
    public internal(set) var xTrain: Tensor
    /// Training labels, shape `[60000]`.
    public internal(set) var yTrain: Tensor
    /// Test images, shape `[10000, 28, 28]`.
    public internal(set) var xTest: Tensor
    /// Test labels, shape `[10000]`.
    public internal(set) var yTest: Tensor

    /// Where Keras downloads the file from, and its SHA-256.
    public static let origin = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
    static let sha256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

    /// Loads MNIST from `path` if given; otherwise from `$KERAS_HOME/datasets/mnist.npz` or
    /// `~/.keras/datasets/mnist.npz`; otherwise downloads Keras's file (checking its hash) into the latter.
    /// Offline, the error names every place it looked.
    public static func load(path: String? = nil, download: Bool = true, progress: ProgressReporter = .silent) throws -> MNIST {
        try load(path: path, download: download, candidates: cacheCandidates())
    }

    /// `load` with an explicit list of places to look (tests use it to stay independent of the machine).
    static func load(path: String?, download: Bool, candidates: [String]) throws -> MNIST {
        if let path { return try read(path) }
        for c in candidates where FileManager.default.fileExists(atPath: c) { return try read(c) }
        let target = candidates.last ?? "mnist.npz"
        guard download else { throw NPYError("MNIST not found; looked in: \(candidates.joined(separator: ", "))") }
        do {
            try fetch(to: target)
        } catch {
            throw NPYError("MNIST not found (looked in: \(candidates.joined(separator: ", "))) and the download from \(origin) failed: \(error)")
        }
        return try read(target)
    }

    /// `$KERAS_HOME/datasets/mnist.npz`, then `~/.keras/datasets/mnist.npz`.
    static func cacheCandidates() -> [String] {
        var out: [String] = []
        if let home = ProcessInfo.processInfo.environment["KERAS_HOME"] { out.append(home + "/datasets/mnist.npz") }
        out.append(NSHomeDirectory() + "/.keras/datasets/mnist.npz")
        return out
    }

    /// Reads an `mnist.npz` file. A file holding only `x_test` / `y_test` (such as the bundled 500-image slice)
    /// has an empty training split.
    public static func read(_ path: String) throws -> MNIST {
        var arrays = try NPZ.read(path: path)
        // Each array's bytes are dropped as soon as it is converted, so the 0–255 bytes of all four are never
        // held beside all their Float copies (the training process's peak memory).
        let keys = arrays.keys.sorted()
        func array(_ key: String, optional: Bool = false) throws -> Tensor {
            guard let a = arrays.removeValue(forKey: key) else {
                if optional { return Tensor.zeros(key.hasPrefix("x") ? [0, 28, 28] : [0]) }
                throw NPYError("\(path) is not Keras's mnist.npz: no '\(key)' array (found: \(keys.joined(separator: ", ")))")
            }
            return a.tensor()
        }
        let m = MNIST(xTrain: try array("x_train", optional: true), yTrain: try array("y_train", optional: true),
                      xTest: try array("x_test"), yTest: try array("y_test"))
        guard m.xTrain.rank == 3, m.xTrain.shape[0] == m.yTrain.shape.first, m.xTest.shape[0] == m.yTest.shape.first else {
            throw NPYError("\(path): unexpected MNIST shapes x_train \(m.xTrain.shape), y_train \(m.yTrain.shape)")
        }
        return m
    }

    private static func fetch(to target: String) throws {
        guard let url = URL(string: origin) else { return }
        FileHandle.standardError.write(Data("Downloading data from \(origin)\n".utf8))
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<Data, Error> = .failure(NPYError("no response"))
        URLSession.shared.dataTask(with: url) { data, response, error in
            if let error { result = .failure(error) }
            else if let http = response as? HTTPURLResponse, http.statusCode != 200 { result = .failure(NPYError("HTTP \(http.statusCode)")) }
            else { result = .success(data ?? Data()) }
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 300) == .success else { throw NPYError("timed out") }
        let bytes = [UInt8](try result.get())
        guard SHA256.hex(bytes) == sha256 else { throw NPYError("the downloaded file's SHA-256 does not match Keras's") }
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try AtomicFile.write(bytes, to: target)
    }

    /// Keeps the first `trainSamples` training and `testSamples` test images and labels (`x_train[:n]` in
    /// Python): a quick run on a slice of the data.
    public mutating func keepFirst(trainSamples: Int, testSamples: Int) {
        let train = 0..<min(max(trainSamples, 0), xTrain.shape[0]), test = 0..<min(max(testSamples, 0), xTest.shape[0])
        (xTrain, yTrain) = (xTrain.rows(train), yTrain.rows(train))
        (xTest, yTest) = (xTest.rows(test), yTest.rows(test))
    }

    /// Keras's usual preprocessing: images flattened (or reshaped) to `sampleShape` and divided by 255.
    public static func preprocess(_ images: Tensor, sampleShape: [Int] = [784]) -> Tensor {
        images.reshaped(to: [images.shape[0]] + sampleShape) / 255
    }

    /// `preprocess` applied to both image sets in place, so the raw 0–255 images are not kept beside the scaled
    /// ones (`x_train = x_train.reshape(-1, 784).astype("float32") / 255` in Keras's examples).
    public mutating func preprocess(sampleShape: [Int] = [784]) {
        xTrain = xTrain.reshaped(to: [xTrain.shape[0]] + sampleShape)   // shares the storage, then owns it alone
        xTrain.divide(by: 255)
        xTest = xTest.reshaped(to: [xTest.shape[0]] + sampleShape)
        xTest.divide(by: 255)
    }
}
