import Foundation
import CHDF5

/// A failure reported by the HDF5 library, or HDF5 content that is not what was asked for.
///
/// The message says what failed, where (the file's name and the object's path inside it) and, when it helps, what was
/// expected and what was found. When libhdf5 itself refused, its innermost reason is appended in parentheses, e.g.
/// `cut.h5 is not a readable HDF5 file (libhdf5: truncated file: eof = 100, …)`.
public struct HDF5Error: Error, CustomStringConvertible, LocalizedError, Sendable {
    /// The complete message.
    public let description: String

    /// Makes an error with a complete message.
    public init(_ description: String) { self.description = description }

    /// The message, for `localizedDescription`.
    public var errorDescription: String? { description }
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
