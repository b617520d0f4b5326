"""Presets files written by course authors: every validation error, extension and replacement."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kernels.library.presets import BUILTIN_PATH, PresetFileError, load_presets

GOOD: dict[str, Any] = {
    "name": "ridge",
    "title": "Ridge",
    "group": "edges",
    "written_for": "convolution",
    "rows": ["-1, 2, -1"],
    "text": "A horizontal second difference: it picks out thin vertical lines.",
}


def write(tmp_path: Path, document: object, name: str = "course.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def with_changes(**changes: Any) -> dict[str, Any]:
    entry = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is None:
            del entry[key]
        else:
            entry[key] = value
    return entry


def test_replacing_file(tmp_path: Path) -> None:
    presets = load_presets(write(tmp_path, {"presets": [GOOD]}))
    assert list(presets) == ["ridge"]
    ridge = presets["ridge"]
    np.testing.assert_array_equal(ridge.weights, [[-1, 2, -1]])
    assert ridge.sum == 0 and ridge.separable and ridge.rank == 1
    assert ridge.title == "Ridge" and ridge.group == "edges" and ridge.written_for == "convolution"


def test_path_may_be_text(tmp_path: Path) -> None:
    assert list(load_presets(str(write(tmp_path, {"presets": [GOOD]})))) == ["ridge"]


def test_extending_keeps_builtin_order_replaces_in_place_and_appends(tmp_path: Path) -> None:
    builtin = load_presets()
    sharper = with_changes(
        name="sharpen", title="Sharpen more", group="sharpen", rows=["0, -2, 0", "-2, 9, -2", "0, -2, 0"]
    )
    presets = load_presets(write(tmp_path, {"extends": "builtin", "presets": [sharper, GOOD]}))
    assert list(presets) == [*builtin, "ridge"]
    assert presets["sharpen"].title == "Sharpen more"
    assert presets["sharpen"].weights[1, 1] == 9
    assert presets["blur"].title == builtin["blur"].title


def test_extending_with_no_presets_keeps_the_builtin_library(tmp_path: Path) -> None:
    assert list(load_presets(write(tmp_path, {"extends": "builtin", "presets": []}))) == list(load_presets())


def test_optional_fields(tmp_path: Path) -> None:
    entry = with_changes(group=None, scale=0.5)
    preset = load_presets(write(tmp_path, {"presets": [entry]}))["ridge"]
    assert preset.group == "other"
    assert preset.scale == "0.5"
    np.testing.assert_array_equal(preset.weights, [[-0.5, 1, -0.5]])


def test_generated_rows(tmp_path: Path) -> None:
    entry = with_changes(rows={"generate": "box", "size": 4}, scale="1/16", group="blur")
    preset = load_presets(write(tmp_path, {"presets": [entry]}))["ridge"]
    np.testing.assert_array_equal(preset.weights, np.full((4, 4), 1 / 16))
    assert preset.rows_text == [["1"] * 4] * 4 and preset.sum == 1


def expect(tmp_path: Path, document: object, *fragments: str) -> PresetFileError:
    path = write(tmp_path, document)
    with pytest.raises(PresetFileError) as caught:
        load_presets(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    for fragment in fragments:
        assert fragment in message, message
    return caught.value


def one(entry: dict[str, Any]) -> dict[str, Any]:
    """A file whose second preset is ``entry`` (the first one is fine), so errors must name index 1."""
    return {"presets": [with_changes(name="fine"), entry]}


@pytest.mark.parametrize(
    ("entry", "field", "fragments"),
    [
        (with_changes(colour="red"), "colour", ["unknown key", "allowed keys are name, title, text"]),
        (with_changes(title=None), "title", ["is missing", "every preset needs name, title, text, rows"]),
        (with_changes(rows=None), "rows", ["is missing"]),
        (with_changes(written_for=None), "written_for", ["is missing"]),
        (with_changes(title=""), "title", ["non-empty string of at most 80 characters"]),
        (with_changes(title=7), "title", ["non-empty string", "(found 7)"]),
        (with_changes(text="x" * 1001), "text", ["at most 1000 characters", "1001 characters"]),
        (
            with_changes(group="misc"),
            "group",
            ["must be one of blur, sharpen, edges, gradient, other", "(found 'misc')"],
        ),
        (
            with_changes(written_for="both"),
            "written_for",
            ["must be one of correlation, convolution", "(found 'both')"],
        ),
        (with_changes(rows=["1, 2", "3"]), "rows", ["row 2 has 1 value, row 1 has 2", "(found '3')"]),
        (with_changes(rows=["1, x"]), "rows", ["row 1, column 2 must be a decimal", "(found 'x')"]),
        (with_changes(rows=["1, nan"]), "rows", ["row 1, column 2", "(found 'nan')"]),
        (with_changes(rows=["1/0"]), "rows", ["row 1, column 1", "zero denominator", "(found '1/0')"]),
        (with_changes(rows=["2e9"]), "rows", ["between -1e9 and 1e9", "(found '2e9')"]),
        (with_changes(rows=["1,", "2, 3"]), "rows", ["row 1, column 2 must not be empty"]),
        (with_changes(rows=[[1, 2, 1]]), "rows", ["row 1 must be a non-empty string", "(found [1, 2, 1])"]),
        (with_changes(rows=[]), "rows", ["must be a list of rows like"]),
        (with_changes(rows="1, 2, 1"), "rows", ["must be a list of rows like", "(found '1, 2, 1')"]),
        (with_changes(rows=["1"] * 64), "rows", ["has 64 rows; a kernel may have at most 63"]),
        (with_changes(rows=[", ".join(["1"] * 64)]), "rows", ["row 1 has 64 values; a kernel may have at most 63"]),
        (
            with_changes(rows={"generate": "box", "size": 64}),
            "rows",
            ["size must be a whole number from 1 to 63", "(found 64)"],
        ),
        (with_changes(rows={"generate": "box", "size": True}), "rows", ["size must be a whole number"]),
        (with_changes(rows={"generate": "disk", "size": 5}), "rows", ["generate must be one of box", "(found 'disk')"]),
        (with_changes(rows={"generate": "box"}), "rows", ["exactly the keys generate and size"]),
        (with_changes(scale="0"), "scale", ["must not be 0"]),
        (with_changes(scale="1/0"), "scale", ["zero denominator", "(found '1/0')"]),
        (with_changes(scale="a third"), "scale", ["must be a decimal", "(found 'a third')"]),
        (with_changes(scale=True), "scale", ['must be a number or a text like "1/16"', "(found True)"]),
        (with_changes(rows=["1e9"], scale="10"), "scale", ["makes a weight of 1e+10", "within ±1e9"]),
    ],
)
def test_entry_errors_name_file_preset_and_field(
    tmp_path: Path, entry: dict[str, Any], field: str, fragments: list[str]
) -> None:
    err = expect(tmp_path, one(entry), "presets[1] ('ridge')", f"field {field!r}", *fragments)
    assert (err.index, err.name, err.field) == (1, "ridge", field)


@pytest.mark.parametrize("name", ["Sobel", "sobel_left", "1x", "-a", "a-", "a--b", "", 5, "a" * 41])
def test_bad_names(tmp_path: Path, name: object) -> None:
    err = expect(
        tmp_path,
        one(with_changes(name=name)),
        "presets[1]:",
        "field 'name'",
        "lowercase letters and digits",
        f"(found {name!r})",
    )
    assert err.name is None


def test_missing_name(tmp_path: Path) -> None:
    expect(tmp_path, one(with_changes(name=None)), "presets[1]: field 'name': is missing")


def test_duplicate_names(tmp_path: Path) -> None:
    expect(
        tmp_path,
        {"presets": [GOOD, with_changes(name="other"), GOOD]},
        "presets[2] ('ridge'): field 'name': duplicate name; presets[0] already uses it",
    )


def test_entry_must_be_an_object(tmp_path: Path) -> None:
    expect(tmp_path, {"presets": [GOOD, "blur"]}, "presets[1]: must be a JSON object (found str)")


@pytest.mark.parametrize(
    ("document", "fragments"),
    [
        ("{not json", ["is not valid JSON", "line 1, column 2"]),
        ('{"presets": [], "presets": []}', ["key 'presets' appears twice"]),
        ('{"presets": [{"name": "a", "name": "b"}]}', ["key 'name' appears twice"]),
        ('{"presets": [{"rows": [NaN]}]}', ["NaN is not allowed"]),
        ("[]", ["must hold a JSON object"]),
        ({"presets": [GOOD], "version": 2}, ["unknown top-level key 'version'", "allowed keys are extends, presets"]),
        ({"extends": "builtin"}, ["field 'presets': must be a list of preset objects, not empty unless"]),
        ({"presets": []}, ["field 'presets': must be a list of preset objects, not empty unless"]),
        ({"presets": {"ridge": GOOD}}, ["field 'presets': must be a list of preset objects, not empty unless"]),
        (
            {"extends": "bundled", "presets": [GOOD]},
            ["field 'extends'", 'only allowed value is "builtin"', "(found 'bundled')"],
        ),
    ],
)
def test_file_level_errors(tmp_path: Path, document: object, fragments: list[str]) -> None:
    expect(tmp_path, document, *fragments)


def test_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(PresetFileError, match=f"^{missing}: cannot be read"):
        load_presets(missing)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(PresetFileError, match="cannot be read as UTF-8"):
        load_presets(binary)


def test_the_bundled_file_is_the_default() -> None:
    assert list(load_presets(BUILTIN_PATH)) == list(load_presets())
