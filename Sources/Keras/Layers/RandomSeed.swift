import Synchronization

/// Keras's `keras.utils.set_random_seed`: makes every layer created afterwards draw its weights (and dropout
/// masks) from a sequence fixed by `seed`. Without it, each layer seeds itself from the system's entropy.
public func setRandomSeed(_ seed: UInt64) {
    globalSeedSource.withLock { $0 = RandomGenerator(seed: seed) }
}

/// The source of seeds for newly created layers; nil until `setRandomSeed` is called.
private let globalSeedSource = Mutex<RandomGenerator?>(nil)

/// A generator for a new layer: from the global seed sequence when one is set, otherwise from system entropy.
func makeLayerRandomGenerator() -> RandomGenerator {
    globalSeedSource.withLock { source in
        guard source != nil else { return RandomGenerator() }
        return RandomGenerator(seed: source!.next())
    }
}
