/// What `keras.utils.plot_model` draws, as options (Keras's argument names in Swift case).
public struct PlotOptions: Sendable, Equatable {
    /// Each layer's input and output shapes (`show_shapes`).
    public var showShapes = false
    /// Each layer's output dtype (`show_dtype`).
    public var showDtype = false
    /// The layer's name before its class (`show_layer_names`); otherwise only the class.
    public var showLayerNames = true
    /// The activation of layers that have one: Dense, the convolutions, Activation (`show_layer_activations`).
    public var showLayerActivations = false
    /// Whether each layer with weights is trainable (`show_trainable`).
    public var showTrainable = false
    /// `TB` (top to bottom) or `LR` (left to right) (`rankdir`).
    public var rankdir = "TB"
    /// Nested Sequential and Functional models drawn as clusters of their layers (`expand_nested`).
    public var expandNested = false
    /// The image resolution Graphviz renders at (`dpi`).
    public var dpi = 200

    /// Options as Keras's defaults for `model_to_dot`, changed where given.
    public init(showShapes: Bool = false, showDtype: Bool = false, showLayerNames: Bool = true,
                showLayerActivations: Bool = false, showTrainable: Bool = false, rankdir: String = "TB",
                expandNested: Bool = false, dpi: Int = 200) {
        self.showShapes = showShapes
        self.showDtype = showDtype
        self.showLayerNames = showLayerNames
        self.showLayerActivations = showLayerActivations
        self.showTrainable = showTrainable
        self.rankdir = rankdir
        self.expandNested = expandNested
        self.dpi = dpi
    }
}

/// A model's diagram as Keras's `model_to_dot` builds it: a node per layer (an HTML-like table naming the layer and
/// its class, with shapes, dtype, activation and trainability on request), an edge from each layer to the layers
/// that read its output, and nested models as clusters when expanded. `dot` is its Graphviz text.
public struct ModelDiagram: Sendable, Equatable {
    /// One box: `id` is unique within the whole diagram, `label` is Graphviz's HTML-like label, as Keras writes it.
    public struct Node: Sendable, Equatable {
        /// The node's Graphviz id (Keras's: the layer object's id, here a stable counter).
        public let id: String
        /// The name of the layer the box stands for.
        public let layerName: String
        /// The box's text (an HTML-like Graphviz label, as Keras draws it).
        public let label: String
    }

    /// An arrow from the layer whose output is read to the layer reading it (node ids).
    public struct Edge: Sendable, Equatable, Hashable {
        /// The id of the node the arrow leaves.
        public let from: String
        /// The id of the node it reaches.
        public let to: String
    }

    /// A nested model drawn as a dashed box around its layers.
    public struct Cluster: Sendable, Equatable {
        /// The model's name (Graphviz's subgraph is `cluster_<name>`).
        public let name: String
        /// The nested model's own diagram.
        public let diagram: ModelDiagram
    }

    /// One box per layer (and per input), in Keras's drawing order.
    public internal(set) var nodes: [Node] = []
    /// One arrow per tensor passed from a layer to the next.
    public internal(set) var edges: [Edge] = []
    /// The nested models drawn expanded (`expandNested`).
    public internal(set) var clusters: [Cluster] = []

