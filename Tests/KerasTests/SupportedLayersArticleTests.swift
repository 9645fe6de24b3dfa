import Foundation
import Testing
@testable import Keras

/// The DocC article "Supported layers" lists exactly the layers the built-in registry implements.
@Suite("Documentation")
struct SupportedLayersArticleTests {
    @Test func supportedLayersTableMatchesTheRegistry() throws {
        let article = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/Keras/Keras.docc/SupportedLayers.md").standardized
        let text = try String(contentsOf: article, encoding: .utf8)
        let listed = text.split(separator: "\n").filter { $0.hasPrefix("| `") }.compactMap { row in
            row.split(separator: "`").dropFirst().first.map(String.init)
        }
        #expect(listed.count == Set(listed).count, "a layer is listed twice")
        let registered = LayerRegistry.builtins.registeredNames
        #expect(Set(listed) == Set(registered),
                "listed but not registered: \(Set(listed).subtracting(registered).sorted()); registered but not listed: \(Set(registered).subtracting(listed).sorted())")
    }
}
