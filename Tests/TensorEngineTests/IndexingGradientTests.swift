import Testing
@testable import TensorEngine

/// The gradients of the ops behind `keras.ops` in graphs (picking by index, selections, running sums and products,
/// two-argument functions, the elementary functions) match finite differences, and their forward results follow
/// NumPy's rules.
struct IndexingGradientTests {
    let t = smoothTensor([2, 3, 4], seed: 21)

    @Test func takingSlicesRepeatsAndDropsAxes() {
        checkGradients([t]) { $0[0].taking([2, 0, 2, 1], shaped: [2, 2], alongAxis: 1) }
        checkGradients([t]) { $0[0].taking([3], shaped: [], alongAxis: -1) }
        checkGradients([t]) { $0[0].taking([0, 0, 1, 1, 2, 2], shaped: [6], alongAxis: 1) }
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(x.taking([2, 0, 2], shaped: [3], alongAxis: 1).scalars == [3, 1, 3, 6, 4, 6])
        #expect(x.taking([1], shaped: [], alongAxis: 0).shape == [3])
    }

    @Test func takingAlongAnAxisAndTopK() {
        let indices = [1, 0, 2, 2, 0, 1, 3, 3, 0, 1, 2, 3, 0, 0, 0, 1, 1, 1]   // 2 × 3 × 3 along the last axis
        checkGradients([t]) { $0[0].taking(alongAxis: -1, indices: indices, count: 3) }
        checkGradients([t]) { $0[0].topK(2).values }
        let x = Tensor(shape: [2, 4], scalars: [1, 5, 5, 2, -1, -3, 0, 7])
        let (values, order) = x.topK(3)
        #expect(values.scalars == [5, 5, 2, 7, 0, -1])
        #expect(order.scalars == [1, 2, 3, 3, 2, 0])
        #expect(x.argmax(alongAxis: 1).scalars == [1, 3])
        #expect(x.argmax(alongAxis: 0, keepingDims: true).shape == [1, 4])
    }

    @Test func selectingSendsTheGradientToThePickedOperand() {
        let condition = Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0 % 3 == 0 ? 1 : 0) })
        checkGradients([smoothTensor([3, 4], seed: 22), smoothTensor([4], seed: 23)]) { Tensor.selecting(condition, $0[0], $0[1]) }
        #expect(Tensor.selecting(Tensor(shape: [2], scalars: [1, 0]), Tensor(shape: [2], scalars: [5, 6]), Tensor(-1)).scalars == [5, -1])
    }

    @Test func runningSumsAndProducts() {
        for axis in [0, 1, 2] {
            checkGradients([t]) { $0[0].cumulativeSum(alongAxis: axis) }
            checkGradients([t]) { $0[0].cumulativeProduct(alongAxis: axis) }
        }
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 4, 5])
        #expect(x.cumulativeSum(alongAxis: 1).scalars == [1, 3, 6, 0, 4, 9])
        #expect(x.cumulativeProduct(alongAxis: 1).scalars == [1, 2, 6, 0, 0, 0])
        // The product's gradient is exact where an element is zero.
        checkGradients([x]) { $0[0].cumulativeProduct(alongAxis: 1) }
    }

    @Test func binaryFunctions() {
        let positive = randomTensor([3, 4], seed: 24, low: 0.5, high: 2)
        let y = smoothTensor([3, 4], seed: 25)
        checkGradients([positive, y]) { Tensor.combining($0[0], $0[1], .power) }
        checkGradients([positive, y]) { Tensor.combining($0[0], $0[1], .arctan2) }
        checkGradients([y, Tensor(0.7)]) { Tensor.combining($0[0], $0[1], .mod) }
        checkGradients([y, Tensor(0.7)]) { Tensor.combining($0[0], $0[1], .fmod) }
        checkGradients([positive, y]) { Tensor.combining($0[0], $0[1], .hypot) }
        checkGradients([positive, y]) { Tensor.combining($0[0], $0[1], .logaddexp) }
        let x = Tensor(shape: [4], scalars: [5, -5, 5, -5.5])
        let d = Tensor(shape: [4], scalars: [3, 3, -3, 2])
        #expect(Tensor.combining(x, d, .mod).scalars == [2, 1, -1, 0.5])
        #expect(Tensor.combining(x, d, .floorDivide).scalars == [1, -2, -2, -3])
        #expect(Tensor.combining(x, Tensor(0), .greater).scalars == [1, 0, 1, 0])
    }

    @Test func elementaryFunctions() {
        let functions: [UnaryFunction] = [.sin, .cos, .arctan, .sinh, .cosh, .arcsinh, .expm1, .tan, .geluTanh, .logSigmoid, .celu(alpha: 0.7), .exp2, .erf, .erfc]
        for function in functions { checkGradients([randomTensor([3, 4], seed: 26, low: -1, high: 1)]) { $0[0].applying(function) } }
        let unit = randomTensor([3, 4], seed: 27, low: -0.8, high: 0.8)
        for function: UnaryFunction in [.arcsin, .arccos, .arctanh] { checkGradients([unit]) { $0[0].applying(function) } }
        let positive = randomTensor([3, 4], seed: 28, low: 0.5, high: 3)
        for function: UnaryFunction in [.log1p, .log2, .log10, .reciprocal, .rsqrt] { checkGradients([positive]) { $0[0].applying(function) } }
        checkGradients([positive + 1]) { $0[0].applying(.arccosh) }
        let x = Tensor(shape: [5], scalars: [-1.5, -0.5, 0.5, 1.5, 2.5])
        #expect(x.applying(.round).scalars == [-2, -0, 0, 2, 2])
        #expect(x.applying(.truncate).scalars == [-1, -0, 0, 1, 2])
        #expect(x.applying(.sign).scalars == [-1, -1, 1, 1, 1])
    }
}
