"""What the cross-check scripts share: running the Swift `keras` tool and the loop over random models."""
import argparse
import subprocess
import sys
import tempfile

import numpy as np


def run(cmd):
    """Runs a command; raises with its stderr when it fails."""
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:2])} failed: {result.stderr.strip()}")
    return result


def main(check, default_count):
    """Parses --count/--seed/--keras, calls `check(index, rng, keras_bin, folder)` for each model (it returns a
    description or raises), prints one line per model and 'N passed, M failed', exits non-zero on any failure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=default_count)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keras", default=".build/debug/keras")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    passed = failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for i in range(args.count):
            try:
                description = check(i, rng, args.keras, folder)
                passed += 1
                print(f"ok   model {i}: {description}", flush=True)
            except Exception as error:  # noqa: BLE001 - report every failure, keep going
                failed += 1
                print(f"FAIL model {i}: {str(error)[:800]}", flush=True)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
