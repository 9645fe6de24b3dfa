import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A float32 little-endian C-order `.npy` array mapped read-only into memory, as NumPy's
/// `np.load(path, mmap_mode="r")`: the dataset stays in the file (and the page cache), and each batch copies only
/// its rows out of it. The file is unmapped when the array is freed; as with any mapping, it must not be truncated
/// while mapped.
public final class MappedNPY: SampleSource, @unchecked Sendable {
    /// The array's shape, samples along the first axis.
    public let shape: [Int]
    private let mapping: UnsafeMutableRawPointer
    private let length: Int
    private let scalars: UnsafeBufferPointer<Float>

    /// Maps the `.npy` file at `path`, after the same header and size checks as `NPY.readTensor(path:)` (a header
    /// that declares more data than the file holds is refused before anything is mapped). `nil` for files that
    /// cannot be mapped as float32: other element types, big-endian or Fortran-order data, data not aligned for
    /// Float, a scalar or no elements, or a big-endian machine.
    public init?(path: String) throws {
        #if _endian(big)
        return nil
        #else
        guard let (file, shape, dataStart, count) = try NPY.openFloat32(path: path) else { return nil }
        defer { try? file.close() }
        guard count > 0, !shape.isEmpty, dataStart % MemoryLayout<Float>.alignment == 0 else { return nil }
        let length = dataStart + count * MemoryLayout<Float>.size
        guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, file.fileDescriptor, 0), base != MAP_FAILED else {
            throw NPYError("\(path): cannot map the file into memory (\(String(cString: strerror(errno))))")
        }
        self.shape = shape
        self.mapping = base
        self.length = length
        self.scalars = UnsafeBufferPointer(start: (base + dataStart).assumingMemoryBound(to: Float.self), count: count)
        #endif
    }

    deinit { munmap(mapping, length) }

    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// The samples `range`, copied out of the file as one batch. Batches read in order (`predict`, `evaluate`) are
    /// read once, so the whole pages they covered are then dropped from the process's resident memory (they stay in
    /// the page cache and come back from it if read again): a file predicted on never becomes resident as a whole.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[0], "rows \(range) out of range for shape \(shape)")
        let width = shape.dropFirst().elementCount
        let batch = UnsafeBufferPointer(rebasing: scalars[range.lowerBound * width..<range.upperBound * width])
        defer { releasePages(of: UnsafeRawBufferPointer(batch)) }
        return Tensor(shape: [range.count] + shape.dropFirst(), scalars: Array(batch))
    }

    /// Drops the whole pages inside `region` from the resident set (`MADV_DONTNEED` on a read-only mapping of a file
    /// only unmaps them: the data is unchanged and is read from the page cache again when touched).
    private func releasePages(of region: UnsafeRawBufferPointer) {
        guard let base = region.baseAddress else { return }
        let page = Self.pageSize
        let start = (Int(bitPattern: base) + page - 1) / page * page, end = (Int(bitPattern: base) + region.count) / page * page
        if end > start, let first = UnsafeMutableRawPointer(bitPattern: start) { madvise(first, end - start, MADV_DONTNEED) }
    }

    /// The samples at `indices`, in that order, copied out of the file as one batch.
    public func gathering(rows indices: [Int]) -> Tensor {
        Tensor(gatheringRows: indices, of: scalars, shape: shape)
    }

    /// The first element (in row-major order) that is NaN or infinite, with its flat index; `nil` when all are finite.
    /// The file is read in chunks of 4 MiB, each dropped from the resident set once checked, as `rows(_:)` does.
    public func firstNonFinite() -> (index: Int, value: Float)? {
        for start in stride(from: 0, to: scalars.count, by: 1 << 20) {
            let chunk = UnsafeBufferPointer(rebasing: scalars[start..<min(scalars.count, start + 1 << 20)])
            defer { releasePages(of: UnsafeRawBufferPointer(chunk)) }
            if let bad = chunk.firstIndex(where: { !$0.isFinite }) { return (start + bad, chunk[bad]) }
        }
        return nil
    }
}

extension NPY {
    /// The samples of the `.npy` file at `path`, for `predict`, `fit` and `evaluate`: a float32 little-endian C-order
    /// file is mapped (`MappedNPY`, never copied as a whole); other element types and layouts are converted once into
    /// a tensor, as `readTensor(path:)` does. Bad files are refused with the same errors as `readTensor(path:)`.
    public static func samples(path: String) throws -> any SampleSource {
        if let mapped = try MappedNPY(path: path) { return mapped }
        return try readTensor(path: path)
    }
}
