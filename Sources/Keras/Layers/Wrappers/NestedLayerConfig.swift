extension ConfigReader {
    /// The layer serialized under `key` (a `{module, class_name, config}` object), rebuilt through the loader's
    /// registry; nil, with the problem recorded, when it is missing or cannot be rebuilt.
    func nestedLayer(_ key: String) -> Layer? {
        guard let entry = object[key], entry != .null else {
            report("config key '\(key)' is missing (expected a serialized layer)")
            return nil
        }
        guard let read = nestedLayerReader else {
            report("'\(key)': nested layers are read only by the model loader")
            return nil
        }
        let (layer, problems) = read(entry)
        for problem in problems { report("'\(key)': \(problem)") }
        if layer == nil && problems.isEmpty { report("'\(key)' could not be rebuilt") }
        return layer
    }
}
