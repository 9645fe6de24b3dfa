"""Runs the release `keras` tool on hostile files under the limits issue 17 sets: one `error:` line, exit status 1,
no output file, at most 1 GB of memory and 20 s each.

The files: every one the hostile-file tests refuse (kept by `HOSTILE_FILES_DIR=DIR swift test --filter
HostileFileTests`), plus those made here at full size — a 0.5 MB config listing 200,000 Dense layers whose weights
file holds 2 variables (the tests use 2,000 to stay fast in debug builds).

    HOSTILE_FILES_DIR=DIR swift test --filter HostileFileTests && python3 tools/check_hostile_limits.py --keras .build/release/keras DIR
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MEMORY_LIMIT = 1 << 30
TIME_LIMIT = 20.0


def many_layers(folder, count=200_000):
    with zipfile.ZipFile(os.path.join(ROOT, "Fixtures/models/dense_softmax.keras")) as source:
        weights = source.read("model.weights.h5")
    layers = [{"class_name": "InputLayer", "config": {"batch_shape": [None, 64], "name": "in"}}]
    layers += [{"class_name": "Dense", "config": {"units": 64, "name": f"d{i}"}} for i in range(count)]
    path = os.path.join(folder, f"dense_x{count}.keras")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", json.dumps({"class_name": "Sequential", "config": {"name": "s", "layers": layers}}))
        archive.writestr("model.weights.h5", weights)
    return path


def run(keras, model, folder):
    """`keras predict` on `model`, measured in a child process of its own (so the peak resident size is the tool's):
    (seconds, peak resident bytes, exit status, stderr, whether an output file appeared)."""
    output = os.path.join(folder, "out.npy")
    measure = ("import resource, subprocess, sys, time; t = time.time(); "
               "r = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120); "
               "print(time.time() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, r.returncode); "
               "sys.stderr.write(r.stderr)")
    r = subprocess.run([sys.executable, "-c", measure, keras, "predict", model, "--input",
                        os.path.join(ROOT, "Fixtures/weights/input.npy"), "--output", output], capture_output=True, text=True)
    seconds, rss, status = r.stdout.split()
    exists = os.path.exists(output)
    if exists:
        os.remove(output)
    return float(seconds), int(rss), int(status), r.stderr, exists


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--keras", default=".build/release/keras")
    parser.add_argument("folder", help="the files kept by HOSTILE_FILES_DIR=folder swift test --filter HostileFileTests")
    args = parser.parse_args()
    made = tempfile.mkdtemp()
    models = sorted(os.path.join(args.folder, f) for f in os.listdir(args.folder)) + [many_layers(made)]
    if len(models) < 10:
        sys.exit(f"only {len(models)} hostile files: did the tests keep theirs in {args.folder}?")
    failures = 0
    for model in models:
        seconds, rss, status, stderr, exists = run(args.keras, model, made)
        lines = stderr.strip().splitlines()
        problems = [p for p, bad in [(f"exit status {status}", status != 1),
                                     (f"{len(lines)} stderr lines", len(lines) != 1 or not lines[0].startswith("error: ")),
                                     ("an output file", exists), (f"{rss / 2**20:.0f} MiB", rss >= MEMORY_LIMIT),
                                     (f"{seconds:.1f} s", seconds >= TIME_LIMIT)] if bad]
        failures += bool(problems)
        print(f"{'FAIL' if problems else 'ok'}: {os.path.basename(model)}: {seconds:.2f} s, {rss / 2**20:.0f} MiB"
              + (f" — {', '.join(problems)}" if problems else ""))
    print(f"{len(models) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
