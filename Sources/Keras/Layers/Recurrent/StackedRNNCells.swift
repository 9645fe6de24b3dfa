import TensorEngine

/// What an `RNN` layer runs at each time step: one of the built-in cells, or `StackedRNNCells`.
public protocol RNNCell: Layer {
    /// The cells run at each step, in order (a built-in cell is a stack of one).
    var stack: [RecurrentCell] { get }
}

extension RecurrentCell: RNNCell {
    public var stack: [RecurrentCell] { [self] }
}

/// Keras's `StackedRNNCells`: several cells run one after the other at each time step, each reading the previous
/// cell's output; the output is the last cell's. The states are each cell's states in order (an `RNN` with
/// `return_state` returns them flattened: `[output, h₁, c₁, h₂]` for an LSTMCell then a GRUCell).
/// `keras.layers.RNN([LSTMCell(8), GRUCell(4)])` is
/// ```swift
/// let rnn = RNN(cell: StackedRNNCells([LSTMCell(units: 8), GRUCell(units: 4)]))
/// ```
/// Each cell's weights are saved at `cell/cells/<snake_case class name>[_k]/vars` (`cell/cells/lstm_cell/vars`).
public final class StackedRNNCells: Layer, RNNCell {
    /// The cells, first to last.
    public let cells: [RecurrentCell]

    public var stack: [RecurrentCell] { cells }

    /// A stack of `cells` (at least one).
    public init(_ cells: [RecurrentCell], name: String? = nil) {
        self.cells = cells
        super.init(name: name)
    }

    /// Reads `cells`, a list of serialized built-in cells.
    public required init(from config: ConfigReader) throws {
        guard let entries = config.object["cells"]?.arrayValue, !entries.isEmpty else {
            throw ConfigError(issues: ["\(config.context): 'cells' must be a non-empty list of serialized recurrent cells"])
        }
        cells = try entries.enumerated().map { i, entry in try RecurrentCell.deserialize(entry, context: "\(config.context) cell \(i)") }
        try super.init(from: config)
    }

    public override var sublayers: [(name: String, layer: Layer)] {
        zip(WeightPaths.containerNames(for: cells), cells).map { ("cells/\($0)", $1) }
    }

    /// Builds each cell for the previous one's output (the first for the step's features).
    public override func build(inputShape: [Int]) throws {
        var shape = inputShape
        for cell in cells {
            try cell.buildIfNeeded(inputShape: shape)
            shape = [cell.units]
        }
    }

    public override func config() -> JSONObject {
        ["cells": .array(cells.map { $0.serializedEntry() })]
    }
}

extension RecurrentCell {
    /// A built-in cell from its serialized object (`{"class_name": "LSTMCell", "config": {…}}`).
    static func deserialize(_ entry: JSON, context: String) throws -> RecurrentCell {
        guard let className = entry.objectValue?["class_name"]?.stringValue else {
            throw ConfigError(issues: ["\(context): expected a serialized recurrent cell"])
        }
        let reader = ConfigReader(entry.objectValue?["config"]?.objectValue ?? JSONObject(), context: "\(context) (\(className))")
        let cell: RecurrentCell
        switch className {
        case "LSTMCell": cell = try LSTMCell(cellConfig: reader)
        case "GRUCell": cell = try GRUCell(cellConfig: reader)
        case "SimpleRNNCell": cell = try SimpleRNNCell(cellConfig: reader)
        default:
            throw ConfigError(issues: ["\(context): the cell \(className) is not supported (LSTMCell, GRUCell, SimpleRNNCell, StackedRNNCells of them; not custom cells)"])
        }
        try reader.finish()
        return cell
    }
}
