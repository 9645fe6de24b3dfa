"""Fixtures for `keras plot` / `Model.dot`: what Keras 3's `keras.utils.model_to_dot` draws for the Functional
fixtures and the seed model — each node's layer name and HTML label, and each edge as (source layer, destination
layer) — under a few option sets. Node ids (Python object ids) are replaced by layer names.

    KERAS_BACKEND=jax .venv-tools/bin/python tools/make_plot_fixtures.py      # needs pydot (tools/requirements.txt)
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
sys.path.insert(0, os.path.dirname(__file__))
import keras  # noqa: E402
from keras.src.models.functional import Functional  # noqa: E402
from keras.src.utils.model_visualization import model_to_dot  # noqa: E402

from antirectifier import Antirectifier  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "Fixtures")
MODELS = ["functional/" + name for name in ("residual", "two_inputs", "shared_layer", "merges", "two_outputs",
                                             "nested_sequential", "diamond", "chain")] + ["seed/seed_mnist"]
OPTIONS = {
    "names": dict(show_layer_names=True),
    "everything": dict(show_layer_names=True, show_shapes=True, show_dtype=True, show_layer_activations=True,
                       show_trainable=True),
    "expanded": dict(show_layer_names=True, show_shapes=True, expand_nested=True),
    "classes_lr": dict(show_layer_names=False, rankdir="LR"),
}


def layer_names(model, names):
    for layer in model.layers if not isinstance(model, Functional) else model._operations:
        names[str(id(layer))] = layer.name
        if isinstance(layer, (keras.Sequential, Functional)):
            layer_names(layer, names)
    return names


def describe(graph, names):
    """Nodes and edges of a pydot graph and its clusters, in the order pydot keeps them."""
    nodes, edges, clusters = [], [], []
    for node in graph.get_nodes():
        if node.get_name() in ("node", "edge", "graph"):
            continue
        nodes.append({"layer": names[node.get_name().strip('"')], "label": node.get("label")})
    for edge in graph.get_edges():
        edges.append([names[edge.get_source().strip('"')], names[edge.get_destination().strip('"')]])
    for sub in graph.get_subgraphs():
        inner = describe(sub, names)
        clusters.append({"name": sub.get_name(), "label": sub.get("label"), **inner})
    return {"nodes": nodes, "edges": edges, "clusters": clusters}


def main():
    for path in MODELS:
        model = keras.models.load_model(os.path.join(ROOT, path + ".keras"),
                                        custom_objects={"Antirectifier": Antirectifier})
        names = layer_names(model, {})
        cases = {}
        for option_name, options in OPTIONS.items():
            graph = model_to_dot(model, **options)
            cases[option_name] = {"options": options, "rankdir": graph.get("rankdir"), **describe(graph, names)}
        out = os.path.join(ROOT, "plot", os.path.basename(path) + ".dot.json")
        with open(out, "w") as f:
            json.dump(cases, f, indent=1)
        print("wrote", out)


if __name__ == "__main__":
    main()
