/// What `EinsumDense` derives from its equation, as Keras's `_analyze_einsum_string` does: the kernel's and the
/// bias's shapes and the output's per-sample shape, for the three forms Keras accepts (`ab,bc->ac`,
/// `...b,bc->...c`, `ab...,bc->ac...`).
struct EinsumDenseEquation {
    let kernelShape: [Int]
    /// The kernel's shape seen as `[input units, output units]`: the products of its axes taken from the input and of
    /// those that appear in the output (the fans Keras gives a variance-scaling kernel initializer).
    let kernelFanShape: [Int]
    let biasShape: [Int]?
    /// The per-sample output shape.
    let outputShape: [Int]

    /// `inputShape` is per sample; `partialOutput` is the layer's `output_shape` (sizes, `nil` where free).
    init(_ equation: String, biasAxes: String?, inputShape sample: [Int], partialOutput: [Int?]) throws {
        let fail = { (why: String) in ShapeError("EinsumDense equation '\(equation)': \(why)") }
        let text = equation.replacingOccurrences(of: "...", with: "0")
        let sides = text.components(separatedBy: "->")
        let operands = sides[0].components(separatedBy: ",")
        guard sides.count == 2, operands.count == 2 else {
            throw fail("equations must be of the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...")
        }
        let isLetters = { (s: String) in !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isLetter } }
        var (inputSpec, weightSpec, outputSpec) = (operands[0], operands[1], sides[1])
        let leftElided: Bool
        if isLetters(inputSpec), isLetters(weightSpec), isLetters(outputSpec) {
            leftElided = false
        } else if inputSpec.hasPrefix("0"), outputSpec.hasPrefix("0"), isLetters(String(inputSpec.dropFirst())),
                  isLetters(weightSpec), isLetters(String(outputSpec.dropFirst())) {
            (inputSpec, outputSpec, leftElided) = (String(inputSpec.dropFirst()), String(outputSpec.dropFirst()), true)
        } else if inputSpec.hasSuffix("0"), outputSpec.hasSuffix("0"), inputSpec.count > 2, isLetters(String(inputSpec.dropLast())),
                  isLetters(weightSpec), isLetters(String(outputSpec.dropLast())) {
            (inputSpec, outputSpec, leftElided) = (String(inputSpec.dropLast()), String(outputSpec.dropLast()), false)
        } else {
            throw fail("equations must be of the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...")
        }
        let (input, weight, output) = (Array(inputSpec), Array(weightSpec), Array(outputSpec))
        // Keras's shapes include the batch axis (unknown here: nil).
        let inputShape: [Int?] = [nil] + sample.map { Optional($0) }
        let elided = inputShape.count - input.count
        guard elided >= 0, leftElided || sides[0].contains("0") || elided == 0 else {
            throw fail("the input has rank \(inputShape.count) (batch included), the equation names \(input.count) axes")
        }
        var full: [Int?] = [nil] + partialOutput
        if elided > 0 && leftElided {
            for i in 1..<max(elided, 1) { full.insert(inputShape[i], at: 1) }
        } else if elided > 0 {
            full += inputShape[(inputShape.count - elided)...]
        }
        func inputIndex(_ i: Int) -> Int { leftElided ? i + elided : i }
        func outputIndex(_ i: Int) -> Int { leftElided ? i + elided : i }
        var inputSize: [Character: Int?] = [:]
        for (i, letter) in input.enumerated() { inputSize[letter] = inputShape[inputIndex(i)] }
        var outputPosition: [Character: Int] = [:]
        for (i, letter) in output.enumerated() { outputPosition[letter] = outputIndex(i) }
        guard outputPosition.values.allSatisfy({ $0 < full.count }) else {
            throw fail("output_shape \(Shape.describe(partialOutput)) has fewer axes than the output '\(outputSpec)'")
        }
        for letter in input {
            if let at = outputPosition[letter], let given = full[at], let size = inputSize[letter] ?? nil, given != size {
                throw fail("input and output shapes do not match at shared dimension '\(letter)': \(size) and \(given)")
            }
        }
        for letter in output where !input.contains(letter) && !weight.contains(letter) {
            throw fail("dimension '\(letter)' of the output has no corresponding dimension in the input or the weight")
        }
        var kernel: [Int] = []
        var fans = [1, 1]
        for letter in weight {
            let size: Int?
            if let at = outputPosition[letter] { size = full[at] ?? inputSize[letter] ?? nil } else if let s = inputSize[letter] { size = s } else {
                throw fail("weight dimension '\(letter)' has no match in the input or the output; the weight must be fully specified")
            }
            guard let size else { throw fail("the size of weight dimension '\(letter)' is unknown") }
            kernel.append(size)
            fans[outputPosition[letter] == nil ? 0 : 1] *= size
        }
        kernelShape = kernel
        kernelFanShape = fans
        var letterSize: [Character: Int] = [:]
        for (letter, size) in zip(weight, kernel) { letterSize[letter] = size }
        for (letter, size) in inputSize { if let size { letterSize[letter] = size } }
        if !leftElided, let batch = input.first { letterSize[batch] = 1 }   // the batch axis, dropped below
        if let biasAxes {
            for c in biasAxes where !output.contains(c) { throw fail("bias dimension '\(c)' is not part of the output '\(outputSpec)'") }
            let first = biasAxes.compactMap { output.firstIndex(of: $0) }.min() ?? 0
            var bias = output[first...].map { biasAxes.contains($0) ? (letterSize[$0] ?? 1) : 1 }
            if !leftElided { bias += Array(repeating: 1, count: elided) }
            biasShape = bias
        } else {
            biasShape = nil
        }
        // The real per-sample output: each output letter's size, the elided axes where the ellipsis stands.
        let ellipsisSizes = leftElided ? Array(sample.prefix(elided - 1)) : Array(sample.suffix(elided))
        let named = try output.map { letter in
            guard let size = letterSize[letter] else { throw fail("the size of output dimension '\(letter)' is unknown") }
            return size
        }
        let resolved = leftElided ? ellipsisSizes + named : Array(named.dropFirst()) + ellipsisSizes
        outputShape = resolved
        for (given, size) in zip(partialOutput.suffix(resolved.count), resolved.suffix(partialOutput.count)) where given != nil && given != size {
            throw fail("output_shape \(Shape.describe(partialOutput)) does not match the computed output \(Shape.describe(resolved.map { Optional($0) }))")
        }
    }
}
