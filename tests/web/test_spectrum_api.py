"""/api/spectrum and /api/spectrum.png over HTTP against NumPy's FFT, their refusals, and the page's
"Frequencies" region (rendered with the kernel regions, skipped while its panel is closed)."""

from __future__ import annotations

import io
import time
from urllib.parse import quote

import numpy as np
import pytest
from PIL import Image

from kernels.library.generators import gaussian, motion
from kernels.library.presets import load_presets
from kernels.teaching.spectrum_picture import colour_hex
from tests.pages_support import partial_targets, tags

PRESETS = load_presets()


def by_hand(kernel: np.ndarray, *, op="correlate", normalize=False, divisor=1.0, dilation=(1, 1)) -> np.ndarray:
    """The taps the engine multiplies, spelled out: normalise, rotate for convolution, divide, dilate."""
    w = np.array(kernel, dtype=np.float64)
    if normalize and w.sum() != 0:
        w = w / w.sum()
    if op == "convolve":
        w = w[::-1, ::-1]
    w = w / divisor
    spread = np.zeros(((w.shape[0] - 1) * dilation[0] + 1, (w.shape[1] - 1) * dilation[1] + 1))
    spread[:: dilation[0], :: dilation[1]] = w
    return spread


def fft_magnitude(taps: np.ndarray, n: int) -> np.ndarray:
    return np.abs(np.fft.fftshift(np.fft.fft2(taps, (n, n))))


def answer(client, query: str) -> dict:
    response = client.get(f"/api/spectrum?{query}")
    assert response.status_code == 200, response.data[:300]
    return response.get_json()


