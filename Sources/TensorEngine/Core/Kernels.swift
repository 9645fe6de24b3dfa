/// The engine's elementwise loops, written once: each writes a fresh, never zero-filled buffer through raw
/// pointers (so the compiler vectorizes it) and spreads large ones over the cores with `Parallel`.
///
/// An operation is a type conforming to `ElementwiseBinary` / `ElementwiseUnary` rather than a closure, so every
/// loop is specialised for its operation at compile time (a closure call per element does not vectorize).
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
    static func map<Op: ElementwiseUnary>(_ x: [Float], _ op: Op.Type) -> [Float] {
        x.withUnsafeBufferPointer { src in
            make(src.count) { out in
                guard let s = src.baseAddress else { return }
                Parallel.forEachChunk(src.count) { r in for i in r { out[i] = Op.apply(s[i]) } }
            }
        }
    }

    /// `op(a[i], b[i])` for operands of the same element count.
    static func zip<Op: ElementwiseBinary>(_ a: [Float], _ b: [Float], _ op: Op.Type) -> [Float] {
        precondition(a.count == b.count)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                make(pa.count) { out in
                    guard let x = pa.baseAddress, let y = pb.baseAddress else { return }
                    Parallel.forEachChunk(pa.count) { r in for i in r { out[i] = Op.apply(x[i], y[i]) } }
                }
            }
        }
    }

    /// `op(a[i], b[i mod n])`: `b` (n elements) repeats along `a`'s rows of `n` (a bias against a batch). With
    /// `swapped`, the operands are passed as `op(b[…], a[i])`.
    static func zipRows<Op: ElementwiseBinary>(_ a: [Float], row b: [Float], swapped: Bool = false, _ op: Op.Type) -> [Float] {
        let n = b.count
        precondition(n > 0 && a.count % n == 0)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                make(pa.count) { out in
                    guard let x = pa.baseAddress, let y = pb.baseAddress else { return }
                    Parallel.forEachChunk(pa.count / n, grain: Swift.max(1, Parallel.grain / n)) { rows in
                        for row in rows {
                            let (xr, o) = (x + row * n, out + row * n)
                            if swapped { for j in 0..<n { o[j] = Op.apply(y[j], xr[j]) } } else { for j in 0..<n { o[j] = Op.apply(xr[j], y[j]) } }
                        }
                    }
                }
            }
        }
    }

    /// `op(a[i], b[i / n])`: each element of `b` stands for a whole row of `n` elements of `a` (a per-row mean
    /// against a batch). With `swapped`, the operands are passed as `op(b[…], a[i])`.
    static func zipColumns<Op: ElementwiseBinary>(_ a: [Float], column b: [Float], width n: Int, swapped: Bool = false,
                                                  _ op: Op.Type) -> [Float] {
        precondition(n > 0 && a.count == b.count * n)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                make(pa.count) { out in
                    guard let x = pa.baseAddress, let y = pb.baseAddress else { return }
                    Parallel.forEachChunk(b.count, grain: Swift.max(1, Parallel.grain / n)) { rows in
                        for row in rows {
                            let (xr, o, v) = (x + row * n, out + row * n, y[row])
                            if swapped { for j in 0..<n { o[j] = Op.apply(v, xr[j]) } } else { for j in 0..<n { o[j] = Op.apply(xr[j], v) } }
                        }
                    }
                }
            }
        }
    }

    /// `op(a[i], s)` (or `op(s, a[i])` with `swapped`) for a scalar `s`.
    static func zipScalar<Op: ElementwiseBinary>(_ a: [Float], scalar s: Float, swapped: Bool = false, _ op: Op.Type) -> [Float] {
        a.withUnsafeBufferPointer { pa in
            make(pa.count) { out in
                guard let x = pa.baseAddress else { return }
                Parallel.forEachChunk(pa.count) { r in
                    if swapped { for i in r { out[i] = Op.apply(s, x[i]) } } else { for i in r { out[i] = Op.apply(x[i], s) } }
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
                Parallel.forEachChunk(pa.count) { r in for i in r { x[i] += y[i] } }
            }
        }
    }

    /// Copies `rows` rows of `width` elements from `source` (rows `stride` apart, starting at `from`) to `target`
    /// (rows `targetStride` apart, starting at `to`): the one loop behind slicing, concatenation and gathering.
    @inline(__always)
    static func copyRows(_ rows: Int, width: Int, from source: UnsafePointer<Float>, stride: Int,
                         to target: UnsafeMutablePointer<Float>, targetStride: Int) {
        guard width > 0 else { return }
        for r in 0..<rows { (target + r * targetStride).update(from: source + r * stride, count: width) }
    }
}

/// A two-operand elementwise operation, specialised into the loops of `Kernels`.
protocol ElementwiseBinary {
    static func apply(_ a: Float, _ b: Float) -> Float
}

/// A one-operand elementwise operation, specialised into the loops of `Kernels`.
protocol ElementwiseUnary {
    static func apply(_ x: Float) -> Float
}

enum AddOp: ElementwiseBinary { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b } }
enum SubtractOp: ElementwiseBinary { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a - b } }
enum MultiplyOp: ElementwiseBinary { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a * b } }
enum DivideOp: ElementwiseBinary { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a / b } }
enum MaximumOp: ElementwiseBinary { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { Swift.max(a, b) } }
enum MinimumOp: ElementwiseBinary { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { Swift.min(a, b) } }
/// 1 where `a >= b`, else 0 (which operand a maximum's gradient goes to).
enum GreaterOrEqualOp: ElementwiseBinary { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 } }
/// 1 where `a <= b`, else 0.
enum LessOrEqualOp: ElementwiseBinary { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 } }
/// `b` where `a > 0`, else 0: relu's gradient (`a` the relu's input, `b` the incoming gradient).
enum PassWherePositiveOp: ElementwiseBinary { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a > 0 ? b : 0 } }

enum ReluOp: ElementwiseUnary { @inline(__always) static func apply(_ x: Float) -> Float { Swift.max(x, 0) } }
enum NegateOp: ElementwiseUnary { @inline(__always) static func apply(_ x: Float) -> Float { -x } }
