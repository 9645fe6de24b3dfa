import Testing
@testable import TensorEngine

/// The ops recurrent layers and masks add: reversing an axis (Keras's `ops.flip`) and comparisons as 0/1 masks.
struct SequenceOpTests {
    @Test func reversedFlipsOneAxisAndItsGradientFlipsBack() {
        let t = Tensor(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))
        #expect(t.reversed(alongAxis: 1).scalars == [4, 5, 2, 3, 0, 1, 10, 11, 8, 9, 6, 7])
        #expect(t.reversed(alongAxis: 0).scalars == [6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5])
        #expect(t.reversed(alongAxis: -1).scalars == [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10])
        checkGradients([randomTensor([2, 4, 3], seed: 21)]) { $0[0].reversed(alongAxis: 1) }
    }

    @Test func notEqualGivesOneWhereElementsDiffer() {
        let t = Tensor(shape: [2, 3], scalars: [0, 1, -0, 2, 0, 0.5])
        #expect(t.notEqual(0).scalars == [0, 1, 0, 1, 0, 1])
        #expect(t.notEqual(Tensor(shape: [2, 3], scalars: [0, 2, 0, 2, 1, 0.5])).scalars == [0, 1, 0, 0, 1, 0])
    }
}

extension SequenceOpTests {
    @Test func unstackedGivesTheRowsAndGathersTheirGradientsOnce() {
        let t = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t.unstacked().map(\.scalars) == [[1, 2], [3, 4], [5, 6]])
        #expect(t.unstacked().map(\.shape) == [[2], [2], [2]])
        checkGradients([randomTensor([4, 2, 3], seed: 22)]) { x in
            let steps = x[0].unstacked()
            return steps[0] * steps[3] + steps[2].squared()   // step 1 unused: its gradient is zero
        }
        checkGradients([randomTensor([3, 2], seed: 23)]) { x in Tensor.concatenate(x[0].unstacked().reversed(), alongAxis: 0) }
    }
}
