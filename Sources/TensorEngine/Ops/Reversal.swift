extension Tensor {
    /// The elements in reverse order along `axis` (NumPy's `flip`; Keras's `ops.flip`). Its gradient is the
    /// incoming gradient flipped back.
    public func reversed(alongAxis axis: Int) -> Tensor {
        let a = normalizedAxis(axis)
        let (outer, size, inner) = split(at: a)
        let out = scalars.withUnsafeBufferPointer { src in
            Kernels.make(count) { out in
                guard let src = src.baseAddress else { return }
                for o in 0..<outer {
                    for i in 0..<size {
                        (out + (o * size + i) * inner).initialize(from: src + (o * size + size - 1 - i) * inner, count: inner)
                    }
                }
            }
        }
        return .recorded(Tensor(shape: shape, scalars: out), from: [self]) { g, _ in [g.reversed(alongAxis: a)] }
    }
}
