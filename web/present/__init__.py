"""Presenters: the engine's numbers as people read them (the explanation panel, the edge-mode tables, the
spectrum's words and charts, the kernel's JSON), with no access to the request or the caches."""
