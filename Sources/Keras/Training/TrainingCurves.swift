import Foundation

extension History {
    /// The training curves a Keras guide draws with matplotlib from `history.history`, as an SVG document: one panel
    /// per logged quantity (`loss`, each metric), its training values and its `val_` values per epoch on the same
    /// axes, with a title, labelled axes and a legend.
    public func curvesSVG(title: String? = nil) -> String {
        let quantities = names.filter { !$0.hasPrefix("val_") }
        let columns = Swift.min(Swift.max(quantities.count, 1), 2)
        let rows = (quantities.count + columns - 1) / Swift.max(columns, 1)
        let top = title == nil ? 0.0 : 36.0
        let size = (width: Double(columns) * CurvePanel.width, height: top + Double(Swift.max(rows, 1)) * CurvePanel.height)
        var svg = SVGText()
        svg.open("svg", ["xmlns": "http://www.w3.org/2000/svg", "width": "\(Int(size.width))", "height": "\(Int(size.height))",
                         "viewBox": "0 0 \(Int(size.width)) \(Int(size.height))", "font-family": "DejaVu Sans, Helvetica, Arial, sans-serif"])
        svg.element("rect", ["x": "0", "y": "0", "width": "\(Int(size.width))", "height": "\(Int(size.height))", "fill": "white"])
        if let title {
            svg.text(title, x: size.width / 2, y: 24, ["font-size": "18", "text-anchor": "middle", "font-weight": "bold"])
        }
        for (index, name) in quantities.enumerated() {
            let origin = (x: Double(index % columns) * CurvePanel.width, y: top + Double(index / columns) * CurvePanel.height)
            CurvePanel(name: name, training: self[name], validation: self["val_" + name]).draw(at: origin, into: &svg)
        }
        svg.close("svg")
        return svg.text
    }
}

/// One panel: a quantity's training and validation values against the epoch.
struct CurvePanel {
    static let width = 480.0, height = 340.0
    static let margin = (left: 72.0, right: 20.0, top: 36.0, bottom: 52.0)
    static let colors = (training: "#1f77b4", validation: "#ff7f0e")   // matplotlib's first two colours

    let name: String
    let training: [Double]
    let validation: [Double]

    func draw(at origin: (x: Double, y: Double), into svg: inout SVGText) {
        let plot = (x: origin.x + Self.margin.left, y: origin.y + Self.margin.top,
                    width: Self.width - Self.margin.left - Self.margin.right,
                    height: Self.height - Self.margin.top - Self.margin.bottom)
        let epochs = Swift.max(training.count, validation.count)
        let finite = (training + validation).filter(\.isFinite)
        let yTicks = AxisTicks(low: finite.min() ?? 0, high: finite.max() ?? 1)
        let xTicks = AxisTicks(low: 1, high: Double(Swift.max(epochs, 2)), integers: true)
        func x(_ epoch: Double) -> Double { plot.x + (epoch - xTicks.low) / (xTicks.high - xTicks.low) * plot.width }
        func y(_ value: Double) -> Double { plot.y + plot.height - (value - yTicks.low) / (yTicks.high - yTicks.low) * plot.height }

        svg.text(name, x: plot.x + plot.width / 2, y: origin.y + 22, ["font-size": "15", "text-anchor": "middle"])
        for tick in yTicks.values {
            svg.element("line", ["x1": fmt(plot.x), "x2": fmt(plot.x + plot.width), "y1": fmt(y(tick)), "y2": fmt(y(tick)),
                                 "stroke": "#e5e5e5", "stroke-width": "1"])
            svg.text(yTicks.label(tick), x: plot.x - 6, y: y(tick) + 4, ["font-size": "11", "text-anchor": "end"])
        }
        for tick in xTicks.values {
            svg.element("line", ["x1": fmt(x(tick)), "x2": fmt(x(tick)), "y1": fmt(plot.y + plot.height),
                                 "y2": fmt(plot.y + plot.height + 5), "stroke": "black"])
            svg.text(xTicks.label(tick), x: x(tick), y: plot.y + plot.height + 18, ["font-size": "11", "text-anchor": "middle"])
        }
        svg.element("rect", ["x": fmt(plot.x), "y": fmt(plot.y), "width": fmt(plot.width), "height": fmt(plot.height),
                             "fill": "none", "stroke": "black", "stroke-width": "1"])
        svg.text("epoch", x: plot.x + plot.width / 2, y: origin.y + Self.height - 12, ["font-size": "13", "text-anchor": "middle"])
        svg.text(name, x: 0, y: 0, ["font-size": "13", "text-anchor": "middle",
                                    "transform": "translate(\(fmt(origin.x + 18)) \(fmt(plot.y + plot.height / 2))) rotate(-90)"])

        var legend: [(String, String)] = []
        var drawn: [(Double, Double)] = []
        for (values, color, label) in [(training, Self.colors.training, "training"), (validation, Self.colors.validation, "validation")]
        where !values.isEmpty {
            let points = values.enumerated().filter { $0.element.isFinite }.map { (x(Double($0.offset + 1)), y($0.element)) }
            svg.element("polyline", ["points": points.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " "),
                                     "fill": "none", "stroke": color, "stroke-width": "2"])
            for point in points {
                svg.element("circle", ["cx": fmt(point.0), "cy": fmt(point.1), "r": "3", "fill": color])
            }
            legend.append((label, color))
            drawn += points
        }
        // The legend goes in the corner of the plot with the fewest points under it (matplotlib's "best").
        let box = (width: 112.0, height: 12 + Double(legend.count) * 18)
        let corners = [(plot.x + plot.width - box.width, plot.y), (plot.x + plot.width - box.width, plot.y + plot.height - box.height),
                       (plot.x, plot.y), (plot.x, plot.y + plot.height - box.height)]
        let corner = corners.min { a, b in
            func covered(_ c: (Double, Double)) -> Int {
                drawn.filter { $0.0 >= c.0 - 4 && $0.0 <= c.0 + box.width + 4 && $0.1 >= c.1 - 4 && $0.1 <= c.1 + box.height + 4 }.count
            }
            return covered(a) < covered(b)
        } ?? corners[0]
        for (row, entry) in legend.enumerated() {
            let top = corner.1 + 12 + Double(row) * 18
            svg.element("line", ["x1": fmt(corner.0 + 8), "x2": fmt(corner.0 + 32), "y1": fmt(top), "y2": fmt(top),
                                 "stroke": entry.1, "stroke-width": "2"])
            svg.text(entry.0, x: corner.0 + 38, y: top + 4, ["font-size": "12"])
        }
    }
}

