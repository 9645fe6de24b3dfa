import Testing
@testable import TensorEngine

@Suite("Every primitive op's gradient matches finite differences")
struct OpGradientTests {
    let a = smoothTensor([3, 4], seed: 1)
    let b = smoothTensor([3, 4], seed: 2)
    let row = smoothTensor([4], seed: 3)

    @Test func addSubtractMultiplyDivideSameShape() {
        checkGradients([a, b]) { $0[0] + $0[1] }
        checkGradients([a, b]) { $0[0] - $0[1] }
        checkGradients([a, b]) { $0[0] * $0[1] }
        checkGradients([a, b]) { $0[0] / $0[1] }
    }

    @Test func broadcastingSumsGradientsBackOverStretchedAxes() {
        checkGradients([a, row]) { $0[0] + $0[1] }
        checkGradients([a, row]) { $0[0] * $0[1] }
        checkGradients([row, a]) { $0[0] / $0[1] }
        checkGradients([a, smoothTensor([3, 1], seed: 4)]) { $0[0] - $0[1] }
        checkGradients([a, Tensor(1.5)]) { $0[0] * $0[1] }
        checkGradients([smoothTensor([2, 1, 4], seed: 5), smoothTensor([3, 1], seed: 6)]) { $0[0] * $0[1] }
    }

    @Test func maximumAndMinimum() {
        checkGradients([a, b]) { Tensor.maximum($0[0], $0[1]) }
        checkGradients([a, b]) { Tensor.minimum($0[0], $0[1]) }
    }

    @Test func matmulWithEveryTransposeCombination() {
        let m = smoothTensor([3, 5], seed: 8)
        let n = smoothTensor([5, 2], seed: 9)
        checkGradients([m, n]) { Tensor.matmul($0[0], $0[1]) }
        checkGradients([m.transposed(), n]) { Tensor.matmul($0[0], $0[1], transposeA: true) }
        checkGradients([m, n.transposed()]) { Tensor.matmul($0[0], $0[1], transposeB: true) }
        checkGradients([m.transposed(), n.transposed()]) { Tensor.matmul($0[0], $0[1], transposeA: true, transposeB: true) }
        checkGradients([smoothTensor([2, 3, 5], seed: 10), n]) { $0[0].matmul($0[1]) }
    }

    @Test func reductions() {
        let t = smoothTensor([2, 3, 4], seed: 11)
        for axis in [0, 1, 2, -1] {
            checkGradients([t]) { $0[0].sum(alongAxis: axis) }
            checkGradients([t]) { $0[0].mean(alongAxis: axis, keepingDims: true) }
            checkGradients([t]) { $0[0].max(alongAxis: axis) }
        }
        checkGradients([t]) { $0[0].sum() }
        checkGradients([t]) { $0[0].mean() }
        checkGradients([t]) { $0[0].sum(alongAxes: [0, 2]) }
    }

    @Test func shaping() {
        let t = smoothTensor([2, 3, 4], seed: 12)
        checkGradients([t]) { $0[0].reshaped(to: [6, 4]) }
        checkGradients([t]) { $0[0].reshaped(to: [-1]) }
        checkGradients([t]) { $0[0].transposed([2, 0, 1]) }
        checkGradients([a]) { $0[0].transposed() }
        checkGradients([t]) { $0[0].slice(alongAxis: 1, from: 1, count: 2) }
        checkGradients([t, smoothTensor([2, 1, 4], seed: 13)]) { Tensor.concatenate([$0[0], $0[1]], alongAxis: 1) }
        checkGradients([a, b]) { Tensor.concatenate([$0[0], $0[1], $0[0]], alongAxis: -1) }
        checkGradients([row]) { $0[0].broadcast(to: [3, 4]) }
    }

    @Test func unaryFunctions() {
        let functions: [UnaryFunction] = [
            .negate, .exp, .square, .abs, .relu, .clip(-1, 1), .identity, .relu6, .leakyRelu(), .elu(), .selu, .gelu,
            .sigmoid, .hardSigmoid, .tanh, .softplus, .softsign, .silu, .mish,
        ]
        for function in functions {
            checkGradients([a]) { $0[0].applying(function) }
        }
        let positive = randomTensor([3, 4], seed: 14, low: 0.5, high: 3)
        checkGradients([positive]) { $0[0].log() }
        checkGradients([positive]) { $0[0].sqrt() }
    }

    @Test func softmaxAndLogSoftmax() {
        checkGradients([a]) { $0[0].softmax() }
        checkGradients([a]) { $0[0].logSoftmax() }
        checkGradients([smoothTensor([2, 3, 4], seed: 15)]) { $0[0].softmax(alongAxis: 1) }
    }

    @Test func aValueUsedTwiceAccumulatesBothGradients() {
        checkGradients([a]) { $0[0] * $0[0] + $0[0] }
    }

    @Test func untrackedInputsBuildNoGraph() {
        let out = (a.matmul(a.transposed()) + 1).relu().softmax()
        #expect(out.node == nil)
    }
}

