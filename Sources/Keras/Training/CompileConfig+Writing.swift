/// Writing `compile_config` as Keras 3.15 does (docs/keras-format.md §4).
extension CompileConfig {
    /// `{}` for an uncompiled model; otherwise optimizer, loss, metrics and Keras's other compile keys in order.
    static func serialized(for model: Model) -> JSONObject {
        guard let optimizer = model.optimizer, let loss = model.loss else { return JSONObject() }
        var c = JSONObject()
        c["optimizer"] = serialized(optimizer)
        c["loss"] = model.outputLosses.isEmpty ? serialized(loss) : .array(model.outputLosses.map(serialized))
        c["loss_weights"] = model.lossWeights.isEmpty ? .null : .array(model.lossWeights.map(decimal))
        if !model.outputMetrics.isEmpty {
            c["metrics"] = .array(model.outputMetrics.map { .array($0.map(serialized)) })
        } else {
            c["metrics"] = model.metrics.isEmpty ? .null : .array(model.metrics.map(serialized))
        }
        c["weighted_metrics"] = model.weightedMetrics.isEmpty ? .null : .array(model.weightedMetrics.map(serialized))
        c["run_eagerly"] = .bool(false)
        c["steps_per_execution"] = .int(1)
        c["jit_compile"] = .bool(true)
        return c
    }

    /// A float32 hyperparameter as Python holds it (`0.9`, not `0.8999999761581421`).
    static func decimal(_ value: Float) -> JSON { .double(Double("\(value)") ?? Double(value)) }
    static func decimal(_ value: Float?) -> JSON { value.map(decimal) ?? .null }

    static func serialized(_ o: Optimizer) -> JSON {
        var c = JSONObject()
        c["name"] = .string(o.name)
        c["learning_rate"] = o.schedule?.serialized ?? .double(Double(o.learningRate))   // a float32 variable, widened
        c["weight_decay"] = decimal(o.weightDecay)
        c["clipnorm"] = decimal(o.clipnorm)
        c["global_clipnorm"] = decimal(o.globalClipnorm)
        c["clipvalue"] = decimal(o.clipvalue)
        c["use_ema"] = .bool(false)
        c["ema_momentum"] = .double(0.99)
        c["ema_overwrite_frequency"] = .null
        c["loss_scale_factor"] = .null
        c["gradient_accumulation_steps"] = .null
        switch o {
        case let s as SGD:
            c["momentum"] = .double(s.momentum); c["nesterov"] = .bool(s.nesterov)
        case let r as RMSprop:
            c["rho"] = .double(r.rho); c["momentum"] = .double(r.momentum); c["epsilon"] = .double(r.epsilon); c["centered"] = .bool(r.centered)
        case let a as Adam:
            c["beta_1"] = .double(a.beta1); c["beta_2"] = .double(a.beta2); c["epsilon"] = .double(a.epsilon); c["amsgrad"] = .bool(a.amsgrad)
        default: break
        }
        return KerasObject.serialized(module: "keras.optimizers", className: type(of: o).kerasClassName, config: c)
    }

    static func serialized(_ loss: Loss) -> JSON {
        var c = JSONObject()
        c["name"] = .string(loss.kind.objectName)
        c["reduction"] = .string("sum_over_batch_size")
        switch loss.kind {
        case .sparseCategoricalCrossentropy:
            c["from_logits"] = .bool(loss.fromLogits); c["ignore_class"] = loss.ignoreClass.map { .int($0) } ?? .null
        case .categoricalCrossentropy, .binaryCrossentropy:
            c["from_logits"] = .bool(loss.fromLogits); c["label_smoothing"] = decimal(loss.labelSmoothing); c["axis"] = .int(-1)
        default:
            break   // Keras's get_config for the others holds only name and reduction
        }
        return KerasObject.serialized(module: "keras.losses", className: loss.kind.className, config: c)
    }

    static func serialized(_ metric: Metric) -> JSON {
        if metric.kind == .accuracy { return .string(metric.name) }
        var c: JSONObject = ["name": .string(metric.name), "dtype": .string("float32")]
        switch metric.kind {
        case .binaryAccuracy: c["threshold"] = .double(0.5)
        case .topKCategoricalAccuracy, .sparseTopKCategoricalAccuracy: c["k"] = .int(metric.k)
        case .precision, .recall:
            c["thresholds"] = metric.threshold == 0.5 ? .null : decimal(metric.threshold); c["top_k"] = .null; c["class_id"] = .null
        case .auc:
            c["num_thresholds"] = .int(metric.numThresholds); c["curve"] = .string("ROC"); c["summation_method"] = .string("interpolation")
            c["multi_label"] = .bool(false); c["num_labels"] = .null; c["label_weights"] = .null; c["from_logits"] = .bool(false)
        default: break
        }
        return KerasObject.serialized(module: "keras.metrics", className: metric.kind.className, config: c)
    }
}
