/// The einsum equations MultiHeadAttention builds, as Keras's `_build_proj_equation` and `_build_attention_equation`
/// write them (letters `a`, `b`, … by axis).
enum AttentionEquations {
    private static func letter(_ i: Int) -> Character { Character(UnicodeScalar(UInt8(97 + i))) }

    /// A projection of `freeDims` kept axes and `boundDims` contracted axes onto `outputDims` new axes: the equation,
    /// the bias letters and the output's rank.
    static func projection(freeDims: Int, boundDims: Int, outputDims: Int) -> (equation: String, biasAxes: String, outputRank: Int) {
        let free = (0..<freeDims).map(letter)
        let bound = (freeDims..<freeDims + boundDims).map(letter)
        let out = (freeDims + boundDims..<freeDims + boundDims + outputDims).map(letter)
        return ("\(String(free + bound)),\(String(bound + out))->\(String(free + out))", String(out), free.count + out.count)
    }

    /// The query–key dot product and the combination with the values, for projected tensors of `rank`
    /// `(batch, <other axes>, <attention axes>, heads, channels)`, and the rank of the scores.
    static func attention(rank: Int, attentionAxes: [Int]) -> (dotProduct: String, combine: String, scoresRank: Int) {
        let target = (0..<rank).map(letter)
        let batchDims = (0..<rank).filter { !attentionAxes.contains($0) && $0 != rank - 1 }
        var offset = rank
        let source: [Character] = (0..<rank).map { i in
            if batchDims.contains(i) || i == rank - 1 { return target[i] }
            defer { offset += 1 }
            return letter(offset)
        }
        let product = batchDims.map { target[$0] } + attentionAxes.map { target[$0] } + attentionAxes.map { source[$0] }
        let (s, t, p) = (String(source), String(target), String(product))
        return ("\(s),\(t)->\(p)", "\(p),\(s)->\(t)", product.count)
    }
}
