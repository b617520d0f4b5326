"""The layer's routes: /api/layer and its explain, picture and export routes; bad values, the budget, permalinks,
and the page's panel against the API."""

from __future__ import annotations

import io
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from PIL import Image

from app import create_app
from kernels.library.layer_presets import load_banks
from kernels.teaching.layer import Layer, run_layer
from web.query.layer_state import parse_layer

CUSTOM = "filters=1,0,-1;2,0,-2;1,0,-1|1/9,1/9,1/9;1/9,1/9,1/9;1/9,1/9,1/9&bias=-3,2.5&lsize=64"


def layer_json(client, query: str) -> dict:
    answer = client.get(f"/api/layer?{query}")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def test_the_default_layer_is_the_starter_bank_on_the_astronaut(client) -> None:
    body = layer_json(client, "")
    bank = load_banks()["starter"]
    assert body["image"] == "astronaut" and body["size"] == 128
    assert body["input"] == {"shape": [128, 128, 3], "color": "rgb"}
    params = body["parameters"]
    assert params["layer"] == "starter" and params["groups"] == 1 and params["query"] == ""
    assert np.array_equal(np.array(params["filters"]), bank.weights)
    assert (params["activation"], params["pool"], params["edge"]) == ("relu", "max", "constant")
    assert body["shapes"] == {"pre": [6, 128, 128], "act": [6, 128, 128], "pooled": [6, 64, 64]}
    pre, act, pooled = (np.array(body[name]) for name in ("pre", "act", "pooled"))
    assert np.array_equal(act, np.maximum(pre, 0))
    blocks = act.reshape(6, 64, 2, 64, 2).max(axis=(2, 4))
    assert np.array_equal(pooled, blocks)


def test_the_maps_are_the_engines_on_the_picture_as_the_layer_reads_it(client) -> None:
    body = layer_json(client, CUSTOM + "&ledge=mirror&lstride=2,1&act=none&pool=avg&image=coffee")
    picture = np.asarray(Image.open(io.BytesIO(client.get("/api/input.png?image=coffee&size=64").data)), float)
    assert picture.ndim == 2 and list(picture.shape) == body["input"]["shape"]
    state = parse_layer(dict(parse_qsl(CUSTOM + "&ledge=mirror&lstride=2,1&act=none&pool=avg")))
    result = run_layer(picture, state.layer)
    assert np.array_equal(np.array(body["pre"]), result.pre)
    assert np.array_equal(np.array(body["pooled"]), result.pooled)
    assert body["act"] == body["pre"]
    assert body["parameters"]["bias"] == [-3.0, 2.5] and body["parameters"]["stride"] == [2, 1]


def test_without_pooling_pooled_is_null(client) -> None:
    body = layer_json(client, "layer=edges&pool=none&lsize=32")
    assert body["pooled"] is None and body["shapes"]["pooled"] is None


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("layer=vgg", "layer", "must be one of starter, edges"),
        ("filters=1,2;3", "filters", "every row must have as many values"),
        ("filters=1,x,1", "filters", "filter 1, grid 1, row 1, value 2"),
        ("filters=1|1,2", "filters", "same number of grids"),
        ("filters=" + "|".join(["1"] * 9), "filters", "at most 8 filters"),
        ("filters=1,1;1,1", "filters", "1, 3, 5 or 7"),
        ("filters=1:1", "groups", "grey picture"),
        ("filters=1|1&groups=3", "groups", "must divide"),
        ("filters=1|1|1|1&groups=3", "groups", "must divide"),
        ("layer=edges&bias=1,2", "bias", "one number per filter"),
        ("act=sigmoid", "act", "none, relu"),
        ("pool=median", "pool", "none, max, avg"),
        ("lstride=5", "lstride", "from 1 to 4"),
        ("ldilation=0", "ldilation", "from 1 to 4"),
        ("ledge=reflect", "ledge", "extend, wrap"),
        ("lsize=16", "lsize", "from 32 to 4096"),
        ("lf=7", "lf", "from 1 to 6"),
        ("lmap=pool&pool=none", "lmap", "needs pooling"),
        ("lmap=out", "lmap", "pre, act, pool"),
        ("image=nope", "image", "sample"),
        ("kernel=sharpen", "kernel", "not a known parameter"),
    ],
)
def test_bad_values_get_a_400_naming_the_field_and_the_rule(client, query, field, words) -> None:
    answer = client.get(f"/api/layer?{query}")
    assert answer.status_code == 400, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["field"] == field and words in body["error"]


