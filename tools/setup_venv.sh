#!/usr/bin/env bash
# Creates .venv-tools (Python Keras 3 + JAX + h5py, the oracle) at the repository root, once.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-tools/bin/python ] || ! .venv-tools/bin/python -c "import keras, jax, h5py" 2>/dev/null; then
    python3 -m venv .venv-tools
    .venv-tools/bin/pip install --quiet --disable-pip-version-check -r tools/requirements.txt
fi
