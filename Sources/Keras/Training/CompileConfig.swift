/// Reading a model's `compile_config` (Keras 3) into a loss, an optimizer and metrics, so that a loaded model
/// trains without being told them again.
enum CompileConfig {
    /// Compiles `model` from `config`; an empty config (an uncompiled save) does nothing.
    /// Applies `config`; when some part is not supported the model stays uncompiled — it still loads and predicts —
    /// and the returned warning says why (`fit` repeats it).
    static func applyOrExplain(_ config: JSONObject, to model: Model) -> String? {
        do {
            try apply(config, to: model)
            return nil
        } catch {
            let reasons = (error as? ConfigError)?.issues.joined(separator: "; ") ?? "\(error)"
            let warning = "the model is loaded uncompiled (predict works; compile it in Swift to train): \(reasons)"
            model.compileProblem = warning
            return warning
        }
    }

    /// For a model with several outputs, `loss`, `loss_weights` and `metrics` may be lists (in output order) or
    /// dicts by output name, as Keras writes them.
    static func apply(_ config: JSONObject, to model: Model) throws {
        guard config.count > 0 else { return }
        let reader = ConfigReader(config, context: "compile_config")
        let outputs = model.outputNames
        var optimizer: Optimizer?
        var losses: [Loss]?
        if let o = config["optimizer"], o != .null {
            do { optimizer = try optimizerFrom(o) } catch { reader.report("optimizer: \(error.message)") }
        }
        if let l = config["loss"], l != .null {
            do {
                losses = try perOutput(l, outputs: outputs, what: "loss").map { try lossFrom($0) }
            } catch { reader.report("loss: \(message(error))") }
        }
        var metrics: [[Metric]] = []
        do {
            metrics = try perOutputMetrics(config["metrics"], outputs: outputs).map { try $0.map { try metricFrom($0) } }
        } catch { reader.report("metrics: \(message(error))") }
        var weightedMetrics: [Metric] = []
        if let weighted = config["weighted_metrics"], weighted != .null, weighted.arrayValue?.isEmpty != true {
            if outputs.count > 1 {
                reader.report("weighted_metrics are not supported for models with several outputs (found \(weighted.brief))")
            } else {
                do {
                    weightedMetrics = try perOutputMetrics(weighted, outputs: outputs).flatMap { try $0.map { try metricFrom($0) } }
                } catch { reader.report("weighted_metrics: \(message(error))") }
            }
        }
        var weights: [Float] = []
        if let lw = config["loss_weights"], lw != .null {
            do {
                weights = try perOutput(lw, outputs: outputs, what: "loss_weights").map { w in
                    guard let d = w.doubleValue else { throw ConfigValueError.expected("a number", found: w) }
                    return Float(d)
                }
            } catch { reader.report("loss_weights: \(message(error))") }
        }
        try reader.finish()
        guard let optimizer, let losses, !losses.isEmpty else { return }
        do {
            try model.compile(optimizer: optimizer, losses: losses, lossWeights: weights, metrics: metrics)
            model.compileState?.weightedMetrics = weightedMetrics
        } catch {
            throw ConfigError("compile_config: \(error)")
        }
    }

    private static func message(_ error: any Error) -> String { (error as? ConfigValueError)?.message ?? "\(error)" }

    /// A value given once for all outputs, as a list in output order, or as a dict by output name → one value per
    /// output (a single value stays one).
    static func perOutput(_ json: JSON, outputs: [String], what: String) throws(ConfigValueError) -> [JSON] {
        if let o = json.objectValue, o["class_name"] == nil {
            var out: [JSON] = []
            for name in outputs {
                guard let v = o[name] else {
                    throw ConfigValueError("\(what) has no entry for output '\(name)' (found: \(o.keys.joined(separator: ", ")))")
                }
                out.append(v)
            }
            return out
        }
        if let items = json.arrayValue {
            guard items.count == outputs.count else {
                throw ConfigValueError("\(what) lists \(items.count) values for a model with \(outputs.count) outputs")
            }
            return items
        }
        return [json]
    }

