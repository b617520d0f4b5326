"""The colour panel: one window whose cells hold every channel, and a table of sums. Every number it shows is the
engine's (``/api/explain``), written by the panel's number format."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from web.present.panel import fmt


class ColourPanel(HTMLParser):
    """The texts of a colour panel: each window cell's values, weight and products, and the sums table by row."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[dict[str, list[str]]] = []
        self.sums: list[list[str]] = []
        self._stack: list[str] = []  # the class of each open element
        self._text: list[str] | None = None
        self._hidden = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        self._stack.append(" ".join(classes))
        if "visually-hidden" in classes or "clipped" in classes:
            self._hidden += 1
        if tag == "td" and "ctap" in classes:
            self.cells.append({"in": [], "w": [], "p": []})
        elif tag == "tr" and self._inside("channel-sums"):
            self.sums.append([])
        if tag == "span" and self.cells and set(classes) & {"in", "w", "p"} and self._inside("ctap"):
            self._text = self.cells[-1][next(iter(set(classes) & {"in", "w", "p"}))]
            self._text.append("")
        elif tag in ("th", "td") and self._inside("channel-sums"):
            self._text = self.sums[-1]
            self._text.append("")

    def handle_endtag(self, tag: str) -> None:
        classes = self._stack.pop().split() if self._stack else []
        if "visually-hidden" in classes or "clipped" in classes:
            self._hidden -= 1
        # A cell's text ends with the cell; in the sums table a span inside a cell (the number) does not end it.
        if tag in ("th", "td") or (tag == "span" and not self._inside("channel-sums")):
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None and not self._hidden:
            self._text[-1] += data.strip()

    def _inside(self, name: str) -> bool:
        return any(name in entry.split() for entry in self._stack)


def play_panel(client, query: str) -> str:
    html = client.get(f"/?{query}").data.decode()
    start = html.index('<div id="play-panel">')
    return html[start : html.index('<div id="play-pixel">', start)]


@pytest.mark.parametrize(
    "query",
    [
        "image=astronaut&color=rgb&kernel=sharpen&px=204&py=153",
        "image=astronaut&color=rgb&kernel=sobel-left&edge=wrap&px=0&py=0",
        "image=coffee&color=rgb&kernel=emboss&op=convolve&edge=constant&cval=40&px=599&py=399",
        "image=chelsea&color=rgb&kernel=laplacian-4&edge=kernel-crop&divisor=2&offset=128&px=0&py=5",
        "image=astronaut&color=rgb&kernel=outline&repeat=2&px=10&py=11",
        "image=astronaut&color=rgb&kernel=unsharp-mask-5&display=abs&px=3&py=500",
    ],
)
def test_every_number_of_the_colour_window_is_the_engines(client, query):
    state = query.rsplit("&px=", 1)[0]
    px, py = (int(v.split("=")[1]) for v in query.rsplit("&", 2)[1:])
    api = client.get(f"/api/explain?{state}&x={px}&y={py}").get_json()
    panel = ColourPanel(play_panel(client, query))
    channels = api["channels"]
    assert [c["name"] for c in channels] == ["R", "G", "B"]
    rows, cols = len(channels[0]["weights"]), len(channels[0]["weights"][0])
    assert len(panel.cells) == rows * cols
    for index, cell in enumerate(panel.cells):
        i, j = divmod(index, cols)
        values = [c["window"][i][j] for c in channels]
        if values[0] is None:  # a tap kernel-crop leaves out
            assert cell["in"] == ["—"] * 3 and cell["p"] == ["skipped"] * 3
        else:
            assert cell["in"] == [fmt(v) for v in values]
            assert cell["p"] == [fmt(c["products"][i][j], signed=True) for c in channels]
        assert cell["w"] == ["× " + fmt(channels[0]["weights"][i][j])]
    by_row = {row[0]: row[1:] for row in panel.sums}
    assert by_row[""] == ["Red", "Green", "Blue"]
    assert by_row[f"Sum of the {rows * cols} products"] == [fmt(c["sum"]) for c in channels]
    assert by_row["Stored pixel"] == [str(c["stored"]) for c in channels]
    if "divisor" in query:
        assert by_row["Value"] == [fmt(c["value"]) for c in channels]


def test_a_clipped_channel_is_marked_and_the_stored_colour_shown(client):
    html = play_panel(client, "image=astronaut&color=rgb&kernel=sharpen&px=256&py=256")
    api = client.get("/api/explain?image=astronaut&color=rgb&kernel=sharpen&x=256&y=256").get_json()
    clipped = [c for c in api["channels"] if c["clipped"]]
    assert clipped and html.count('class="clipped"') == len(clipped)
    stored = ",".join(str(c["stored"]) for c in api["channels"])
    assert f"background:rgb({stored})" in html


def test_a_grey_photo_keeps_the_one_channel_panel(client):
    html = play_panel(client, "image=camera&kernel=sharpen&px=5&py=6")
    assert 'class="taps ctaps"' not in html and html.count('class="tap ') == 9


def test_a_kernel_too_big_to_list_still_gives_every_channels_sums(client):
    html = play_panel(client, "image=astronaut&color=rgb&kernel=box-blur-21&px=9&py=9")
    api = client.get("/api/explain?image=astronaut&color=rgb&kernel=box-blur-21&x=9&y=9").get_json()
    panel = ColourPanel(html)
    assert not panel.cells and "441 taps, too many to" in html
    sums = {row[0]: row[1:] for row in panel.sums}
    assert sums["Sum of the 441 products"] == [fmt(c["sum"]) for c in api["channels"]]
