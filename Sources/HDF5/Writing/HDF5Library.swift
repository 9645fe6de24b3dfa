import Foundation
import CHDF5

/// The serial HDF5 library is not thread-safe: every call into it from this module runs under this one
/// process-wide recursive lock, so HDF5 objects may be used from any thread (one library call at a time).
private let libraryLock = NSRecursiveLock()

/// Runs `body` holding the HDF5 library lock, with HDF5's error printing silenced.
@discardableResult
func serialized<T>(_ body: () throws -> T) rethrows -> T {
    libraryLock.lock()
    defer { libraryLock.unlock() }
    chdf5_silence_errors()
    return try body()
}

/// Runs `body` with a new property list of `propertyClass`, closing it afterwards.
func withPropertyList<T>(_ propertyClass: hid_t, _ what: @autoclosure () -> String, _ body: (hid_t) throws -> T) throws -> T {
    let list = try check(H5Pcreate(propertyClass), "\(what()): cannot create a property list")
    defer { H5Pclose(list) }
    return try body(list)
}

/// The one place where HDF5's negative return codes (`hid_t`, `herr_t`, `htri_t`, `ssize_t`) become thrown errors.
/// Call it right after the failing library call, while the library's error stack still describes the failure.
@discardableResult
func check<T: BinaryInteger>(_ result: T, _ what: @autoclosure () -> String) throws -> T {
    guard result >= 0 else {
        let reason = innermostLibraryMessage()
        throw HDF5Error(reason.map { "\(what()) (libhdf5: \($0))" } ?? what())
    }
    return result
}

/// The deepest message on the calling thread's HDF5 error stack (the most specific reason), if any.
private func innermostLibraryMessage() -> String? {
    var messages: [String] = []
    withUnsafeMutablePointer(to: &messages) { context in
        _ = H5Ewalk2(chdf5_e_default(), H5E_WALK_DOWNWARD, { _, error, context in
            if let description = error?.pointee.desc, let context {
                context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: description))
            }
            return 0
        }, context)
    }
    return messages.last(where: { !$0.isEmpty })
}