    /// Graphviz DOT text, with Keras's graph attributes (`rankdir`, `concentrate`, `dpi`, orthogonal splines).
    /// Give no `dpi` for SVG and PDF: Graphviz 2.43 scales an SVG's size but not its view box by it, and
    /// renderers then show a cropped corner.
    public func dot(rankdir: String = "TB", dpi: Int? = 200) -> String {
        var lines = ["digraph G {", "rankdir=\(rankdir);", "concentrate=true;"] + (dpi.map { ["dpi=\($0);"] } ?? [])
            + ["splines=ortho;", "node [shape=record];"]
        appendBody(to: &lines)
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func appendBody(to lines: inout [String]) {
        for node in nodes {
            lines.append("\(Self.quoted(node.id)) [label=\(node.label), fontname=Helvetica, border=0, margin=0];")
        }
        for cluster in clusters {
            lines.append("subgraph \(Self.quoted("cluster_" + cluster.name)) {")
            lines.append("style=dashed;")
            lines.append("label=\(Self.quoted(cluster.name));")
            lines.append("labeljust=l;")
            cluster.diagram.appendBody(to: &lines)
            lines.append("}")
        }
        for edge in edges { lines.append("\(Self.quoted(edge.from)) -> \(Self.quoted(edge.to)) [penwidth=2];") }
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension Model {
    /// The diagram `keras.utils.model_to_dot(model, …)` draws (see `PlotOptions`).
    public func diagram(_ options: PlotOptions = PlotOptions()) -> ModelDiagram {
        var ids = DiagramIDs()
        return DiagramBuilder(options: options).diagram(of: self, ids: &ids)
    }

    /// The Graphviz text of `diagram(options)`: render it with `dot -Tpng` (what `keras plot` does). With
    /// `forVectorOutput`, the text carries no `dpi` (for SVG and PDF).
    public func dot(_ options: PlotOptions = PlotOptions(), forVectorOutput: Bool = false) -> String {
        diagram(options).dot(rankdir: options.rankdir, dpi: forVectorOutput ? nil : options.dpi)
    }
}

/// Node ids, one per layer object, in the order layers are first met.
struct DiagramIDs {
    private var ids: [ObjectIdentifier: String] = [:]

    mutating func id(_ layer: Layer) -> String {
        if let id = ids[ObjectIdentifier(layer)] { return id }
        let id = "layer_\(ids.count)"
        ids[ObjectIdentifier(layer)] = id
        return id
    }
}

/// Builds diagrams as `keras/src/utils/model_visualization.py` does.
struct DiagramBuilder {
    let options: PlotOptions

    func diagram(of model: Model, ids: inout DiagramIDs) -> ModelDiagram {
        var out = ModelDiagram()
        let layers: [Layer]
        switch model {
        case let sequential as Sequential: layers = sequential.layers
        case let functional as Functional: layers = functional.operations
        default:
            out.nodes.append(node(model, shapes: (nil, nil), ids: &ids))
            return out
        }
        let shapes = LayerShapes(model)
        for layer in layers {
            if options.expandNested, let nested = layer as? Model, nested is Sequential || nested is Functional {
                out.clusters.append(.init(name: nested.name, diagram: diagram(of: nested, ids: &ids)))
            } else {
                out.nodes.append(node(layer, shapes: shapes[layer], ids: &ids))
            }
        }
        var seen = Set<ModelDiagram.Edge>()
        func connect(_ source: Layer, _ destination: Layer, inputIndex: Int) {
            let from = options.expandNested ? Self.outputLayer(of: source) : source
            let to = options.expandNested ? Self.inputLayer(of: destination, inputIndex: inputIndex) : destination
            let edge = ModelDiagram.Edge(from: ids.id(from), to: ids.id(to))
            if seen.insert(edge).inserted { out.edges.append(edge) }
        }
        if let functional = model as? Functional {
            let calls = Dictionary(grouping: functional.graph.nodes, by: { ObjectIdentifier($0.layer) })
            for layer in layers {
                for call in (calls[ObjectIdentifier(layer)] ?? []).sorted(by: { $0.serial < $1.serial }) {
                    for (index, input) in call.inputs.enumerated() { connect(input.layer, layer, inputIndex: index) }
                }
            }
        } else {
            for (previous, next) in zip(layers, layers.dropFirst()) { connect(previous, next, inputIndex: 0) }
        }
        return out
    }

    /// The innermost layer producing a nested model's (first) output.
    static func outputLayer(of layer: Layer) -> Layer {
        switch layer {
        case let sequential as Sequential: return sequential.layers.last.map(outputLayer) ?? layer
        case let functional as Functional: return functional.outputs.first.map { outputLayer(of: $0.layer) } ?? layer
        default: return layer
        }
    }

    /// The innermost layer receiving a nested model's input: a Functional model's InputLayer, a Sequential model's
    /// first layer.
    static func inputLayer(of layer: Layer, inputIndex: Int) -> Layer {
        switch layer {
        case let sequential as Sequential: return sequential.layers.first.map { inputLayer(of: $0, inputIndex: 0) } ?? layer
        case let functional as Functional:
            return functional.inputs.indices.contains(inputIndex) ? functional.inputs[inputIndex].layer : layer
        default: return layer
        }
    }

    func node(_ layer: Layer, shapes: (input: String?, output: String?), ids: inout DiagramIDs) -> ModelDiagram.Node {
        .init(id: ids.id(layer), layerName: layer.name, label: label(layer, shapes: shapes))
    }

    /// Keras's `make_layer_label`.
    func label(_ layer: Layer, shapes: (input: String?, output: String?)) -> String {
        let className = (layer as? KerasOperation)?.operationName ?? type(of: layer).kerasClassName
        let heading = options.showLayerNames ? "<b>\(layer.name)</b> (\(className))" : "<b>\(className)</b>"
        let span = Swift.max(1, (options.showDtype ? 1 : 0) + (options.showTrainable ? 1 : 0) + (options.showShapes ? 2 : 0))
        var table = "<<table border=\"0\" cellborder=\"1\" bgcolor=\"black\" cellpadding=\"10\">"
            + "<tr><td colspan=\"\(span)\" bgcolor=\"black\"><font point-size=\"16\" color=\"white\">\(heading)</font></td></tr>"
        if options.showLayerActivations, let activation = (layer as? HasActivation)?.activation {
            table += "<tr><td bgcolor=\"white\" colspan=\"\(span)\"><font point-size=\"14\">"
                + "Activation: <b>\(activation.rawValue)</b></font></td></tr>"
        }
        var cells: [String] = []
        func cell(_ text: String) -> String { "<td bgcolor=\"white\"><font point-size=\"14\">\(text)</font></td>" }
        if options.showShapes {
            if !(layer is InputLayer) { cells.append(cell("Input shape: <b>\(shapes.input ?? "?")</b>")) }
            cells.append(cell("Output shape: <b>\(shapes.output ?? "?")</b>"))
        }
        if options.showDtype { cells.append(cell("Output dtype: <b>float32</b>")) }
        if options.showTrainable, Self.hasWeights(layer) {
            cells.append(layer.trainable
                ? "<td bgcolor=\"forestgreen\"><font point-size=\"14\" color=\"white\"><b>Trainable</b></font></td>"
                : "<td bgcolor=\"firebrick\"><font point-size=\"14\" color=\"white\"><b>Non-trainable</b></font></td>")
        }
        if !cells.isEmpty { table += "<tr>" + cells.joined() + "</tr>" }
        return table + "</table>>"
    }

    /// Keras's `layer.weights` is not empty: the layer's own weights, or a nested model's layers' weights.
    static func hasWeights(_ layer: Layer) -> Bool {
        if !layer.weights.isEmpty { return true }
        return (layer as? Model)?.layers.contains { $0 !== layer && hasWeights($0) } ?? false
    }
}

/// Layers whose Keras class has an `activation` attribute (drawn by `show_layer_activations`).
protocol HasActivation {
    var activation: ActivationFunction { get }
}

extension Dense: HasActivation {}
extension Activation: HasActivation {}
extension Conv: HasActivation {}
extension DepthwiseConv2D: HasActivation {}
extension SeparableConv2D: HasActivation {}

/// Each layer's input and output shapes in a model, as Keras prints them (`(None, 784)`, a list for several
/// inputs), from the layer's first call in the model.
struct LayerShapes {
    private var shapes: [ObjectIdentifier: (input: String?, output: String?)] = [:]

    init(_ model: Model) {
        if let sequential = model as? Sequential {
            var previous = sequential.inputShape
            for (layer, output) in zip(sequential.layers, sequential.builtLayerOutputShapes) {
                shapes[ObjectIdentifier(layer)] = (previous.map(Self.format), Self.format(output))
                previous = output
            }
        } else if let functional = model as? Functional {
            for input in functional.inputs { shapes[ObjectIdentifier(input.layer)] = (nil, Self.format(input.shape)) }
            for call in functional.graph.nodes.sorted(by: { $0.serial < $1.serial })
            where shapes[ObjectIdentifier(call.layer)] == nil {
                let inputs = call.inputs.map { Self.format($0.shape) }
                let input = call.calledOnList || inputs.count != 1 ? "[" + inputs.joined(separator: ", ") + "]" : inputs[0]
                let outputs = call.outputShapes.map(Self.format)
                shapes[ObjectIdentifier(call.layer)] = (input, outputs.count == 1 ? outputs[0] : "[" + outputs.joined(separator: ", ") + "]")
            }
        }
    }

    subscript(layer: Layer) -> (input: String?, output: String?) { shapes[ObjectIdentifier(layer)] ?? (nil, nil) }

    /// A per-sample shape as Python prints the batch shape tuple: `(None, 28, 28, 1)`, `(None,)`.
    static func format(_ shape: [Int]) -> String {
        shape.isEmpty ? "(None,)" : "(None, " + shape.map(String.init).joined(separator: ", ") + ")"
    }
}