def assert_is_fft(body: dict, taps: np.ndarray) -> None:
    n = body["n"]
    magnitude = np.array(body["magnitude"])
    expected = fft_magnitude(taps, n)
    assert magnitude.shape == (n, n)
    np.testing.assert_allclose(magnitude, expected, rtol=1e-9, atol=1e-12 * max(1.0, float(np.abs(taps).sum())))
    assert body["zero_at"] == [n // 2, n // 2]
    assert body["frequencies"] == np.fft.fftshift(np.fft.fftfreq(n)).tolist()
    assert body["cuts"]["x"] == body["magnitude"][n // 2]
    assert body["cuts"]["y"] == [row[n // 2] for row in body["magnitude"]]
    assert body["dc_gain"] == pytest.approx(abs(taps.sum()), abs=1e-12)
    assert body["max"] == pytest.approx(expected.max()) and body["min"] == pytest.approx(expected.min(), abs=1e-12)


@pytest.mark.parametrize("name", list(PRESETS))
@pytest.mark.parametrize(
    "options, changes",
    [
        ("", {}),
        ("&op=convolve", {"op": "convolve"}),
        ("&normalize=1", {"normalize": True}),
        ("&divisor=-4", {"divisor": -4.0}),
        ("&dilation=2,3&n=128", {"dilation": (2, 3)}),
        (
            "&op=convolve&normalize=1&divisor=0.5&dilation=2&n=256",
            {"op": "convolve", "normalize": True, "divisor": 0.5, "dilation": (2, 2)},
        ),
    ],
    ids=["plain", "convolve", "normalize", "divisor", "dilation", "all"],
)
def test_presets_against_numpys_fft(client, name, options, changes):
    kernel = PRESETS[name].weights
    body = answer(client, f"kernel={name}{options}")
    assert_is_fft(body, by_hand(kernel, **changes))
    assert body["kernel"] == name and body["n"] == (64 if "&n=" not in options else int(options.split("&n=")[1]))


@pytest.mark.parametrize(
    "text, weights",
    [
        ("1,2;3,4.5", np.array([[1, 2], [3, 4.5]])),
        ("1/16,1/8,1/16;1/8,1/4,1/8;1/16,1/8,1/16", PRESETS["blur"].weights),
        ("0,0,0,0,1", np.array([[0, 0, 0, 0, 1.0]])),
        ("-2;0;2", np.array([[-2.0], [0], [2]])),
        ("gaussian(7,1.5)", gaussian(7, 1.5)),
        ("motion(9,30)", motion(9, 30)),
    ],
)
@pytest.mark.parametrize("n", [8, 16, 64])
def test_typed_kernels_against_numpys_fft(client, text, weights, n):
    if max(weights.shape) > n:
        return
    assert_is_fft(answer(client, f"kernel={quote(text)}&n={n}"), by_hand(weights))
    assert_is_fft(
        answer(client, f"kernel={quote(text)}&n={n}&op=convolve&divisor=3"),
        by_hand(weights, op="convolve", divisor=3.0),
    )


def test_changed_cells_and_grid_cells(client):
    cells = gaussian(5, 1.0).copy()
    cells[2, 2] = 0.5
    assert_is_fft(answer(client, "kernel=" + quote("gaussian(5,1) r3c3=1/2")), by_hand(cells))
    grid = "&".join(f"k-{r}-{c}={v}" for r, row in enumerate([[1, 0], [0, -1]]) for c, v in enumerate(row))
    assert_is_fft(answer(client, grid), by_hand(np.array([[1.0, 0], [0, -1]])))


def test_options_that_leave_the_weights_alone_leave_the_gains_alone(client):
    plain = answer(client, "kernel=emboss")
    for query in (
        "origin=0,0",
        "edge=wrap",
        "edge=kernel-crop",
        "offset=128",
        "stride=3",
        "repeat=4",
        "color=rgb",
        "display=abs",
        "size=64",
        "image=camera",
        "edge=constant&cval=9",
    ):
        assert answer(client, f"kernel=emboss&{query}")["magnitude"] == plain["magnitude"], query


def test_stride_repeat_and_the_summary(client):
    strided = answer(client, "kernel=box-blur-3&stride=2")
    magnitude, f = np.array(strided["magnitude"]), np.abs(np.array(strided["frequencies"]))
    outside = (f[:, None] > 0.25) | (f[None, :] > 0.25)
    assert strided["stride"] == [2, 2] and strided["aliased_gain"] == pytest.approx(magnitude[outside].max())
    assert answer(client, "kernel=box-blur-3")["aliased_gain"] == 0
    assert any("aliasing" in text for text in strided["summary"])
    assert any("raised to the power 3" in text for text in answer(client, "kernel=blur&repeat=3")["summary"])
    box = answer(client, "kernel=box-blur-3")
    assert box["kind"] == "low-pass" and {lobe["ray"] for lobe in box["side_lobes"]} >= {"x", "y"}
    assert "ripples" in " ".join(box["summary"])
    ones = answer(client, "kernel=1,1,1;1,1,1;1,1,1")
    assert ones["dc_gain"] == 9 and "Normalise would divide the weights by 9" in " ".join(ones["summary"])
    assert answer(client, "kernel=1,1,1;1,1,1;1,1,1&normalize=1")["dc_gain"] == pytest.approx(1)
    sobel = answer(client, "kernel=sobel-left")
    assert sobel["directional"] and sobel["direction"] == 0 and sobel["kind"] == "band-pass"
    assert sobel["peak"] == {"gain": 8.0, "fx": 0.25, "fy": 0.0}
    sharpen = answer(client, "kernel=sharpen")
    assert sharpen["kind"] == "high-boost" and "sharpens" in sharpen["summary"][0]


def test_slot_and_combine_pick_one_kernel(client):
    slot = answer(client, "kernel=blur&compare=sharpen|sobel-top&slot=1")
    assert_is_fft(slot, by_hand(PRESETS["sobel-top"].weights))
    combined = answer(client, "kernel=sobel-left&combine=magnitude")
    assert_is_fft(combined, by_hand(PRESETS["sobel-left"].weights))
    assert any("Gx" in text for text in combined["summary"])


def refused(response, field: str, *words: str, status: int = 400) -> None:
    assert response.status_code == status, response.data[:300]
    body = response.get_json()
    assert set(body) == {"error", "field"} and body["field"] == field
    for word in words:
        assert word in body["error"], body["error"]


@pytest.mark.parametrize("route", ["/api/spectrum", "/api/spectrum.png"])
@pytest.mark.parametrize("n", ["7", "512", "abc", "0", "-8", "64.0", "1e2", "100"])
def test_bad_n_is_refused_with_the_rule(client, route, n):
    refused(client.get(f"{route}?kernel=blur&n={n}"), "n", "power of two from 8 to 256", "8, 16, 32, 64, 128, 256")


@pytest.mark.parametrize("route", ["/api/spectrum", "/api/spectrum.png"])
def test_other_refusals(client, route):
    refused(client.get(f"{route}?kernel=blur&m=64"), "m", "not a known parameter")
    refused(client.get(f"{route}?kernel=nope"), "kernel")
    refused(client.get(f"{route}?kernel=blur&divisor=0"), "divisor")
    refused(client.get(f"{route}?kernel=box(33)&dilation=2"), "n", "65×65", "n=128")
    refused(client.get(f"{route}?kernel=box(15)&n=8"), "n", "15×15", "n=16")
    refused(client.get(f"{route}?kernel=box(31)&dilation=9&n=256"), "dilation", "271×271", "turn down the dilation")
    refused(client.get(f"{route}?kernel=blur&slot=0"), "slot", "compare")
    assert client.get(f"{route}?kernel=box(63)").status_code == 200  # as large as the default grid


def test_the_largest_request_is_cheap(client):
    """The work is bounded by the largest grid (256 × 256, one FFT), so no budget applies: even the largest
    kernel on the largest grid answers at once."""
    start = time.perf_counter()
    body = answer(client, "kernel=box(63)&dilation=4&n=256")
    assert time.perf_counter() - start < 1.5
    assert len(body["magnitude"]) == 256


def test_png_colours_cache_and_validators(client):
    response = client.get("/api/spectrum.png?kernel=box-blur-3")
    assert response.status_code == 200 and response.mimetype == "image/png"
    picture = np.asarray(Image.open(io.BytesIO(response.data)).convert("RGB"))
    assert picture.shape == (65, 65, 3)
    assert "#{:02x}{:02x}{:02x}".format(*picture[32, 32]) == colour_hex(1.0)  # zero frequency: gain 1
    corner = answer(client, "kernel=box-blur-3")["corner_gain"]
    assert "#{:02x}{:02x}{:02x}".format(*picture[0, 0]) == colour_hex(corner)
    etag = response.headers["ETag"]
    assert not etag.startswith("W/") and "max-age" in response.headers["Cache-Control"]
    again = client.get("/api/spectrum.png?kernel=box-blur-3", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    # The validator follows the taps, not their spelling or the options that do not change them.
    same = client.get("/api/spectrum.png?kernel=" + quote("1/9,1/9,1/9;1/9,1/9,1/9;1/9,1/9,1/9") + "&edge=wrap")
    assert same.headers["ETag"] == etag
    assert client.get("/api/spectrum.png?kernel=box-blur-3&divisor=2").headers["ETag"] != etag
    assert client.get("/api/spectrum.png?kernel=box-blur-3&n=32").headers["ETag"] != etag
    assert np.asarray(Image.open(io.BytesIO(client.get("/api/spectrum.png?kernel=blur&n=8").data))).shape[:2] == (9, 9)


@pytest.mark.parametrize("path", ["/", "/embed?view=inspect", "/embed?view=playground", "/embed?view=camera"])
def test_the_region_is_on_every_page_with_the_kernel(client, path):
    page = client.get(path + ("&" if "?" in path else "?") + "kernel=sobel-left&stride=2").data.decode()
    found = tags(page)
    panel = found.by_id("spectrum-panel")
    assert panel["data-hides"] == "kernel-spectrum" and ("open" in panel.attrs) == (path == "/")
    image = found.by_id("spectrum-map")
    assert image["src"] == "/api/spectrum.png?kernel=sobel-left" and image["width"] == "65"
    assert "Heat map of the gain" in image["alt"] and "at the centre" in image["alt"]
    assert client.get(image["src"]).status_code == 200
    for chart in ("spectrum-cut-x", "spectrum-cut-y"):
        assert found.by_id(f"{chart}-title") and found.by_id(f"{chart}-desc")
    assert "It depends on direction" in page and "the dashed box" in page


def test_the_fragment_sends_the_region_after_an_edit_and_skips_it_while_closed(client):
    page = tags(client.get("/?kernel=blur").data).by_id("region-hashes")["data-hashes"]
    assert "kernel-spectrum:" in page
    edited = client.get("/fragment?kernel=sharpen", headers={"X-Regions": page}).data.decode()
    assert "kernel-spectrum" in partial_targets(edited) and "lifts finer detail" in edited
    same = client.get("/fragment?kernel=blur&edge=wrap", headers={"X-Regions": page}).data.decode()
    assert "kernel-spectrum" not in partial_targets(same)  # edges change no gain: nothing to send
    closed = ",".join(p if not p.startswith("kernel-spectrum:") else "kernel-spectrum:-" for p in page.split(","))
    skipped = client.get("/fragment?kernel=sharpen", headers={"X-Regions": closed}).data.decode()
    assert "kernel-spectrum" not in partial_targets(skipped) and "spectrum-map" not in skipped
    pointing = client.get("/fragment?kernel=blur&px=3&py=3&part=play", headers={"X-Regions": page}).data.decode()
    assert "kernel-spectrum" not in partial_targets(pointing)


def test_a_dilation_too_wide_for_the_map_is_said_on_the_page(client):
    page = client.get("/?kernel=box(31)&dilation=9").data.decode()
    assert "more than the map can show" in page and 'id="spectrum-map"' not in page


@pytest.mark.parametrize(
    "query, words",
    [
        ("kernel=identity", ["Every frequency passes with gain 1"]),
        ("kernel=identity&divisor=-2", ["the same gain, 0.5, sign flipped", "divided the weights by −2"]),
        ("kernel=0,0;0,0", ["nothing gets through"]),
        ("kernel=blur", ["A low-pass filter", "0 for a checkerboard"]),
        ("kernel=laplacian-4", ["A high-pass filter", "up to 8 at (0.5, 0.5)"]),
        ("kernel=laplacian-4&normalize=1", ["Normalise leaves a kernel that sums to 0 alone"]),
        (
            "kernel=sobel-top",
            [
                "A band-pass filter",
                "responds most to changes from top to bottom (up to 8)",
                "ignores changes from left to right",
            ],
        ),
        ("kernel=" + quote("motion(9,0)"), ["keeps changes from top to bottom", "smooths changes from left to right"]),
        ("kernel=emboss&op=convolve&origin=0,0", ["Turning the kernel 180° (convolution) and moving the origin"]),
        ("kernel=box-blur-3&dilation=2", ["Dilation 2 spreads the taps 2 pixels apart", "period of 2 pixels"]),
        ("kernel=box-blur-3&dilation=1,3", ["3 pixels apart across", "repeats 3 times across"]),
        ("kernel=blur&stride=1,2", ["keeps one pixel in 2 (every row, every 2nd column)", "0.5 cycles per pixel down"]),
        ("kernel=" + quote("gaussian(9,2)") + "&stride=2", ["little of that here"]),
        ("kernel=box(9)&stride=2", ["some of that here", "a wider or smoother blur"]),
        ("kernel=sharpen&stride=2", ["much of that here", "A blur before the stride"]),
        ("kernel=sobel-left&combine=direction", ["first kernel (Gx) alone"]),
    ],
)
def test_the_summary_says_what_the_numbers_show(client, query, words):
    text = " ".join(answer(client, query)["summary"])
    for word in words:
        assert word in text, text
    assert not any(f" -{d}" in text for d in "0123456789")  # numbers are written with a real minus sign
