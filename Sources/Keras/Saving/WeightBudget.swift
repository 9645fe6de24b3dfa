import Foundation
import Synchronization
import HDF5

/// What a model being loaded may allocate for its variables: about as many variables, and as many scalars, as its
/// weights file stores in all.
///
/// `Model.load` rebuilds the model from `config.json` before it reads any weight, and building creates every
/// variable. A config describing far more than its weights file holds (200,000 Dense layers in a 1 MB file) would
/// allocate them all before the shape checks could refuse the file; with the budget, the load stops once the
/// variables created exceed what the file could fill. The budget has some slack (`slackVariables`,
/// `slackScalars`) so that a file that merely does not match its config (a layer one unit wider) reaches
/// `WeightLoader`, whose exact per-path count and shape checks name the layer and the weight concerned.
final class WeightBudget: Sendable {
    /// Variables beyond the file's count a config may create before the load stops.
    static let slackVariables = 1_000
    /// Scalars beyond the file's count a config may allocate before the load stops (64 MB of float32).
    static let slackScalars = 1 << 24

    private struct Remaining { var variables: Int; var scalars: Int }
    private let remaining: Mutex<Remaining>
    private let stored: (variables: Int, scalars: Int)
    /// The weights file, for messages.
    let source: String

    init(variables: Int, scalars: Int, source: String) {
        stored = (variables, scalars)
        remaining = Mutex(Remaining(variables: variables + Self.slackVariables, scalars: scalars + Self.slackScalars))
        self.source = source
    }

    /// The budget of everything `store` holds.
    convenience init(for store: WeightStore) throws {
        let (variables, scalars) = try store.capacity()
        self.init(variables: variables, scalars: scalars, source: store.name)
    }

    /// Takes one variable of `shape` out of the budget; throws when the file cannot come close to holding it.
    func spend(_ shape: [Int], for what: String) throws {
        let count = try Shape.checkedElementCount(shape, what)
        try remaining.withLock { left in
            guard left.variables >= 1, left.scalars >= count else {
                throw ShapeError("\(what) of shape \(shape) is beyond what \(source) holds (\(stored.variables) variables, \(stored.scalars) values in all): the config describes far more variables than the weights file stores")
            }
            left.variables -= 1
            left.scalars -= count
        }
    }
}

extension WeightStore {
    /// The most groups a capacity count walks (a hostile file can link groups into cycles or wide trees).
    static let maximumGroupVisits = 200_000

    /// How many variables and scalars the store holds in all, counted from the datasets' headers (no data is read).
    func capacity() throws -> (variables: Int, scalars: Int) {
        if let npzArrays {
            let arrays = npzArrays.values.flatMap(\.values)
            return (arrays.count, arrays.reduce(0) { $0 + $1.count })
        }
        var total = (variables: 0, scalars: 0)
        for file in files {
            let (variables, scalars) = try Self.capacity(of: try file.root, name: name)
            total = (total.variables + variables, total.scalars + scalars)
        }
        return total
    }

    /// How many datasets and scalars `group` and the groups below it hold (a Keras 2 file's `model_weights`).
    static func capacity(of group: HDF5Group, name: String) throws -> (variables: Int, scalars: Int) {
        var total = (variables: 0, scalars: 0)
        var visits = 0
        func walk(_ group: HDF5Group, depth: Int) throws {
            visits += 1
            guard visits <= maximumGroupVisits, depth < 32 else {
                throw HDF5Error("\(name): the group tree is too large or too deep to be a weights file")
            }
            for child in try group.childNames() {
                switch group.childKind(child) {
                case .group?: try walk(try group.group(child), depth: depth + 1)
                case .dataset?:
                    total.variables += 1
                    total.scalars += try group.dataset(child).count
                default: break
                }
            }
        }
        try walk(group, depth: 0)
        return total
    }
}
