"""Image Kernels' engine: pure NumPy convolution, presets, images. Knows nothing of the web."""
