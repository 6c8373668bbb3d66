"""Source x scanner -> result: scanning blobs from paths, the index, ranges and history;
worker processes; the history blob cache; placing per-blob hits at every location."""
