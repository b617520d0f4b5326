"""Exports that reproduce an output elsewhere; one door, :func:`export`, and its formats.

``formats`` builds each answer from a :class:`plan.Plan`; ``python``, ``pytorch``, ``magick`` and
``gimp`` write the snippets; ``layer_code`` writes the convolutional layer's NumPy and PyTorch code.
"""

from kernels.exports.formats import FILENAMES, FORMAT_HINTS, FORMAT_TITLES, FORMATS, Export, export

__all__ = ["FILENAMES", "FORMATS", "FORMAT_HINTS", "FORMAT_TITLES", "Export", "export"]