def test_too_many_values_for_json_is_a_413_naming_lsize(client) -> None:
    answer = client.get("/api/layer?image=astronaut&lsize=512&layer=starter")
    assert answer.status_code == 413
    assert answer.get_json()["field"] == "lsize" and "1,048,576" in answer.get_json()["error"]


def test_work_above_the_budget_is_refused_before_it_starts(tmp_path) -> None:
    client = create_app({"TESTING": True, "UPLOAD_FOLDER": str(tmp_path), "REQUEST_BUDGET_SECONDS": 0.05}).test_client()
    weights = ";".join([",".join(["1"] * 7)] * 7)
    query = "filters=" + "|".join([":".join([weights] * 3)] * 8) + "&lsize=512"
    for route in ("/api/layer", "/api/layer.png", "/api/layer/explain", "/layer/fragment?part=panel&"):
        joiner = "" if route.endswith("&") else "?"
        answer = client.get(f"{route}{joiner}{query}")
        assert answer.status_code in (400, 422), (route, answer.status_code)
        text = answer.get_json()["error"] if answer.is_json else unescape(answer.get_data(as_text=True))
        assert "too much work for this server" in text, route
        assert "the working size (now 512: 512×512)" in text, route
    assert client.get(f"/api/layer.png?{query.replace('lsize=512', 'lsize=32')}").status_code == 200


def test_explain_gives_the_maps_numbers(client) -> None:
    body = layer_json(client, CUSTOM + "&pool=max")
    for lf, lmap, x, y in ((1, "pre", 5, 9), (2, "act", 0, 63), (1, "pool", 3, 4), (2, "pool", 31, 0)):
        pixel = client.get(f"/api/layer/explain?{CUSTOM}&pool=max&lf={lf}&lmap={lmap}&lx={x}&ly={y}").get_json()
        conv, f = pixel["conv"], lf - 1
        assert (pixel["filter"], pixel["map"], pixel["x"], pixel["y"]) == (f, lmap, x, y)
        assert (
            conv["pre"] == body["pre"][f][conv["y"]][conv["x"]] and conv["act"] == body["act"][f][conv["y"]][conv["x"]]
        )
        assert abs(conv["total"] * conv["scale"] + conv["bias"] - conv["pre"]) <= 1e-9 * max(1, abs(conv["pre"]))
        if lmap == "pool":
            assert pixel["pool"]["value"] == body["pooled"][f][y][x]
            won = pixel["pool"]["inputs"][pixel["pool"]["winner"]]
            assert (won["x"], won["y"]) == (conv["x"], conv["y"]) and won["value"] == pixel["pool"]["value"]
        else:
            assert pixel["pool"] is None
    answer = client.get(f"/api/layer/explain?{CUSTOM}&lx=64&ly=0")
    assert answer.status_code == 400 and answer.get_json()["field"] == "lx"


