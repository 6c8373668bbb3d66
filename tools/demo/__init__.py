"""The end-to-end demo (`make demo`: python -m tools.demo)."""
