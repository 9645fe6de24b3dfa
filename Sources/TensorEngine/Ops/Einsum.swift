/// Einstein summation (NumPy's and Keras's `einsum`) on one or two operands, reduced to sums, transposes, reshapes
/// and one batched GEMM, so that gradients come from those ops' own backward rules.
extension Tensor {
    /// Evaluates an einsum `equation` such as `"abc,cd->abd"`, `"bqhd,bkhd->bhqk"`, `"ij->ji"` or `"...ab,bc->...ac"`
    /// on one or two operands, as `numpy.einsum` / `keras.ops.einsum` do.
    ///
    /// Letters shared by both operands and kept in the output are batch axes, shared letters absent from the output
    /// are contracted, a letter of one operand only is kept or summed away. Without `->`, the output holds the letters
    /// that appear once, in alphabetical order. `...` stands for the same leading (or trailing) axes on each side.
    /// Letters are case-sensitive. A letter repeated within one operand (a diagonal) is not supported.
    /// - Throws: `ShapeError` naming the equation when it is malformed or the operands' shapes disagree with it.
    public static func einsum(_ equation: String, _ operands: Tensor...) throws -> Tensor {
        try einsum(equation, operands)
    }

    /// `einsum(_:_:)` with the operands as an array.
    public static func einsum(_ equation: String, _ operands: [Tensor]) throws -> Tensor {
        let spec = try EinsumSpec(equation, ranks: operands.map(\.rank))
        var sizes: [Character: Int] = [:]
        for (letters, operand) in zip(spec.inputs, operands) {
            for (letter, size) in zip(letters, operand.shape) {
                if let known = sizes[letter], known != size {
                    throw ShapeError("einsum '\(equation)': axis '\(letter)' has size \(known) in one place and \(size) in another (operand shapes \(operands.map(\.shape)))")
                }
                sizes[letter] = size
            }
        }
        if operands.count == 1 { return reduceAndArrange(operands[0], spec.inputs[0], to: spec.output) }
        // Letters of one operand only that the output drops are summed away first.
        let (aLetters, bLetters) = (spec.inputs[0], spec.inputs[1])
        let a = sumAway(operands[0], aLetters, keeping: Set(bLetters + spec.output))
        let b = sumAway(operands[1], bLetters, keeping: Set(aLetters + spec.output))
        let (aKept, bKept) = (aLetters.filter { Set(bLetters + spec.output).contains($0) },
                              bLetters.filter { Set(aLetters + spec.output).contains($0) })
        let batch = spec.output.filter { aKept.contains($0) && bKept.contains($0) }
        let contracted = aKept.filter { bKept.contains($0) && !spec.output.contains($0) }
        let aFree = spec.output.filter { aKept.contains($0) && !bKept.contains($0) }
        let bFree = spec.output.filter { bKept.contains($0) && !aKept.contains($0) }
        let size = { (letters: [Character]) in letters.reduce(1) { $0 * (sizes[$1] ?? 1) } }
        // Computing b·a instead of a·b when that gives the output order without a final transpose.
        let swapped = position(of: batch + bFree + aFree, in: spec.output) == Array(0..<spec.output.count)
            && position(of: batch + aFree + bFree, in: spec.output) != Array(0..<spec.output.count)
        let (left, leftLetters, leftFree, right, rightLetters, rightFree) = swapped
            ? (b, bKept, bFree, a, aKept, aFree) : (a, aKept, aFree, b, bKept, bFree)
        let (lhs, transposeA) = matrices(left, leftLetters, batch: batch, rows: leftFree, columns: contracted, sizes: size)
        let (rhs, transposeB) = matrices(right, rightLetters, batch: batch, rows: contracted, columns: rightFree, sizes: size)
        let product = batchMatmul(lhs, rhs, transposeA: transposeA, transposeB: transposeB)
        let productLetters = batch + leftFree + rightFree
        let unflattened = product.reshaped(to: productLetters.map { sizes[$0] ?? 1 })
        return arrange(unflattened, productLetters, to: spec.output)
    }

    /// Sums `tensor` (axes named by `letters`) over the letters outside `keeping`.
    private static func sumAway(_ tensor: Tensor, _ letters: [Character], keeping: Set<Character>) -> Tensor {
        let axes = letters.indices.filter { !keeping.contains(letters[$0]) }
        return axes.isEmpty ? tensor : tensor.sum(alongAxes: axes)
    }

    /// One operand alone: sums the letters the output drops, then orders the rest as the output.
    private static func reduceAndArrange(_ tensor: Tensor, _ letters: [Character], to output: [Character]) -> Tensor {
        let kept = letters.filter(output.contains)
        return arrange(sumAway(tensor, letters, keeping: Set(output)), kept, to: output)
    }

