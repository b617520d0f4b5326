"""Speed measurements: the engine and request table (``bench.bench``) and the in-browser latency (``bench.latency``)."""
