import Foundation
import CHDF5

/// A failure reported by the HDF5 library, or HDF5 content that is not what was asked for.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    /// What failed and where (file and object path).
    public let description: String

    /// Makes an error with a complete message.
    public init(_ description: String) { self.description = description }
}

/// The one place where HDF5's negative return codes become thrown errors.
@discardableResult
func check<T: BinaryInteger>(_ result: T, _ what: @autoclosure () -> String) throws -> T {
    guard result >= 0 else { throw HDF5Error(what()) }
    return result
}

/// Silences HDF5's error printer on the calling thread (every entry point also does so under the lock).
let silenceHDF5: Void = { chdf5_silence_errors() }()

/// The serial HDF5 library is not thread-safe: every call into it from this module runs under this one
/// process-wide recursive lock, so HDF5 objects may be used from any thread (one call at a time).
private let libraryLock = NSRecursiveLock()

/// Takes the library lock for an initializer that cannot use a closure; pair with `leaveLibrary()`.
func enterLibrary() {
    libraryLock.lock()
    chdf5_silence_errors()
}

/// Releases the lock taken by `enterLibrary()`.
func leaveLibrary() { libraryLock.unlock() }

/// Runs `body` holding the HDF5 library lock.
func serialized<T>(_ body: () throws -> T) rethrows -> T {
    libraryLock.lock()
    defer { libraryLock.unlock() }
    // The error printer is per thread in thread-safe builds of libhdf5: silence it on whichever thread this is.
    chdf5_silence_errors()
    return try body()
}
