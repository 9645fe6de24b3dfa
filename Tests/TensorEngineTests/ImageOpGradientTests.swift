import Testing
@testable import TensorEngine

/// The image ops' gradients (resize, affine transform, patch extraction) match finite differences. Their
/// forward values are pinned against Keras by the Keras fixtures (`Fixtures/layers/image_preprocessing`,
/// `Fixtures/image_geometry`).
@Suite("Image ops' gradients match finite differences")
struct ImageOpGradientTests {
    let images = smoothTensor([2, 4, 5, 1], seed: 21)

    @Test(arguments: ResizeInterpolation.allCases)
    func resizeUpAndDown(_ interpolation: ResizeInterpolation) {
        checkGradients([images]) { $0[0].resizedImages(height: 3, width: 8, interpolation: interpolation) }
        checkGradients([images]) { $0[0].resizedImages(height: 4, width: 3, interpolation: interpolation, antialias: true) }
        checkGradients([images]) { $0[0].resizedImages(height: 7, width: 4, interpolation: interpolation, channelsFirst: true) }
    }

    @Test(arguments: FillMode.allCases)
    func affineTransformEveryFillMode(_ fillMode: FillMode) {
        let maps = [AffineMap(a0: 0.8, a1: -0.5, a2: 1.3, b0: 0.45, b1: 0.9, b2: -0.7),
                    AffineMap(a0: 1.4, a1: 0.1, a2: -2.2, b0: -0.2, b1: 1.2, b2: 0.4)]
        for interpolation in SamplingInterpolation.allCases {
            checkGradients([images]) {
                Tensor.affineTransform($0[0], maps: maps, interpolation: interpolation, fillMode: fillMode, fillValue: 0.5)
            }
        }
        checkGradients([images]) {
            Tensor.affineTransform($0[0], maps: maps, interpolation: .bilinear, fillMode: fillMode, fillValue: 0, channelsFirst: true)
        }
    }

    @Test func extractPatchesWithPaddingStridesAndDilation() {
        checkGradients([images]) { Tensor.extractPatches($0[0], geometry: WindowGeometry(kernel: [2, 3], strides: [2, 3])) }
        checkGradients([images]) {
            Tensor.extractPatches($0[0], geometry: WindowGeometry(kernel: [3, 2], strides: [1, 2], dilation: [2, 1], padBefore: [1, 0], padAfter: [1, 1]))
        }
    }

    @Test func identityMapsAndSameSizeResizeReturnTheImages() {
        #expect(Tensor.affineTransform(images, maps: [.identity, .identity], interpolation: .bilinear, fillMode: .constant, fillValue: 3).scalars == images.scalars)
        #expect(images.resizedImages(height: 4, width: 5, interpolation: .lanczos5).scalars == images.scalars)
    }
}
