import TensorEngine

/// The losses layers add to a step's loss (regularizers) and the constraints applied after each update, as
/// Keras's `Trainer.compute_loss` and `Optimizer.apply` handle them.
extension Model {
    /// Every layer of the model, the layers of nested models included, each once.
    var flattenedLayers: [Layer] {
        var seen = Set<ObjectIdentifier>()
        var out: [Layer] = []
        func visit(_ layer: Layer) {
            guard seen.insert(ObjectIdentifier(layer)).inserted else { return }
            out.append(layer)
            (layer as? Model)?.layers.forEach(visit)
        }
        visit(self)
        return out
    }

    /// `compiledLoss` plus Keras's `model.losses`: the activity penalties collected while the step ran, then each
    /// trainable weight's regularizer penalty (read through the tape, so they have gradients).
    /// A regularizer that cannot apply to its weight (OrthogonalRegularizer on a kernel of rank ≠ 2) fails here, when
    /// the loss is computed, as in Keras (the model still loads and predicts).
    func addingRegularization(to compiledLoss: Tensor, activityLosses: [Tensor]) throws -> Tensor {
        var total = compiledLoss
        for loss in activityLosses { total = total + loss }
        for layer in flattenedLayers where !layer.weightRegularizers.isEmpty {
            for weight in layer.weights where weight.trainable {
                guard let regularizer = layer.weightRegularizers[ObjectIdentifier(weight)] else { continue }
                try regularizer.check(shape: weight.shape, "\(layer.displayName) weight '\(weight.name)'")
                total = total + regularizer(weight.value)
            }
        }
        return total
    }

    /// Projects each of `variables` that has a constraint (Keras does it right after applying the gradients).
    func applyConstraints(to variables: [Variable]) throws {
        let updated = Set(variables.map(ObjectIdentifier.init))
        for layer in flattenedLayers where !layer.weightConstraints.isEmpty {
            for weight in layer.weights where updated.contains(ObjectIdentifier(weight)) {
                if let constraint = layer.weightConstraints[ObjectIdentifier(weight)] { try weight.assign(constraint(weight.value)) }
            }
        }
    }
}
