import CKernels

/// The engine's elementwise loops, written once in `CKernels` (compiled per instruction set, so they run at the
/// CPU's vector width) and driven from here: each writes a fresh, never zero-filled buffer and spreads large ones
/// over the cores with `Parallel`.
enum Kernels {
    /// A buffer of `count` elements that `fill` initializes completely (given the buffer's base address).
    @inline(__always)
    static func make(_ count: Int, _ fill: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress, count > 0 { fill(base) }
            initialized = count
        }
    }

    /// `op(x[i])` for every element.
    static func map(_ x: [Float], _ op: SKUnaryOp) -> [Float] {
        x.withUnsafeBufferPointer { src in
            make(src.count) { out in
                guard let s = src.baseAddress else { return }
                Parallel.forEachChunk(src.count) { r in sk_unary(op, s + r.lowerBound, out + r.lowerBound, r.count) }
            }
        }
    }

    /// `a[i] op b[i]` for operands of the same element count.
    static func zip(_ a: [Float], _ b: [Float], _ op: SKBinaryOp) -> [Float] {
        precondition(a.count == b.count)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                make(pa.count) { out in
                    guard let x = pa.baseAddress, let y = pb.baseAddress else { return }
                    Parallel.forEachChunk(pa.count) { r in
                        sk_binary(op, x + r.lowerBound, y + r.lowerBound, out + r.lowerBound, r.count)
                    }
                }
            }
        }
    }

    /// `a[i] op b[i mod n]`: `b` (n elements) repeats along `a`'s rows of `n` (a bias against a batch). With
    /// `swapped`, `b[…] op a[i]`.
    static func zipRows(_ a: [Float], row b: [Float], swapped: Bool = false, _ op: SKBinaryOp) -> [Float] {
        let n = b.count
        precondition(n > 0 && a.count % n == 0)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                make(pa.count) { out in
                    guard let x = pa.baseAddress, let y = pb.baseAddress else { return }
                    Parallel.forEachChunk(pa.count / n, grain: Swift.max(1, Parallel.grain / n)) { rows in
                        let start = rows.lowerBound * n
                        sk_binary_rows(op, x + start, y, out + start, rows.count, n, swapped ? 1 : 0)
                    }
                }
            }
        }
    }

    /// `a[i] op b[i / n]`: each element of `b` stands for a whole row of `n` elements of `a` (a per-row mean
    /// against a batch). With `swapped`, `b[…] op a[i]`.
    static func zipColumns(_ a: [Float], column b: [Float], width n: Int, swapped: Bool = false, _ op: SKBinaryOp) -> [Float] {
        precondition(n > 0 && a.count == b.count * n)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                make(pa.count) { out in
                    guard let x = pa.baseAddress, let y = pb.baseAddress else { return }
                    Parallel.forEachChunk(b.count, grain: Swift.max(1, Parallel.grain / n)) { rows in
                        let start = rows.lowerBound * n
                        sk_binary_columns(op, x + start, y + rows.lowerBound, out + start, rows.count, n, swapped ? 1 : 0)
                    }
                }
            }
        }
    }

    /// `a[i] op s` (or `s op a[i]` with `swapped`) for a scalar `s`.
    static func zipScalar(_ a: [Float], scalar s: Float, swapped: Bool = false, _ op: SKBinaryOp) -> [Float] {
        a.withUnsafeBufferPointer { pa in
            make(pa.count) { out in
                guard let x = pa.baseAddress else { return }
                Parallel.forEachChunk(pa.count) { r in
                    sk_binary_scalar(op, x + r.lowerBound, s, out + r.lowerBound, r.count, swapped ? 1 : 0)
                }
            }
        }
    }

    /// `a[i] += b[i]` in place (gradient accumulation).
    static func accumulate(_ a: inout [Float], _ b: [Float]) {
        precondition(a.count == b.count)
        b.withUnsafeBufferPointer { pb in
            a.withUnsafeMutableBufferPointer { pa in
                guard let x = pa.baseAddress, let y = pb.baseAddress else { return }
                Parallel.forEachChunk(pa.count) { r in sk_accumulate(x + r.lowerBound, y + r.lowerBound, r.count) }
            }
        }
    }

    /// Reduces the middle axis of `x` viewed as `[outer, size, inner]` with `op` (add or maximum) from `initial`.
    static func reduce(_ x: [Float], outer: Int, size: Int, inner: Int, _ op: SKBinaryOp, initial: Float) -> [Float] {
        x.withUnsafeBufferPointer { source in
            make(outer * inner) { out in
                guard let src = source.baseAddress, size > 0 else {
                    out.initialize(repeating: initial, count: outer * inner)
                    return
                }
                Parallel.forEachChunk(outer, grain: Swift.max(1, Parallel.grain / Swift.max(size * inner, 1))) { rows in
                    let (from, to) = (src + rows.lowerBound * size * inner, out + rows.lowerBound * inner)
                    if inner == 1 {
                        sk_reduce_rows(op, from, to, rows.count, size, initial)
                    } else {
                        sk_reduce_inner(op, from, to, rows.count, size, inner, initial)
                    }
                }
            }
        }
    }

    /// Copies `rows` rows of `width` elements from `source` (rows `stride` apart) to `target` (rows `targetStride`
    /// apart): the one loop behind slicing and concatenation.
    @inline(__always)
    static func copyRows(_ rows: Int, width: Int, from source: UnsafePointer<Float>, stride: Int,
                         to target: UnsafeMutablePointer<Float>, targetStride: Int) {
        guard width > 0 else { return }
        for r in 0..<rows { (target + r * targetStride).update(from: source + r * stride, count: width) }
    }
}
