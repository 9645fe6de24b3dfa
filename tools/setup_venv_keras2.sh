#!/usr/bin/env bash
# Creates .venv-keras2 (genuine Keras 2: tf_keras + TensorFlow) at the repository root, once. Used to make
# Fixtures/keras2 and to cross-check random Keras 2 files in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-keras2/bin/python ] || ! .venv-keras2/bin/python -c "import tf_keras, h5py" 2>/dev/null; then
    python3 -m venv .venv-keras2
    .venv-keras2/bin/pip install --quiet --disable-pip-version-check -r tools/requirements-keras2.txt
fi
