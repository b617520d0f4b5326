"""What the page teaches, computed from the engine's numbers: one pixel's arithmetic, display mapping,
histograms, kernel properties, gradients, frequency responses and one convolutional layer."""
