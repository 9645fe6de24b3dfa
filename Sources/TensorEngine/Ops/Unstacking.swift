extension Tensor {
    /// The slices along the first axis, each of shape `shape.dropFirst()` (Keras's `ops.unstack(x, axis=0)`): how a
    /// recurrent layer takes each time step of its inputs projected all at once.
    ///
    /// Slicing a tracked tensor `n` times with `slice` would hand back `n` gradients of the whole tensor (`n²` work
    /// for `n` steps). Here the pieces' gradients are collected into one buffer instead: every piece depends on one
    /// collector node whose own "output" is a scalar token; the tape reaches the collector only after every piece,
    /// and its pullback assembles the whole gradient once (zeros for pieces the loss does not use).
    public func unstacked() -> [Tensor] {
        precondition(rank >= 1, "unstacked: a scalar has no first axis")
        let count = shape[0]
        let pieceShape = Array(shape.dropFirst())
        let width = pieceShape.elementCount
        let pieces = (0..<count).map { i in
            Tensor(shape: pieceShape, scalars: Array(scalars[(i * width)..<((i + 1) * width)]))
        }
        guard let parent = node else { return pieces }
        let collected = PieceGradients(count: count)
        let fullShape = shape
        let collector = GradNode(shape: [], inputs: [parent]) { _ in
            let grad = Kernels.make(fullShape.elementCount) { out in
                for (i, piece) in collected.pieces.enumerated() {
                    let target = out + i * width
                    if let piece { piece.scalars.withUnsafeBufferPointer { target.initialize(from: $0.baseAddress!, count: width) } }
                    else { target.initialize(repeating: 0, count: width) }
                }
            }
            return [Tensor(shape: fullShape, scalars: grad)]
        }
        return pieces.enumerated().map { i, piece in
            Tensor(shape: pieceShape, scalars: piece.scalars, node: GradNode(shape: pieceShape, inputs: [collector]) { g in
                collected.pieces[i] = g
                return [Tensor(0)]   // the collector's token gradient; the real one is in `collected`
            })
        }
    }
}

/// The gradients of `unstacked`'s pieces, filled in by their pullbacks before the collector reads them.
private final class PieceGradients: @unchecked Sendable {
    var pieces: [Tensor?]
    init(count: Int) { pieces = Array(repeating: nil, count: count) }
}
