/// Reading `model.weights.npz`, the weights format Keras writes with `weights_format="npz"`: one NumPy object
/// array per `vars` path (`layers/dense`, `optimizer`, `__root__`), each holding a pickled dict
/// `{"0": Variable, "1": …}`. The pickles are walked with `Pickle` (nothing is executed) and each variable's
/// array is taken from its NumPy reconstruction state `(version, shape, dtype, is_fortran, raw bytes)`.
enum KerasNPZWeights {
    /// The arrays of every saved object, by Keras path and variable index.
    static func read(_ bytes: [UInt8], name: String) throws -> [String: [String: NPYArray]] {
        var out: [String: [String: NPYArray]] = [:]
        for (path, member) in try NPZ.memberBytes(bytes, name: name) {
            let (descr, _, _, dataStart) = try NPY.header(member.bytes, name: member.name)
            guard descr == "|O" else {
                out[path] = ["0": try NPY.read(member.bytes, name: member.name)]
                continue
            }
            let document: PickleDocument
            do {
                document = try Pickle.load(Array(member.bytes[dataStart...]))
            } catch let error as PickleError {
                throw NPYError("\(member.name): \(error)")
            }
            guard let variables = objectArrayElement(document.root) else {
                throw NPYError("\(member.name): expected a pickled dict of variables")
            }
            var arrays: [String: NPYArray] = [:]
            for (key, variable) in variables.dictPairs {
                guard let index = key.stringValue else { continue }
                let found: NPYArray?
                do {
                    found = try findArray(in: variable)
                } catch let error as NPYError {
                    throw NPYError("\(member.name): variable '\(index)': \(error)")
                }
                guard let array = found else {
                    throw NPYError("\(member.name): variable '\(index)' holds no NumPy array this reader understands")
                }
                arrays[index] = array
            }
            withExtendedLifetime(document) {}
            out[path] = arrays
        }
        return out
    }

    /// The single element of a pickled 0-d object array: `_reconstruct(ndarray, …)` whose state's data is a list.
    private static func objectArrayElement(_ value: PickleValue) -> PickleValue? {
        guard case .call(_, _, let state) = value, let tuple = state.items.first?.tupleValue, tuple.count == 5,
              case .list(let items) = tuple[4], let first = items.items.first else { return nil }
        return first
    }

    /// Searches an object graph for a NumPy array state `(int, shape, dtype, bool, bytes)` — a NumPy array's
    /// `BUILD` state, or the state JAX's `_reconstruct_array` receives — and decodes it.
    ///
    /// A pickle can share objects (its memo) and make cycles, so a hostile graph of a few hundred bytes can have
    /// billions of paths: each list, dict and object is searched once, and the whole search visits at most
    /// `ArraySearch.maximumVisits` values (tuples, being values, can be shared without identity).
    private static func findArray(in value: PickleValue) throws -> NPYArray? {
        var search = ArraySearch()
        return try search.find(in: value, depth: 0)
    }

    private struct ArraySearch {
        static let maximumVisits = 100_000
        var visited = Set<ObjectIdentifier>()
        var visits = 0

        /// Whether `box` is seen for the first time (and remembers it).
        mutating func firstVisit(_ box: PickleBox) -> Bool { visited.insert(ObjectIdentifier(box)).inserted }

        mutating func find(in value: PickleValue, depth: Int) throws -> NPYArray? {
            visits += 1
            guard visits <= Self.maximumVisits else {
                throw NPYError("the pickled object graph is too large to search for the variable's array (more than \(Self.maximumVisits) objects)")
            }
            guard depth < 32 else { return nil }
            switch value {
            case .tuple(let items):
                if let array = try KerasNPZWeights.arrayState(items) { return array }
                for item in items { if let found = try find(in: item, depth: depth + 1) { return found } }
            case .call(_, let arguments, let state):
                guard firstVisit(state) else { return nil }
                if let found = try find(in: arguments, depth: depth + 1) { return found }
                for item in state.items { if let found = try find(in: item, depth: depth + 1) { return found } }
            case .dict(let box):
                guard firstVisit(box) else { return nil }
                if let value = PickleValue.dict(box)["_value"], let found = try find(in: value, depth: depth + 1) { return found }
                for (_, item) in box.pairs { if let found = try find(in: item, depth: depth + 1) { return found } }
            case .list(let box):
                guard firstVisit(box) else { return nil }
                for item in box.items { if let found = try find(in: item, depth: depth + 1) { return found } }
            default:
                break
            }
            return nil
        }
    }

    /// The array a NumPy array state `(version, shape, dtype, is_fortran, bytes)` describes, or nil when `items` is
    /// not one.
    private static func arrayState(_ items: [PickleValue]) throws -> NPYArray? {
        guard items.count == 5, items[0].intValue != nil, let dims = items[1].tupleValue, case .bytes(let raw) = items[4],
              let descr = dtypeDescriptor(items[2]) else { return nil }
        let shape = dims.compactMap(\.intValue)
        guard shape.count == dims.count else { throw NPYError("model.weights.npz: array shape \(dims.count)-tuple holds non-integers") }
        var fortran = false
        if case .bool(let flag) = items[3] { fortran = flag }
        return try NPYArray(shape: shape, descr: descr, fortranOrder: fortran, stored: raw[...], name: "model.weights.npz array")
    }

    /// `'<f4'` from a pickled `numpy.dtype('f4', False, True)` whose state gives the byte order.
    private static func dtypeDescriptor(_ value: PickleValue) -> String? {
        guard case .call(.global(_, "dtype"), let arguments, let state) = value,
              let code = arguments.tupleValue?.first?.stringValue else { return nil }
        let order = state.items.first?.tupleValue?.dropFirst().first?.stringValue ?? "|"
        return (order == "=" ? "<" : order) + code
    }
}
