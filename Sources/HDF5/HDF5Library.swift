import Foundation
import CHDF5

/// The serial HDF5 library is not thread-safe: every call into it from this module runs under this one
/// process-wide recursive lock, so HDF5 objects may be used from any thread (one library call at a time).
private let libraryLock = NSRecursiveLock()

/// Takes the library lock for an initializer that cannot use a closure; pair with `leaveLibrary()`.
func enterLibrary() {
    libraryLock.lock()
    chdf5_silence_errors()
}

/// Releases the lock taken by `enterLibrary()`.
func leaveLibrary() { libraryLock.unlock() }

/// Runs `body` holding the HDF5 library lock, with HDF5's error printing silenced.
@discardableResult
func serialized<T>(_ body: () throws -> T) rethrows -> T {
    enterLibrary()
    defer { leaveLibrary() }
    return try body()
}

/// Runs `body` with a new property list of `propertyClass`, closing it afterwards.
func withPropertyList<T>(_ propertyClass: hid_t, _ what: @autoclosure () -> String, _ body: (hid_t) throws -> T) throws -> T {
    let list = try check(H5Pcreate(propertyClass), "\(what()): cannot create a property list")
    defer { H5Pclose(list) }
    return try body(list)
}
