"""A NumPy stand-in of the few PyTorch calls the exported snippets make, for machines without PyTorch.

:class:`StandInTensor` is an ndarray with the tensor methods the snippets call, written from PyTorch's
documentation. Two of them share a name with an ndarray method that NumPy itself calls on subclasses, with
its own argument names: ``sum`` (``np.sum`` passes ``axis=``, ``out=``, ``keepdims=``… by keyword) and
``repeat`` (``np.repeat`` passes ``axis=``). Called with PyTorch's spelling they do what PyTorch does; called
with NumPy's keywords they do what the ndarray does. Positional arguments read as PyTorch's, so a NumPy
function that calls ``repeat(n, axis)`` positionally on its input (``np.tile``) needs ``np.asarray`` first.

:func:`install` puts ``torch``, ``torch.nn`` and ``torch.nn.functional`` modules in ``sys.modules``: the
``torch`` calls every snippet makes, plus the ``nn`` and ``F`` calls a test brings for its own snippet.
"""

from __future__ import annotations

import contextlib
import sys
import types
from collections.abc import Mapping

import numpy as np
import pytest


class StandInTensor(np.ndarray):
    """An ndarray with the tensor methods the snippets call."""

    def permute(self, *dims: int) -> StandInTensor:
        return self.transpose(dims)

    def numpy(self) -> np.ndarray:
        return np.asarray(self)

    def abs(self) -> StandInTensor:
        return np.abs(self)

    def sum(self, dim=None, keepdim=False, **numpy_names):
        """PyTorch's ``sum(dim, keepdim)``; with NumPy's keywords (``axis``, ``keepdims``, ``dtype``, ``out``…)
        the ndarray's, as ``np.sum`` expects."""
        if numpy_names:
            return super().sum(**numpy_names)
        return super().sum(axis=dim, keepdims=keepdim)

    def repeat(self, *sizes, **numpy_names):
        """PyTorch's ``repeat(*sizes)`` tiles the whole tensor; with NumPy's keywords (``axis``, ``repeats``) it
        repeats each element, as ndarray's does."""
        if numpy_names:
            return super().repeat(*sizes, **numpy_names)
        return np.tile(np.asarray(self), sizes).view(StandInTensor)

    def copy_(self, other) -> StandInTensor:
        self[...] = np.asarray(other)
        return self


def tensor(array) -> StandInTensor:
    """A float64 stand-in tensor holding ``array``."""
    return np.asarray(array, dtype=np.float64).view(StandInTensor)


def install(
    monkeypatch: pytest.MonkeyPatch, functional: Mapping[str, object], nn: Mapping[str, object] | None = None
) -> None:
    """Install the stand-in as ``torch``, ``torch.nn`` (with ``nn``) and ``torch.nn.functional`` (``functional``)."""
    torch = types.ModuleType("torch")
    torch_nn = types.ModuleType("torch.nn")
    torch_functional = types.ModuleType("torch.nn.functional")
    torch.float64 = np.float64
    torch.tensor = lambda values, dtype=None: tensor(values)
    torch.from_numpy = lambda array: np.asarray(array).view(StandInTensor)
    torch.ones = lambda shape, dtype=None: tensor(np.ones(shape))
    torch.ones_like = lambda like: np.ones_like(np.asarray(like)).view(StandInTensor)
    torch.where = lambda condition, a, b: np.where(condition, a, b).view(StandInTensor)
    torch.flip = lambda like, dims: np.flip(like, axis=dims).view(StandInTensor)
    torch.no_grad = contextlib.nullcontext
    for name, value in functional.items():
        setattr(torch_functional, name, value)
    for name, value in (nn or {}).items():
        setattr(torch_nn, name, value)
    torch_nn.functional = torch_functional
    torch.nn = torch_nn
    for name, module in (("torch", torch), ("torch.nn", torch_nn), ("torch.nn.functional", torch_functional)):
        monkeypatch.setitem(sys.modules, name, module)
