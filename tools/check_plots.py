"""`keras plot` end to end: every plot fixture model drawn to SVG (with shapes; nested models expanded) by the
Swift CLI through Graphviz, rendered to PNG by rsvg-convert, and every layer Keras's model_to_dot names
(Fixtures/plot/*.dot.json) found in the SVG's text.

    python3 tools/check_plots.py --keras .build/debug/keras      # needs graphviz and librsvg2-bin
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
sys.exit(1 if failures else 0)
