"""/api/kernel, /api/kernel/tool, combined gradients and compare slots over HTTP, and their refusals."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from imaging.images import to_engine_input
from imaging.samples import load_sample
from kernels.engine import filter_image, output_shape
from kernels.library.generators import sobel
from kernels.options import Options
from kernels.teaching.display import render
from kernels.teaching.gradient import direction_image, gradient

FACE = to_engine_input(load_sample("face"), "gray")
SOBEL_LEFT = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])


def pixels(body: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(body)))


def refused(response, field: str, *words: str) -> None:
    assert response.status_code == 400, response.data[:300]
    body = response.get_json()
    assert set(body) == {"error", "field"} and body["field"] == field
    for word in words:
        assert word in body["error"], body["error"]


def test_kernel_describes_weights_origin_properties_and_tools(client):
    body = client.get("/api/kernel?image=face&kernel=emboss&op=convolve&origin=0,1").get_json()
    emboss = np.array([[-2.0, -1, 0], [-1, 1, 1], [0, 1, 2]])
    assert body["kernel"] == "emboss" and body["preset"] == "emboss" and (body["rows"], body["cols"]) == (3, 3)
    assert body["weights"] == emboss.tolist()
    assert body["multiplied"] == emboss[::-1, ::-1].tolist()
    assert body["origin"] == [0, 1] and body["origin_multiplied"] == [2, 1]
    props = body["properties"]
    assert props["sum"] == 1 and props["meaning"] == "keeps" and props["separable"] is False
    assert props["rank"] == 3 and props["flip_symmetric"] is False
    assert body["tools"]["flip-v"]["kernel"] == "0,1,2;-1,1,1;-2,-1,0"
    assert body["tools"]["flip-v"]["origin"] == "2,1"
    assert body["slot"] is None and body["combine"] is None


def test_kernel_weights_as_multiplied_are_normalised(client):
    body = client.get("/api/kernel?image=face&kernel=1,1;1,1&normalize=1").get_json()
    assert body["weights"] == [[1, 1], [1, 1]] and body["multiplied"] == [[0.25, 0.25], [0.25, 0.25]]
    assert body["properties"]["gain"] == 1 and body["properties"]["meaning"] == "keeps"


@pytest.mark.parametrize(
    "query",
    [
        "kernel=box(5)",
        "kernel=box(4)&edge=crop&stride=3",
        "kernel=gaussian(7,2)&dilation=2,3&stride=2,5",
        "kernel=1,2,3;4,5,6&edge=crop&repeat=3&origin=0,2",
        "kernel=box(2)&origin=0,0&stride=4,1",
    ],
)
def test_output_size_formula_agrees_with_the_engine(client, query):
    body = client.get(f"/api/kernel?image=face&{query}").get_json()["output"]
    response = client.get(f"/api/convolve?image=face&{query}").get_json()
    assert (body["height"], body["width"]) == (response["height"], response["width"])
    for axis in ("rows", "cols"):
        for step in body["passes"]:
            entry = step[axis]
            assert entry["k_eff"] == entry["dilation"] * (entry["k"] - 1) + 1
            expected = (entry["input"] - entry["k_eff"] + entry["pad_before"] + entry["pad_after"]) // entry["stride"]
            assert entry["output"] == expected + 1
            assert entry["formula"].endswith(f"= {entry['output']}")
    assert body["input"] == {"height": 32, "width": 32}


def test_output_size_formula_spells_out_the_numbers(client):
    body = client.get("/api/kernel?image=face&kernel=box(5)&stride=2&edge=crop").get_json()["output"]
    assert body["padding"] == "crop"
    assert body["passes"][0]["rows"]["formula"] == "floor((32 − 5 + 2·0) / 2) + 1 = 14"
    same = client.get("/api/kernel?image=face&kernel=box(4)&dilation=3").get_json()["output"]
    assert same["passes"][0]["cols"]["formula"] == "floor((32 − 10 + (6 + 3)) / 1) + 1 = 32"
    assert same["height"] == output_shape((32, 32), (4, 4), Options(dilation=(3, 3)))[0]


def test_kernel_of_a_combined_state_describes_the_second_kernel(client):
    body = client.get("/api/kernel?image=face&kernel=sobel-x(5)&combine=direction&compare=blur").get_json()
    assert body["combine"] == "direction" and body["compare"] == ["blur"]
    second = body["kernel2"]
    assert second["kernel"] == "sobel-y(5)" and second["default"] is True
    assert np.array(second["weights"]).shape == (5, 5) and second["properties"]["meaning"] == "edges"


def test_kernel_of_a_compare_slot(client):
    body = client.get("/api/kernel?image=face&kernel=sharpen&origin=0,0&compare=blur|gaussian(5,1)&slot=1").get_json()
    assert body["kernel"] == "gaussian(5,1)" and body["generator"] == "gaussian(5,1)"
    assert body["origin"] == [2, 2] and body["tools"] is None and body["slot"] == 1


@pytest.mark.parametrize(
    "query, kernel, origin",
    [
        ("kernel=sobel-left&tool=rotate-left", "sobel-bottom", None),
        ("kernel=sobel-left&tool=rotate-right", "sobel-top", None),
        ("kernel=sobel-left&tool=transpose", "sobel-top", None),
        ("kernel=sobel-left&tool=flip-h", "sobel-right", None),
        ("kernel=sobel-top&tool=flip-v", "sobel-bottom", None),
        ("kernel=emboss&tool=reset", "identity", None),
        ("kernel=emboss&tool=clear", "0,0,0;0,0,0;0,0,0", None),
        ("kernel=1,2;3,4&origin=1,1&tool=flip-v", "3,4;1,2", "0,1"),
        ("kernel=blur&tool=resize&rows=1&cols=3", "0.125,0.25,0.125", None),
        ("kernel=1,2,3&tool=resize&rows=3&cols=5", "0,0,0,0,0;0,1,2,3,0;0,0,0,0,0", None),
        ("kernel=sobel-x(3)&tool=transpose", "sobel-y(3)", None),
    ],
)
def test_kernel_tool_returns_the_new_kernel(client, query, kernel, origin):
    body = client.get(f"/api/kernel/tool?image=face&{query}").get_json()
    assert body["kernel"] == kernel and body["origin"] == origin
    follow = client.get(f"/api/kernel?{body['query']}").get_json()
    assert follow["kernel"] == kernel
    assert body["state"]["kernel"] == kernel and body["state"]["image"] == "face"


def test_randomise_tool_is_deterministic(client):
    first = client.get("/api/kernel/tool?image=face&kernel=blur&tool=randomise&seed=9").get_json()
    again = client.get("/api/kernel/tool?image=face&kernel=blur&tool=randomise&seed=9").get_json()
    other = client.get("/api/kernel/tool?image=face&kernel=blur&tool=randomise").get_json()
    assert first["kernel"] == again["kernel"] != other["kernel"]
    assert (first["rows"], first["cols"]) == (3, 3)


@pytest.mark.parametrize(
    "query, field, words",
    [
        ("tool=spin", "tool", ["rotate-left", "resize"]),
        ("", "tool", ["must be one of"]),
        ("tool=resize&rows=5", "cols", ["required"]),
        ("tool=resize&rows=0&cols=3", "rows", ["1 to 63"]),
        ("tool=resize&rows=3&cols=64", "cols", ["1 to 63"]),
        ("tool=randomise&seed=-1", "seed", []),
        ("tool=flip-h&slot=1", "slot", ["not a known parameter"]),
        ("tool=flip-h&kernel=gaussian(6,1)", "kernel", ["odd"]),
    ],
)
def test_kernel_tool_refusals(client, query, field, words):
    refused(client.get(f"/api/kernel/tool?image=face&{query}"), field, *words)


def test_combined_magnitude_png_and_raw(client):
    query = "image=face&kernel=sobel-left&combine=magnitude&edge=mirror&display=stretch"
    expected = gradient(FACE, SOBEL_LEFT, SOBEL_LEFT.T, Options(edge="mirror"))
    assert np.array_equal(pixels(client.get(f"/api/output.png?{query}").data), render(expected.magnitude, "stretch"))
    body = client.get(f"/api/convolve?{query}").get_json()
    assert body["combine"] == "magnitude" and body["channels"] == 1
    assert body["method"] in {"direct", "separable", "fft"}
    np.testing.assert_allclose(np.array(body["raw"]), expected.magnitude, atol=1e-3)


def test_combined_direction_png_and_raw(client):
    query = "image=face&kernel=sobel-x(5)&combine=direction"
    expected = gradient(FACE, sobel("x", 5), sobel("y", 5))
    picture = pixels(client.get(f"/api/output.png?{query}").data)
    assert picture.shape == (32, 32, 3)
    assert np.abs(picture.astype(int) - direction_image(expected)).max() <= 1
    raw = np.array(client.get(f"/api/convolve?{query}").get_json()["raw"])
    strong = expected.magnitude > 1
    assert np.abs(((raw - expected.direction + 180) % 360 - 180)[strong]).max() < 1e-3
    assert raw.min() > -180 and raw.max() <= 180


def test_combined_rgb_has_a_list_per_pixel_and_a_hue_image(client):
    query = "image=face&kernel=scharr-top&combine=direction&color=rgb"
    assert np.array(client.get(f"/api/convolve?{query}").get_json()["raw"]).shape == (32, 32, 3)
    assert pixels(client.get(f"/api/output.png?{query}").data).shape == (32, 32, 3)


def test_combined_outputs_have_their_own_etags(client):
    etags = {
        client.get(f"/api/output.png?image=face&kernel=sobel-left{extra}").headers["ETag"]
        for extra in ("", "&combine=magnitude", "&combine=direction", "&combine=magnitude&kernel2=sobel-right")
    }
    assert len(etags) == 4


def test_explain_a_combined_pixel(client):
    body = client.get("/api/explain?image=face&kernel=sobel-left&combine=magnitude&x=7&y=9").get_json()
    assert {"x", "y", "input_x", "input_y", "scale", "channels", "combined"} <= set(body)
    assert [c["name"] for c in body["channels"]] == ["Gx", "Gy"]
    gx, gy = body["channels"][0]["value"], body["channels"][1]["value"]
    assert body["channels"][1]["weights"] == SOBEL_LEFT.T.tolist()
    combined = body["combined"]
    assert combined["mode"] == "magnitude" and combined["magnitude"] == pytest.approx(np.hypot(gx, gy), abs=1e-4)
    assert combined["direction"] == pytest.approx(np.degrees(np.arctan2(gy, gx)), abs=1e-3)
    picture = pixels(client.get("/api/output.png?image=face&kernel=sobel-left&combine=magnitude").data)
    assert combined["stored"] == picture[9, 7]


def test_explain_a_combined_rgb_pixel_names_each_pass_and_colour(client):
    body = client.get("/api/explain?image=face&kernel=sobel-x(3)&combine=direction&color=rgb&x=1&y=2").get_json()
    assert [c["name"] for c in body["channels"]] == ["Gx (R)", "Gy (R)", "Gx (G)", "Gy (G)", "Gx (B)", "Gy (B)"]
    assert [c["kernel"] for c in body["channels"]][:2] == ["Gx", "Gy"] and body["channels"][2]["channel"] == "G"
    assert len(body["combined"]["magnitude"]) == 3 and len(body["combined"]["stored"]) == 3


@pytest.mark.parametrize(
    "query, field, words",
    [
        ("kernel=sharpen&combine=magnitude", "kernel2", ["required"]),
        ("kernel=sobel-left&combine=magnitude&kernel2=box(5)", "kernel2", ["same size"]),
        ("kernel=sobel-left&combine=sum", "combine", ["magnitude"]),
        ("kernel=sobel-left&combine=magnitude&kernel2=1,2;3", "kernel2", ["row 2"]),
        ("kernel=sobel-left&combine=magnitude&color=rgb&display=signed", "display", ["gray"]),
        ("kernel=sobel-left&combine=direction&color=rgb&display=signed", "display", ["gray"]),
    ],
)
def test_combine_refusals(client, query, field, words):
    refused(client.get(f"/api/output.png?image=face&{query}"), field, *words)
    refused(client.get(f"/api/explain?image=face&{query}&x=0&y=0"), field, *words)


def test_compare_slots_are_plain_outputs(client):
    base = "image=face&kernel=sharpen&edge=wrap&compare=blur|sobel-x(5)|motion(9,30)"
    for slot, kernel in enumerate(["blur", "sobel-x(5)", "motion(9,30)"]):
        alone = client.get(f"/api/output.png?image=face&kernel={kernel}&edge=wrap")
        compared = client.get(f"/api/output.png?{base}&slot={slot}")
        assert compared.status_code == 200 and compared.data == alone.data
        assert compared.headers["ETag"] == alone.headers["ETag"]
        raw = client.get(f"/api/convolve?{base}&slot={slot}").get_json()["raw"]
        assert raw == client.get(f"/api/convolve?image=face&kernel={kernel}&edge=wrap").get_json()["raw"]
    main = client.get(f"/api/output.png?{base}").data
    assert main == client.get("/api/output.png?image=face&kernel=sharpen&edge=wrap").data


def test_explain_in_every_compare_slot(client):
    base = "image=face&kernel=sharpen&compare=blur|sobel-x(5)&edge=crop&x=0&y=0"
    blur = client.get(f"/api/explain?{base}&slot=0").get_json()
    sobel5 = client.get(f"/api/explain?{base}&slot=1").get_json()
    assert len(blur["channels"][0]["weights"]) == 3 and len(sobel5["channels"][0]["weights"]) == 5
    assert (blur["input_x"], sobel5["input_x"]) == (1, 2)  # crop: each kernel's first full window
    expected = filter_image(FACE, sobel("x", 5), Options(edge="crop")).raw[0, 0]
    assert sobel5["channels"][0]["value"] == pytest.approx(float(expected), abs=1e-3)


@pytest.mark.parametrize(
    "query, field, words",
    [
        ("compare=blur|sharpen&slot=2", "slot", ["0 to 1"]),
        ("slot=0", "slot", ["compare list"]),
        ("compare=blur&slot=4", "slot", ["0 to 3"]),
        ("compare=blur&slot=x", "slot", ["whole number"]),
        ("compare=a|b|c|d|e", "compare", ["at most 4"]),
        ("compare=blur|sharpen|box(99)", "compare[2]", ["1 to 63"]),
        ("compare=blur|1,2;3", "compare[1]", ["row 2"]),
    ],
)
def test_compare_refusals(client, query, field, words):
    for route in ("output.png", "convolve", "kernel"):
        refused(client.get(f"/api/{route}?image=face&{query}"), field, *words)


def test_generator_kernels_work_on_every_route(client):
    query = "image=face&kernel=gaussian(7,1.5)"
    assert client.get(f"/api/output.png?{query}").status_code == 200
    assert client.get(f"/api/explain?{query}&x=3&y=3").get_json()["channels"][0]["sum"] > 0
    assert client.get(f"/api/export?{query}&format=numpy").status_code == 200
    refused(client.get("/api/output.png?image=face&kernel=gaussian(7,0)"), "kernel", "more than 0")
    refused(client.get("/api/output.png?image=face&kernel=blur(3)"), "kernel", "unknown generator")
