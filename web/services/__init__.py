"""What the routes share: the caches and the engine's inputs and results (``compute``), the request budget and
the heavy-work threads, per-client rate limits, stopping work for a client that left, and the quiz's secret."""
