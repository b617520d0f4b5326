"""Menus and text fields that choose the second kernel of ``combine`` and the kernels of ``compare``.

Each choice is a pair of form fields: a preset menu and a text field (a preset name, a generator call or
rows, as in ``kernel``). Neither appears in a permalink: :func:`fold_pickers` turns them into ``kernel2``
and ``compare`` before the state is read. Whichever of the two a person changed wins; which one changed is
told by comparing with the last state that worked (the form's ``good`` field), as the kernel editor does
with its preset menu. With JavaScript every change is sent on its own; without it, when both changed at
once, the menu wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kernels.library.presets import Preset
from web.query.state import COMPARE_SEPARATOR, MAX_COMPARE, State

TYPED = "typed"
"""The menu value that means "the kernel in the text field", offered while the text is not a preset name."""
KERNEL2_MENU, KERNEL2_TEXT = "kernel2-menu", "kernel2-text"
COMPARE_MENUS = tuple(f"compare-menu-{i}" for i in range(MAX_COMPARE))
COMPARE_TEXTS = tuple(f"compare-text-{i}" for i in range(MAX_COMPARE))
PICKER_PARAMS: tuple[str, ...] = (KERNEL2_MENU, KERNEL2_TEXT, *COMPARE_MENUS, *COMPARE_TEXTS)
"""Form fields read here; a page request may carry them, a permalink never does."""
TYPED_LABEL_LENGTH = 28
"""Longest typed kernel text quoted in a menu option, in characters."""


@dataclass(frozen=True)
class Picker:
    """One kernel choice as the form shows it: the menu's value and the text field's.

    ``menu`` is "" (nothing / the default), a preset name, or :data:`TYPED`; ``typed_label`` is the text
    of the :data:`TYPED` option when it is offered (the text is not a preset name), else "".
    """

    menu_name: str
    text_name: str
    text_id: str
    menu: str
    text: str
    typed_label: str = ""


def fold_pickers(args: Mapping[str, str], presets: Mapping[str, Preset], previous: State) -> dict[str, str]:
    """``args`` plus the ``kernel2`` and ``compare`` its picker fields choose (when the form sent them).

    ``previous`` is the last state that worked: a field equal to what it showed was not touched. The picker
    fields stay in the answer, so a page with an error can show what was typed.
    """
    folded = dict(args)
    if KERNEL2_MENU in args or KERNEL2_TEXT in args:
        was = explicit_kernel2(previous)
        chosen = _chosen(args.get(KERNEL2_MENU, ""), args.get(KERNEL2_TEXT, ""), was, presets)
        folded.pop("kernel2", None)
        if chosen:
            folded["kernel2"] = chosen
    if any(name in args for name in (*COMPARE_MENUS, *COMPARE_TEXTS)):
        was_list = [choice.text for choice in previous.compare]
        texts = []
        for index in range(MAX_COMPARE):
            was = was_list[index] if index < len(was_list) else ""
            chosen = _chosen(args.get(COMPARE_MENUS[index], ""), args.get(COMPARE_TEXTS[index], ""), was, presets)
            if chosen:
                texts.append(chosen)
        folded.pop("compare", None)
        if texts:
            folded["compare"] = COMPARE_SEPARATOR.join(texts)
    return folded


def explicit_kernel2(state: State) -> str:
    """``kernel2`` as the permalink spells it; "" when it is absent or the default partner."""
    return state.kernel2.text if state.kernel2 is not None and not state.kernel2_default else ""


def _chosen(menu: str, text: str, was: str, presets: Mapping[str, Preset]) -> str:
    menu, text = menu.strip(), text.strip()
    if menu != menu_value(was, presets):  # the menu was changed: it wins
        return text if menu == TYPED else menu
    return text


def menu_value(text: str, presets: Mapping[str, Preset]) -> str:
    """What the menu shows for a kernel text: "" for none, the preset's name, or :data:`TYPED`."""
    if not text:
        return ""
    return text if text in presets else TYPED


def picker(
    menu_name: str,
    text_name: str,
    text_id: str,
    current: str,
    presets: Mapping[str, Preset],
    submitted: Mapping[str, str] | None = None,
) -> Picker:
    """The fields for a kernel text ``current``; ``submitted`` (the request's values) keeps what was typed
    when the request had an error."""
    menu, text = menu_value(current, presets), current
    if submitted is not None and (menu_name in submitted or text_name in submitted):
        menu, text = submitted.get(menu_name, menu).strip(), submitted.get(text_name, text).strip()
        if menu == TYPED or (menu and menu not in presets):
            menu = menu_value(text, presets)
    typed = "" if not text or text in presets else _short(text)
    return Picker(menu_name, text_name, text_id, menu, text, typed)


def _short(text: str) -> str:
    return text if len(text) <= TYPED_LABEL_LENGTH else text[: TYPED_LABEL_LENGTH - 1] + "…"


def compare_pickers(
    state: State, presets: Mapping[str, Preset], submitted: Mapping[str, str] | None = None
) -> list[Picker]:
    """One picker per compare slot (empty ones included, so a kernel can be added)."""
    texts = [choice.text for choice in state.compare]
    return [
        picker(
            COMPARE_MENUS[i], COMPARE_TEXTS[i], f"compare[{i}]", texts[i] if i < len(texts) else "", presets, submitted
        )
        for i in range(MAX_COMPARE)
    ]


def kernel2_picker(state: State, presets: Mapping[str, Preset], submitted: Mapping[str, str] | None = None) -> Picker:
    return picker(KERNEL2_MENU, KERNEL2_TEXT, "kernel2", explicit_kernel2(state), presets, submitted)