    /// Metrics per output: a flat list (one output; Keras 2 also nests it once, `[["accuracy"]]`), a list of lists
    /// in output order, or a dict by output name.
    static func perOutputMetrics(_ json: JSON?, outputs: [String]) throws(ConfigValueError) -> [[JSON]] {
        guard let json, json != .null else { return [] }
        if outputs.count <= 1 {
            guard let items = json.arrayValue else { return try perOutput(json, outputs: outputs, what: "metrics").map { $0.arrayValue ?? [$0] } }
            return [items.flatMap { $0.arrayValue ?? [$0] }]
        }
        return try perOutput(json, outputs: outputs, what: "metrics").map { entry in
            if entry == .null { return [] }
            return entry.arrayValue ?? [entry]
        }
    }

    static func lossFrom(_ json: JSON) throws(ConfigValueError) -> Loss {
        let aliases: [String: Loss.Kind] = [
            "mse": .meanSquaredError, "MSE": .meanSquaredError, "mae": .meanAbsoluteError, "MAE": .meanAbsoluteError,
            "logcosh": .logCosh, "kld": .klDivergence, "KLD": .klDivergence, "kullback_leibler_divergence": .klDivergence,
            "huber_loss": .huber,
        ]
        func kind(_ name: String) -> Loss.Kind? {
            aliases[name] ?? Loss.Kind(rawValue: name) ?? Loss.Kind.allCases.first { $0.className == name }
        }
        switch json {
        case .string(let name):
            guard let k = kind(name) else { throw ConfigValueError("unknown loss '\(name)'; supported: \(Loss.Kind.allCases.map(\.rawValue).joined(separator: ", "))") }
            return Loss(k)
        case .object(let o):
            let name = o["class_name"]?.stringValue ?? ""
            guard let k = kind(name) else { throw ConfigValueError("unknown loss class '\(name)'") }
            let c = ConfigReader(o["config"]?.objectValue ?? JSONObject(), context: "loss \(name)")
            let reduction = c.value("reduction", default: "sum_over_batch_size")
            if !["sum_over_batch_size", "auto"].contains(reduction) { c.report("reduction '\(reduction)' is not supported (only sum_over_batch_size)") }
            let smoothing: Double = c.value("label_smoothing", default: 0)
            if !(0...1).contains(smoothing) { c.report("label_smoothing must be in [0, 1], found \(smoothing)") }
            if (c.optional("axis", as: Int.self) ?? -1) != -1 { c.report("only axis -1 is supported") }
            let loss = Loss(k, fromLogits: c.value("from_logits", default: false), labelSmoothing: Float(smoothing),
                            ignoreClass: c.optional("ignore_class", as: Int.self))
            guard c.issues.isEmpty else { throw ConfigValueError(c.issues.joined(separator: "; ")) }
            return loss
        default:
            throw .expected("a loss name or object", found: json)
        }
    }

    static func metricFrom(_ json: JSON) throws(ConfigValueError) -> Metric {
        switch json {
        case .string(let name):
            if ["accuracy", "acc"].contains(name) { return Metric(.accuracy, name: name) }
            let aliases: [String: Metric.Kind] = ["mae": .meanAbsoluteError, "mse": .meanSquaredError]
            guard let k = aliases[name] ?? Metric.Kind(rawValue: name) else { throw ConfigValueError("unknown metric '\(name)'") }
            return Metric(k, name: name)
        case .object(let o):
            let className = o["class_name"]?.stringValue ?? ""
            let inner = o["config"]?.objectValue
            if className == "MeanMetricWrapper", let fn = inner?["fn"]?.stringValue, let k = Metric.Kind(rawValue: fn) {
                return Metric(k, name: inner?["name"]?.stringValue)
            }
            guard let k = Metric.Kind.allCases.first(where: { $0.className == className }) else {
                throw ConfigValueError("unknown metric class '\(className)'")
            }
            let c = ConfigReader(inner ?? JSONObject(), context: "metric \(className)")
            var metric = Metric(k, name: inner?["name"]?.stringValue, k: c.value("k", default: 5),
                                numThresholds: c.value("num_thresholds", default: 200))
            if k == .precision || k == .recall {
                if let list = c.object["thresholds"]?.arrayValue {
                    if list.count != 1 { c.report("several thresholds are not supported") }
                    metric.threshold = list.first.flatMap { try? Float(configValue: $0) } ?? 0.5
                } else {
                    metric.threshold = c.value("thresholds", default: 0.5)
                }
                for key in ["top_k", "class_id"] where c.object[key].map({ $0 != .null }) == true { c.report("'\(key)' is not supported") }
            }
            if k == .auc {
                if c.value("curve", default: "ROC") != "ROC" { c.report("only curve='ROC' is supported") }
                if c.value("summation_method", default: "interpolation") != "interpolation" { c.report("only summation_method='interpolation' is supported") }
                if c.value("multi_label", default: false) || c.value("from_logits", default: false) { c.report("multi_label and from_logits are not supported") }
                for key in ["thresholds", "label_weights"] where c.object[key].map({ $0 != .null }) == true { c.report("'\(key)' is not supported") }
            }
            if c.value("from_sorted_ids", default: false) { c.report("from_sorted_ids is not supported") }
            if !c.issues.isEmpty { throw ConfigValueError(c.issues.joined(separator: "; ")) }
            return metric
        default:
            throw .expected("a metric name or object", found: json)
        }
    }

