"""Scanning many repositories (`keystow scan-repos`): one task per repository, run in a local
process pool or on an existing Dask cluster, combined into one report.

model.py (picklable inputs and results), repolist.py (the list file), task.py (the task itself),
runners.py (local pool, Dask), combined.py (the combined report).
"""
