#!/bin/sh
# Fuzz every keystow harness for SECONDS each (default 60): fuzz/run.sh 300
set -e
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
exec "$PY" fuzz/run.py --seconds "${1:-60}"
