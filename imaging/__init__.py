"""Pictures in and out of the engine: decoding and encoding, the working size, previews, the bundled
samples, hand-drawn pictures, camera frames and the upload store (a folder or Redis).

Pillow and the disk live here, so that :mod:`kernels` stays pure NumPy."""