def test_a_map_picture_is_cached_and_its_colours_are_the_signed_map(client) -> None:
    address = "/api/layer.png?layer=edges&lsize=32&f=2&map=act"
    first = client.get(address)
    assert first.status_code == 200 and first.mimetype == "image/png"
    assert "max-age" in first.headers["Cache-Control"] and first.headers["ETag"]
    again = client.get(address, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    pixels = np.asarray(Image.open(io.BytesIO(first.data)).convert("RGB"))
    body = layer_json(client, "layer=edges&lsize=32")
    act = np.array(body["act"][1])
    assert pixels.shape[:2] == act.shape
    assert (pixels[act == 0] == 255).all()  # zero is white; ReLU left nothing below it
    strong = act > 0.2 * act.max()
    assert (pixels[strong][:, 0] > pixels[strong][:, 2]).all()  # above zero is orange
    for query, field in (
        ("layer=edges&map=all", "map"),
        ("layer=edges&f=9", "f"),
        ("lread=x", "lread"),
        ("lread=g", "lread"),
    ):
        answer = client.get(f"/api/layer.png?{query}")
        assert answer.status_code == 400 and answer.get_json()["field"] == field


def test_a_depthwise_filters_picture_reads_its_own_channel(client) -> None:
    body = layer_json(client, "layer=depthwise&lsize=32&pool=none")
    green = client.get("/api/layer.png?filters=-1,0,1;-2,0,2;-1,0,1&lsize=32&pool=none&lread=g&map=pre")
    whole = client.get("/api/layer.png?layer=depthwise&lsize=32&pool=none&f=2&map=pre")
    assert green.status_code == whole.status_code == 200 and green.data == whole.data
    pixels = np.asarray(Image.open(io.BytesIO(green.data)).convert("RGB"))
    pre = np.array(body["pre"][1])
    strong = pre < -0.2 * np.abs(pre).max()
    assert (pixels[pre == 0] == 255).all() and (pixels[strong][:, 2] > pixels[strong][:, 0]).all()  # blue below 0


def test_exports_come_as_python(client) -> None:
    for fmt in ("numpy", "pytorch"):
        answer = client.get(f"/api/layer/export?{CUSTOM}&format={fmt}")
        assert answer.status_code == 200 and answer.mimetype == "text/x-python"
        assert f"image_kernels_layer_{fmt}.py" in answer.headers["Content-Disposition"]
        assert "/api/input.png?image=astronaut&size=64" in answer.get_data(as_text=True)
    answer = client.get(f"/api/layer/export?{CUSTOM}&format=onnx")
    assert answer.status_code == 400 and answer.get_json()["field"] == "format"


def test_the_numpy_export_run_gives_the_apis_maps(client) -> None:
    query = CUSTOM + "&image=chelsea&ledge=symmetric&ldilation=2&pool=avg"
    body = layer_json(client, query)
    text = client.get(f"/api/layer/export?{query}&format=numpy").get_data(as_text=True)
    source = re.search(r"as (/api/input\.png\S+) gives it", text)[1]
    picture = np.asarray(Image.open(io.BytesIO(client.get(source).data)), dtype=np.float64)
    namespace = {"image": picture}
    exec(compile(text, "<export>", "exec"), namespace)
    for name, key in (("pre", "pre"), ("act", "act"), ("pooled", "pooled")):
        expected = np.array(body[key])
        assert namespace[name].shape == expected.shape
        assert np.abs(namespace[name] - expected).max() <= 1e-9 * max(1.0, np.abs(expected).max())


def test_a_permalink_round_trips(client) -> None:
    page = client.get(f"/?{CUSTOM}&groups=1&act=relu&lf=2&lx=7&ly=8&lmap=act&lpin=1&ledge=wrap")
    assert page.status_code == 200
    url = re.search(r'id="page-url" data-url="([^"]+)"', page.get_data(as_text=True))[1]
    query = dict(parse_qsl(urlsplit(unescape(url)).query))
    assert query["filters"] == "1,0,-1;2,0,-2;1,0,-1|1/9,1/9,1/9;1/9,1/9,1/9;1/9,1/9,1/9"
    assert (query["bias"], query["lsize"], query["ledge"]) == ("-3,2.5", "64", "wrap")
    assert (query["lf"], query["lx"], query["ly"], query["lmap"], query["lpin"]) == ("2", "7", "8", "act", "1")
    assert "groups" not in query and "act" not in query  # defaults are left out
    again = client.get("/?" + urlsplit(unescape(url)).query)
    assert again.status_code == 200
    assert re.search(r'id="page-url" data-url="([^"]+)"', again.get_data(as_text=True))[1] == url


def test_filters_equal_to_a_bank_are_named_after_it() -> None:
    edges = load_banks()["edges"]
    text = "|".join(";".join(",".join(row) for row in f[0]) for f in edges.texts)
    state = parse_layer({"filters": text})
    assert state.bank == "edges" and state.to_query() == {"layer": "edges"}
    assert parse_layer({"filters": text, "bias": "0,0,0,1"}).to_query()["bias"] == "0,0,0,1"
    digits = parse_layer({"layer": "digits"})
    assert digits.layer.in_channels == 1 and digits.color == "gray"
    assert isinstance(digits.layer, Layer)