    static func optimizerFrom(_ json: JSON) throws(ConfigValueError) -> Optimizer {
        var className: String
        var config = JSONObject()
        switch json {
        case .string(let s): className = s
        case .object(let o):
            className = o["class_name"]?.stringValue ?? ""
            config = o["config"]?.objectValue ?? JSONObject()
        default: throw .expected("an optimizer name or object", found: json)
        }
        if className.hasPrefix("Custom>") { className = String(className.dropFirst(7)) }
        let c = ConfigReader(config, context: "optimizer \(className)")
        let defaultRate: Float = className.lowercased() == "sgd" ? 0.01 : 0.001
        let lr: Float = config["learning_rate"]?.objectValue != nil ? defaultRate : c.value("learning_rate", default: defaultRate)
        let name = c.optional("name", as: String.self)
        let clipnorm = c.optional("clipnorm", as: Float.self)
        let globalClipnorm = c.optional("global_clipnorm", as: Float.self)
        let clipvalue = c.optional("clipvalue", as: Float.self)
        if c.value("use_ema", default: false) { c.report("use_ema is not supported") }
        if c.optional("gradient_accumulation_steps", as: Int.self).map({ $0 > 1 }) == true { c.report("gradient_accumulation_steps is not supported") }
        if c.optional("loss_scale_factor", as: Double.self) != nil { c.report("loss_scale_factor is not supported") }
        var schedule: (any LearningRateSchedule)?
        if let json = config["learning_rate"], json.objectValue != nil {
            do { schedule = try LearningRateSchedules.decode(json) } catch { c.report(error.message) }
        }
        let optimizer: Optimizer
        switch className.lowercased() {
        case "sgd":
            optimizer = SGD(learningRate: lr, momentum: c.value("momentum", default: 0), nesterov: c.value("nesterov", default: false),
                            name: name, clipnorm: clipnorm, globalClipnorm: globalClipnorm, clipvalue: clipvalue,
                            weightDecay: c.optional("weight_decay"))
        case "rmsprop":
            optimizer = RMSprop(learningRate: lr, rho: c.value("rho", default: 0.9), momentum: c.value("momentum", default: 0),
                                epsilon: c.value("epsilon", default: 1e-7), centered: c.value("centered", default: false),
                                name: name, clipnorm: clipnorm, globalClipnorm: globalClipnorm, clipvalue: clipvalue,
                                weightDecay: c.optional("weight_decay"))
        case "adam":
            optimizer = Adam(learningRate: lr, beta1: c.value("beta_1", default: 0.9), beta2: c.value("beta_2", default: 0.999),
                             epsilon: c.value("epsilon", default: 1e-7), amsgrad: c.value("amsgrad", default: false),
                             name: name, clipnorm: clipnorm, globalClipnorm: globalClipnorm, clipvalue: clipvalue,
                             weightDecay: c.optional("weight_decay"))
        case "adamw":
            optimizer = AdamW(learningRate: lr, weightDecay: c.value("weight_decay", default: 0.004),
                              beta1: c.value("beta_1", default: 0.9), beta2: c.value("beta_2", default: 0.999),
                              epsilon: c.value("epsilon", default: 1e-7), amsgrad: c.value("amsgrad", default: false),
                              name: name, clipnorm: clipnorm, globalClipnorm: globalClipnorm, clipvalue: clipvalue)
        default:
            throw ConfigValueError("unknown optimizer '\(className)'; supported: SGD, RMSprop, Adam, AdamW")
        }
        guard c.issues.isEmpty else { throw ConfigValueError(c.issues.joined(separator: "; ")) }
        optimizer.schedule = schedule
        return optimizer
    }
}
