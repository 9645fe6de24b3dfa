"""`keras plot` end to end: every plot fixture model drawn to SVG (with shapes; nested models expanded) by the
Swift CLI through Graphviz, rendered to PNG by rsvg-convert, and every layer Keras's model_to_dot names
(Fixtures/plot/*.dot.json) found in the SVG's text. Then `keras fit … --plot`: the seed model fine-tuned for two
epochs on the bundled 500 MNIST test images, its curves rendered, `loss` and `val_loss` plotted.

    .venv-tools/bin/python tools/check_plots.py --keras .build/debug/keras      # needs graphviz and librsvg2-bin
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

parser = argparse.ArgumentParser()
parser.add_argument("--keras", default=".build/debug/keras")
args = parser.parse_args()


def layer_names(case):
    return [n["layer"] for n in case["nodes"]] + [name for c in case["clusters"] for name in layer_names(c)]


failures = 0
with tempfile.TemporaryDirectory() as folder:
    for fixture in sorted(glob.glob("Fixtures/plot/*.dot.json")):
        name = os.path.basename(fixture)[: -len(".dot.json")]
        model = next(p for p in (f"Fixtures/functional/{name}.keras", f"Fixtures/seed/{name}.keras") if os.path.exists(p))
        expected = layer_names(json.load(open(fixture))["expanded"])
        svg, png = os.path.join(folder, name + ".svg"), os.path.join(folder, name + ".png")
        subprocess.run([args.keras, "plot", model, "--output", svg, "--show-shapes", "--expand-nested"], check=True)
        subprocess.run(["rsvg-convert", svg, "-o", png], check=True)
        texts = " ".join(t.text or "" for t in ET.parse(svg).iter("{http://www.w3.org/2000/svg}text"))
        missing = [layer for layer in expected if layer not in texts]
        size = os.path.getsize(png)
        print(f"{name:20s} {len(expected)} layers, png {size} bytes" + (f"  MISSING {missing}" if missing else ""))
        failures += bool(missing) or size < 1000
    import numpy as np
    with np.load("Fixtures/seed/mnist_test_500.npz") as f:
        np.save(os.path.join(folder, "x.npy"), f["x_test"].reshape(-1, 784).astype("float32") / 255)
        np.save(os.path.join(folder, "y.npy"), f["y_test"].astype("int64"))
    curves, png = os.path.join(folder, "curves.svg"), os.path.join(folder, "curves.png")
    subprocess.run([args.keras, "fit", "Fixtures/seed/seed_mnist.keras", "--x", os.path.join(folder, "x.npy"),
                    "--y", os.path.join(folder, "y.npy"), "--epochs", "2", "--batch-size", "50", "--validation-split", "0.2",
                    "--output", os.path.join(folder, "tuned.keras"), "--plot", curves], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["rsvg-convert", curves, "-o", png], check=True)
    root = ET.parse(curves).getroot()
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    lines = [p.get("points").split() for p in root.iter("{http://www.w3.org/2000/svg}polyline")]
    ok = "loss" in texts and "validation" in texts and len(lines) >= 2 and all(len(points) == 2 for points in lines)
    print(f"fit --plot: panels {[t for t in texts if t in ('loss', 'sparse_categorical_accuracy')]}, lines {len(lines)}, "
          f"png {os.path.getsize(png)} bytes" + ("" if ok else "  WRONG"))
    failures += not ok
sys.exit(1 if failures else 0)
