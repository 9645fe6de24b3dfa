import Testing
@testable import TensorEngine

/// `Tensor.einsum` against a brute-force sum over every letter's index (the definition of einsum), and its gradients
/// against finite differences.
@Suite("einsum equals the brute-force sum and differentiates")
struct EinsumTests {
    /// The definition: for each assignment of indices to the letters, add the product of the operands' elements into
    /// the output element the output letters select.
    func bruteForce(_ inputs: [[Character]], _ output: [Character], _ operands: [Tensor]) -> Tensor {
        var sizes: [Character: Int] = [:]
        for (letters, t) in zip(inputs, operands) { for (l, s) in zip(letters, t.shape) { sizes[l] = s } }
        let letters = Array(sizes.keys).sorted()
        let outShape = output.map { sizes[$0]! }
        var out = [Float](repeating: 0, count: outShape.reduce(1, *))
        let total = letters.reduce(1) { $0 * sizes[$1]! }
        func flat(_ names: [Character], _ shape: [Int], _ index: [Character: Int]) -> Int {
            zip(names, shape).reduce(0) { $0 * $1.1 + index[$1.0]! }
        }
        for n in 0..<total {
            var index: [Character: Int] = [:]
            var rest = n
            for l in letters.reversed() { index[l] = rest % sizes[l]!; rest /= sizes[l]! }
            let product = zip(inputs, operands).reduce(Float(1)) { $0 * $1.1.scalars[flat($1.0, $1.1.shape, index)] }
            out[flat(output, outShape, index)] += product
        }
        return Tensor(shape: outShape, scalars: out)
    }

    func check(_ equation: String, _ shapes: [[Int]], inputs: [String], output: String) throws {
        let operands = shapes.enumerated().map { smoothTensor($0.element, seed: UInt64(20 + $0.offset)) }
        let got = try Tensor.einsum(equation, operands)
        let want = bruteForce(inputs.map(Array.init), Array(output), operands)
        #expect(got.shape == want.shape, "\(equation): shape \(got.shape), expected \(want.shape)")
        let worst = zip(got.scalars, want.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-4, "\(equation): worst difference \(worst)")
        checkGradients(operands) { (try? Tensor.einsum(equation, $0)) ?? Tensor(0) }
    }

    @Test func einsumDenseAndMultiHeadAttentionEquations() throws {
        try check("abc,cd->abd", [[2, 3, 4], [4, 5]], inputs: ["abc", "cd"], output: "abd")
        try check("abc,cde->abde", [[2, 3, 4], [4, 2, 3]], inputs: ["abc", "cde"], output: "abde")
        try check("abcd,cde->abe", [[2, 3, 2, 3], [2, 3, 4]], inputs: ["abcd", "cde"], output: "abe")
        try check("aecd,abcd->acbe", [[2, 3, 2, 4], [2, 5, 2, 4]], inputs: ["aecd", "abcd"], output: "acbe")
        try check("acbe,aecd->abcd", [[2, 2, 5, 3], [2, 3, 2, 4]], inputs: ["acbe", "aecd"], output: "abcd")
        try check("ab,bc->ac", [[3, 4], [4, 2]], inputs: ["ab", "bc"], output: "ac")
    }

    @Test func transposesSumsBatchAxesAndImplicitOutput() throws {
        try check("ij->ji", [[3, 4]], inputs: ["ij"], output: "ji")
        try check("ijk->k", [[2, 3, 4]], inputs: ["ijk"], output: "k")
        try check("bij,bjk->bki", [[2, 3, 4], [2, 4, 3]], inputs: ["bij", "bjk"], output: "bki")
        try check("ij,jk", [[3, 4], [4, 2]], inputs: ["ij", "jk"], output: "ik")
        try check("i,j->ij", [[3], [4]], inputs: ["i", "j"], output: "ij")
        try check("ij,ij->", [[3, 4], [3, 4]], inputs: ["ij", "ij"], output: "")
        try check("iJk,kl->lJ", [[2, 3, 4], [4, 2]], inputs: ["iJk", "kl"], output: "lJ")
        try check("bxy,bz->bzx", [[2, 3, 2], [2, 4]], inputs: ["bxy", "bz"], output: "bzx")
    }

    @Test func ellipsisStandsForTheSameAxes() throws {
        try check("...ab,bc->...ac", [[2, 3, 4, 5], [5, 2]], inputs: ["pqab", "bc"], output: "pqac")
        try check("ab...,bc->ac...", [[3, 4, 2], [4, 2]], inputs: ["abp", "bc"], output: "acp")
    }

    @Test func malformedEquationsThrowNamingTheEquation() {
        let m = smoothTensor([3, 4], seed: 1)
        for equation in ["ij,jk->ik", "ii->i", "ij->iz", "i1->i", "ij->ji->ij"] {
            #expect(throws: ShapeError.self) { try Tensor.einsum(equation, m) }
        }
        #expect(throws: ShapeError.self) { try Tensor.einsum("ij,jk->ik", m, smoothTensor([3, 2], seed: 2)) }
    }
}