    /// Transposes `tensor`, whose axes are named by `letters`, into the order of `output` (the same letters).
    private static func arrange(_ tensor: Tensor, _ letters: [Character], to output: [Character]) -> Tensor {
        let permutation = position(of: output, in: letters)
        return permutation == Array(0..<permutation.count) ? tensor : tensor.transposed(permutation)
    }

    /// For each letter of `letters`, its index in `order`.
    private static func position(of letters: [Character], in order: [Character]) -> [Int] {
        letters.map { letter in order.firstIndex(of: letter) ?? 0 }
    }

    /// `tensor` as a `[batch, rows, columns]` stack of matrices, or as `[batch, columns, rows]` with the GEMM's
    /// transpose flag when its axes already lie in that order (no copy).
    private static func matrices(_ tensor: Tensor, _ letters: [Character], batch: [Character], rows: [Character],
                                 columns: [Character], sizes: ([Character]) -> Int) -> (Tensor, Bool) {
        let shape = [sizes(batch), sizes(rows), sizes(columns)]
        let direct = position(of: batch + rows + columns, in: letters)
        let flipped = position(of: batch + columns + rows, in: letters)
        if flipped == Array(0..<flipped.count) && direct != flipped {
            return (tensor.reshaped(to: [shape[0], shape[2], shape[1]]), true)
        }
        let ordered = direct == Array(0..<direct.count) ? tensor : tensor.transposed(direct)
        return (ordered.reshaped(to: shape), false)
    }
}

/// A parsed einsum equation: each operand's axis letters and the output's, with `...` expanded to letters of its own.
struct EinsumSpec {
    let inputs: [[Character]]
    let output: [Character]

    init(_ equation: String, ranks: [Int]) throws {
        let fail = { (why: String) in ShapeError("einsum '\(equation)': \(why)") }
        let text = equation.filter { !$0.isWhitespace }
        let sides = text.components(separatedBy: "->")
        guard sides.count <= 2 else { throw fail("more than one '->'") }
        let terms = sides[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard terms.count == ranks.count else {
            throw fail("the equation names \(terms.count) operand(s), \(ranks.count) were given")
        }
        guard (1...2).contains(ranks.count) else { throw fail("one or two operands are supported, \(ranks.count) were given") }
        // `...` becomes fresh letters (not used elsewhere), aligned at the right as NumPy broadcasts them.
        let used = Set(text.filter(\.isLetter))
        let spare = (0..<256).compactMap { UnicodeScalar(0x3B1 + $0).map(Character.init) }.filter { !used.contains($0) }
        let split = terms.map { $0.components(separatedBy: "...") }
        let ellipsisRank = zip(split, ranks).map { pieces, rank in pieces.count == 2 ? rank - pieces.joined().count : 0 }.max() ?? 0
        var parsed: [[Character]] = []
        for ((term, pieces), rank) in zip(zip(terms, split), ranks) {
            guard pieces.count <= 2 else { throw fail("'\(term)' has more than one '...'") }
            let letters = pieces.joined()
            guard letters.allSatisfy(\.isLetter) else { throw fail("'\(term)' holds a character that is not a letter") }
            if pieces.count == 2 {
                let extra = rank - letters.count
                guard extra >= 0 else { throw fail("'\(term)' names \(letters.count) axes, its operand has rank \(rank)") }
                parsed.append(Array(pieces[0]) + Array(spare[(ellipsisRank - extra)..<ellipsisRank]) + Array(pieces[1]))
            } else {
                guard letters.count == rank else { throw fail("'\(term)' names \(letters.count) axes, its operand has rank \(rank)") }
                parsed.append(Array(letters))
            }
            if Set(parsed[parsed.count - 1]).count != parsed[parsed.count - 1].count {
                throw fail("'\(term)' repeats a letter (diagonals are not supported)")
            }
        }
        let ellipsis = Array(spare[0..<ellipsisRank])
        if sides.count == 2 {
            let pieces = sides[1].components(separatedBy: "...")
            guard pieces.count <= 2, pieces.joined().allSatisfy(\.isLetter) else { throw fail("the output '\(sides[1])' is malformed") }
            output = pieces.count == 2 ? Array(pieces[0]) + ellipsis + Array(pieces[1]) : Array(pieces[0])
            let all = Set(parsed.joined())
            if let stray = output.first(where: { !all.contains($0) }) { throw fail("output letter '\(stray)' names no operand axis") }
            if Set(output).count != output.count { throw fail("the output repeats a letter") }
        } else {
            let counts = Dictionary(parsed.joined().map { ($0, 1) }, uniquingKeysWith: +)
            output = ellipsis + counts.filter { $0.value == 1 && !ellipsis.contains($0.key) }.map(\.key).sorted()
        }
        inputs = parsed
    }
}