/// Round tick values covering `low…high` (steps of 1, 2 or 5 times a power of ten), as a plotting library picks.
struct AxisTicks {
    let low: Double, high: Double, step: Double
    let values: [Double]

    init(low: Double, high: Double, integers: Bool = false) {
        var (lo, hi) = (low, high)
        if hi - lo < 1e-12 { (lo, hi) = (lo - Swift.max(abs(lo) * 0.05, 0.5), hi + Swift.max(abs(hi) * 0.05, 0.5)) }
        let raw = (hi - lo) / 5
        let power = pow(10, floor(log10(raw)))
        var step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? raw
        if integers { step = Swift.max(1, step.rounded(.up)) }
        self.step = step
        self.low = integers ? lo : floor(lo / step) * step
        self.high = integers ? hi : ceil(hi / step) * step
        if integers {   // the first epoch, then multiples of the step: 1, 5, 10, 15, 20
            values = [lo] + stride(from: step, through: self.high + 1e-9, by: step).filter { $0 > lo + step / 2 }
        } else {
            values = stride(from: self.low, through: self.high + step * 1e-9, by: step).map { $0 }
        }
    }

    /// A tick's text with as many decimals as the step needs.
    func label(_ value: Double) -> String {
        let decimals = Swift.max(0, -Int(floor(log10(step))))
        return String(format: "%.\(decimals)f", value)
    }
}

/// A minimal SVG writer: elements with escaped attributes and text.
struct SVGText {
    private(set) var text = ""

    mutating func open(_ name: String, _ attributes: [String: String]) {
        text += "<\(name)\(Self.render(attributes))>\n"
    }

    mutating func close(_ name: String) { text += "</\(name)>\n" }

    mutating func element(_ name: String, _ attributes: [String: String]) {
        text += "<\(name)\(Self.render(attributes))/>\n"
    }

    mutating func text(_ content: String, x: Double, y: Double, _ attributes: [String: String]) {
        text += "<text x=\"\(fmt(x))\" y=\"\(fmt(y))\"\(Self.render(attributes))>\(Self.escape(content))</text>\n"
    }

    static func render(_ attributes: [String: String]) -> String {
        attributes.sorted { $0.key < $1.key }.map { " \($0.key)=\"\(escape($0.value))\"" }.joined()
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// A coordinate with two decimals.
private func fmt(_ value: Double) -> String { String(format: "%.2f", value) }
