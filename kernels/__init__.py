"""Image Kernels' engine and what it teaches: pure NumPy, knows nothing of the web, disks or Pillow.

``engine`` (the door: :func:`kernels.engine.filter_image`), ``library`` (kernel text, presets,
generators, tools), ``teaching`` (explanations, display, histograms, properties, spectra, a layer)
and ``exports``; ``errors``, ``options`` and ``limits`` are the vocabulary they share.
"""