/// Batched matrix products: every transposition, against finite differences.
struct BatchMatmulGradientTests {
    @Test func everyTransposition() {
        for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = randomTensor(transposeA ? [3, 4, 2] : [3, 2, 4], seed: 8)
            let b = randomTensor(transposeB ? [3, 5, 4] : [3, 4, 5], seed: 9)
            checkGradients([a, b]) { t in Tensor.batchMatmul(t[0], t[1], transposeA: transposeA, transposeB: transposeB) }
        }
    }

    @Test func equalsOneMatmulPerItem() {
        let a = randomTensor([4, 3, 5], seed: 10), b = randomTensor([4, 6, 5], seed: 11)
        let batched = Tensor.batchMatmul(a, b, transposeB: true)
        for i in 0..<4 {
            let one = Tensor.matmul(a.slice(alongAxis: 0, from: i, count: 1).reshaped(to: [3, 5]),
                                    b.slice(alongAxis: 0, from: i, count: 1).reshaped(to: [6, 5]), transposeB: true)
            #expect(batched.slice(alongAxis: 0, from: i, count: 1).scalars == one.scalars)
        }
    }
}

/// Convolution, pooling, padding and upsampling: reverse-mode gradients against finite differences.
struct WindowOpGradientTests {
    @Test func conv2dWithStridesPaddingAndGroups() {
        let g = WindowGeometry(kernel: [2, 3], strides: [2, 1], padBefore: [1, 1], padAfter: [0, 1])
        checkGradients([randomTensor([2, 4, 5, 4], seed: 1), randomTensor([2, 3, 2, 4], seed: 2)]) { t in
            Tensor.conv(t[0], t[1], geometry: g, groups: 2)
        }
        checkGradients([randomTensor([1, 5, 5, 2], seed: 3), randomTensor([2, 2, 2, 3], seed: 4)]) { t in
            Tensor.conv(t[0], t[1], geometry: WindowGeometry(kernel: [2, 2], dilation: [2, 1]))
        }
    }

    @Test func conv3dAndConv1dWithStridesPaddingDilationAndGroups() {
        let g = WindowGeometry(kernel: [2, 2, 3], strides: [2, 1, 1], dilation: [1, 2, 1], padBefore: [1, 0, 1], padAfter: [0, 1, 1])
        checkGradients([randomTensor([2, 3, 4, 3, 4], seed: 11), randomTensor([2, 2, 3, 2, 4], seed: 12)]) { t in
            Tensor.conv(t[0], t[1], geometry: g, groups: 2)
        }
        checkGradients([randomTensor([2, 6, 3], seed: 13), randomTensor([3, 3, 2], seed: 14)]) { t in
            Tensor.conv(t[0], t[1], geometry: WindowGeometry(kernel: [3], strides: [2], padBefore: [2]))
        }
    }

    @Test func conv2dTransposeWithStridesPaddingAndUncoveredRows() {
        // A 7×6 image whose conv windows (stride 2, padding 1 before, -1 after) give the 3×3 input: its last row is
        // covered by no window, as with Keras's output_padding.
        let g = WindowGeometry(kernel: [3, 2], strides: [2, 2], padBefore: [1, 0], padAfter: [-1, 0])
        #expect(g.outputSize([7, 6]) == [3, 3])
        checkGradients([randomTensor([2, 3, 3, 2], seed: 6), randomTensor([3, 2, 4, 2], seed: 7)]) { t in
            Tensor.convTranspose(t[0], t[1], geometry: g, outputSize: [7, 6])
        }
    }

    @Test func conv3dTransposeWithStrides() {
        let g = WindowGeometry(kernel: [2, 3, 2], strides: [2, 1, 2], padBefore: [0, 1, 0], padAfter: [1, 1, 0])
        #expect(g.outputSize([5, 3, 4]) == [3, 3, 2])
        checkGradients([randomTensor([2, 3, 3, 2, 2], seed: 8), randomTensor([2, 3, 2, 3, 2], seed: 9)]) { t in
            Tensor.convTranspose(t[0], t[1], geometry: g, outputSize: [5, 3, 4])
        }
    }

    @Test func poolingPaddingAndUpsampling() {
        let g = WindowGeometry(kernel: [2, 2], strides: [2, 2], padAfter: [1, 1])
        let x = randomTensor([2, 3, 3, 2], seed: 5)
        checkGradients([x]) { Tensor.maxPool($0[0], geometry: g) }
        checkGradients([x]) { Tensor.averagePool($0[0], geometry: g) }
        checkGradients([x]) { $0[0].zeroPadded(before: [1, 2], after: [0, 1]) }
        checkGradients([x]) { $0[0].upsampled([2, 3]) }
    }

    @Test func pooling3dPaddingAndUpsampling() {
        let g = WindowGeometry(kernel: [2, 2, 1], strides: [1, 2, 1], padBefore: [0, 0, 0], padAfter: [1, 1, 0])
        let x = randomTensor([2, 3, 3, 2, 2], seed: 10)
        checkGradients([x]) { Tensor.maxPool($0[0], geometry: g) }
        checkGradients([x]) { Tensor.averagePool($0[0], geometry: g) }
        checkGradients([x]) { $0[0].zeroPadded(before: [1, 0, 2], after: [0, 1, 1]) }
        checkGradients([x]) { $0[0].upsampled([2, 1, 3]) }
    }

    @Test func gatheredRowsAddTheirGradientsBack() {
        checkGradients([randomTensor([4, 3], seed: 6)]) { Tensor.gatherRows(of: $0[0], indices: [2, 0, 2, 3, 2, 1], outerShape: [2, 3]) }
    }
}
