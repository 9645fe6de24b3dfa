import Foundation
import Testing
@testable import Keras

/// `Model.diagram` / `keras plot` against what Keras 3's `model_to_dot` draws for the same files
/// (`tools/make_plot_fixtures.py`): every node's layer and label, every edge, every cluster, in Keras's order.
@Suite("Model diagrams equal keras.utils.model_to_dot's")
struct ModelDiagramTests {
    static let models = ["functional/residual", "functional/two_inputs", "functional/shared_layer", "functional/merges",
                         "functional/two_outputs", "functional/nested_sequential", "functional/diamond",
                         "functional/chain", "seed/seed_mnist"]

    /// Keras's drawing of one model under one option set: nodes as (layer, label), edges as layer pairs.
    struct Expected {
        let nodes: [[String]]
        let edges: [[String]]
        let clusters: [(name: String, expected: Expected)]

        init(_ json: [String: Any]) {
            nodes = (json["nodes"] as? [[String: Any]] ?? []).map { [$0["layer"] as? String ?? "", $0["label"] as? String ?? ""] }
            edges = json["edges"] as? [[String]] ?? []
            clusters = (json["clusters"] as? [[String: Any]] ?? []).map { cluster in
                ((cluster["label"] as? String ?? ""), Expected(cluster))
            }
        }
    }

    static func options(_ json: [String: Any]) -> PlotOptions {
        PlotOptions(showShapes: json["show_shapes"] as? Bool ?? false, showDtype: json["show_dtype"] as? Bool ?? false,
                    showLayerNames: json["show_layer_names"] as? Bool ?? true,
                    showLayerActivations: json["show_layer_activations"] as? Bool ?? false,
                    showTrainable: json["show_trainable"] as? Bool ?? false, rankdir: json["rankdir"] as? String ?? "TB",
                    expandNested: json["expand_nested"] as? Bool ?? false)
    }

    /// Compares a diagram with Keras's, naming nodes by layer (ids differ: Keras uses Python object ids).
    static func compare(_ diagram: ModelDiagram, _ expected: Expected, names: [String: String], _ what: String) {
        #expect(diagram.nodes.map { [$0.layerName, $0.label] } == expected.nodes, "\(what): nodes")
        #expect(diagram.edges.map { [names[$0.from] ?? $0.from, names[$0.to] ?? $0.to] } == expected.edges, "\(what): edges")
        #expect(diagram.clusters.map(\.name) == expected.clusters.map(\.name), "\(what): clusters")
        for (cluster, keras) in zip(diagram.clusters, expected.clusters) {
            compare(cluster.diagram, keras.expected, names: names, "\(what) cluster \(cluster.name)")
        }
    }

    static func names(_ diagram: ModelDiagram) -> [String: String] {
        var out = Dictionary(uniqueKeysWithValues: diagram.nodes.map { ($0.id, $0.layerName) })
        for cluster in diagram.clusters { out.merge(names(cluster.diagram)) { a, _ in a } }
        return out
    }

    @Test(arguments: models)
    func diagramMatchesKeras(_ path: String) throws {
        let fixtureFile = fixture("plot/\(path.split(separator: "/").last!).dot.json")
        let data = try Data(contentsOf: URL(fileURLWithPath: fixtureFile))
        let cases = try #require(JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        #expect(cases.count == 4, "\(fixtureFile) holds \(cases.count) option sets")
        let model = try Model.load(from: fixture(path + ".keras"))
        for (name, keras) in cases.sorted(by: { $0.key < $1.key }) {
            let options = Self.options(keras["options"] as? [String: Any] ?? [:])
            let diagram = model.diagram(options)
            Self.compare(diagram, Expected(keras), names: Self.names(diagram), "\(path) \(name)")
            #expect(keras["rankdir"] as? String == options.rankdir)
        }
    }

    @Test func dotTextNamesEveryNodeAndEdge() throws {
        let model = try Model.load(from: fixture("functional/nested_sequential.keras"))
        let options = PlotOptions(showShapes: true, rankdir: "LR", expandNested: true)
        let diagram = model.diagram(options)
        let text = model.dot(options)
        #expect(text.hasPrefix("digraph G {\nrankdir=LR;"))
        #expect(text.contains("subgraph \"cluster_inner\" {"))
        for node in diagram.nodes + diagram.clusters.flatMap(\.diagram.nodes) {
            #expect(text.contains("\"\(node.id)\" [label=\(node.label), "), "node \(node.layerName)")
        }
        for edge in diagram.edges + diagram.clusters.flatMap(\.diagram.edges) {
            #expect(text.contains("\"\(edge.from)\" -> \"\(edge.to)\" [penwidth=2];"))
        }
        #expect(diagram.nodes.count + diagram.clusters.flatMap(\.diagram.nodes).count == 6)
        #expect(diagram.edges.count + diagram.clusters.flatMap(\.diagram.edges).count == 6)
    }
}
