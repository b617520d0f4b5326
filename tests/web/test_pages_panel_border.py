"""The window at the image border: the column and row heads past it say where their taps read from, under every
edge mode, and each made-up value still tells screen readers where it came from. The places named are the
engine's (``/api/explain``'s ``sources``)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest


class WindowTable(HTMLParser):
    """The first window table of the section-2 panel: its heads (text, note) and its cells' visible and hidden
    texts."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.col_heads: list[list[str]] = []
        self.row_heads: list[list[str]] = []
        self.cells: list[list[dict[str, str]]] = []
        self._stack: list[set[str]] = []
        self._into: list[str] | None = None
        self._cell: dict[str, str] | None = None
        self._done = False
        self.feed(html[html.index('id="explain"') :])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self._stack.append(classes | {tag})
        if tag == "tr" and self._inside("tbody"):
            self.cells.append([])
        elif tag == "th":
            heads = self.row_heads if self._inside("tbody") else self.col_heads
            heads.append(["", ""])
            self._into = heads[-1]
        elif tag == "td" and self._inside("tbody"):
            self._cell = {"shown": "", "hidden": "", "padded": "padded" in classes}
            self.cells[-1].append(self._cell)

    def handle_endtag(self, tag: str) -> None:
        if self._done:
            return
        self._stack.pop()
        if tag == "th":
            self._into = None
        elif tag == "td":
            self._cell = None
        elif tag == "table":
            self._done = True

    def handle_data(self, data: str) -> None:
        if self._done or not data.strip():
            return
        if self._into is not None:
            self._into[1 if self._inside("src") else 0] += data.strip()
        elif self._cell is not None:
            self._cell["hidden" if self._inside("visually-hidden") else "shown"] += data.strip() + " "

    def _inside(self, name: str) -> bool:
        return any(name in entry for entry in self._stack)


def window(client, query: str) -> tuple[WindowTable, dict]:
    page = client.get(f"/?{query}")
    assert page.status_code == 200
    api = client.get(f"/api/explain?image=face&{query}").get_json()["channels"][0]
    return WindowTable(page.data.decode()), api


@pytest.mark.parametrize("edge", ["extend", "wrap", "mirror", "symmetric"])
@pytest.mark.parametrize(
    "kernel, x, y",
    [("sharpen", 0, 0), ("sharpen", 31, 31), ("gaussian(5,1)", 1, 30), ("1,2,1", 0, 5), ("1;2;1", 4, 31)],
)
def test_the_heads_past_the_border_name_the_column_and_row_every_tap_reads(client, edge, kernel, x, y):
    table, api = window(client, f"kernel={kernel}&edge={edge}&x={x}&y={y}")
    rows, cols = len(api["window"]), len(api["window"][0])
    assert (len(table.row_heads), len(table.col_heads), len(table.cells)) == (rows, cols, rows)
    for j, (text, note) in enumerate(table.col_heads):
        sources = {api["sources"][i][j][1] for i in range(rows)}
        assert len(sources) == 1
        source = sources.pop()  # past the border, the head says where the column reads from
        assert note == ("" if text == f"x {source}" else f"from x {source}"), (text, note)
    for i, (text, note) in enumerate(table.row_heads):
        sources = {api["sources"][i][j][0] for j in range(cols)}
        assert len(sources) == 1
        source = sources.pop()
        assert note == ("" if text == f"y {source}" else f"from y {source}"), (text, note)
    padded = [cell for row in table.cells for cell in row if cell["padded"]]
    assert padded, "a border pixel has padded taps"
    for cell in padded:  # shown once in the heads; each cell keeps its words for screen readers
        assert "from" not in cell["shown"]
        assert cell["hidden"].startswith("outside the image:")


def test_a_constant_border_says_fill_with_its_value(client):
    table, api = window(client, "kernel=sharpen&edge=constant&cval=7&x=31&y=0")
    assert table.col_heads[2][1] == "fill 7"
    assert table.row_heads[0][1] == "fill 7"
    assert api["window"][0][0] == 7 and api["sources"][0][0] is None
    assert [head[1] for head in table.col_heads[:2]] == ["", ""]


def test_kernel_crop_says_its_taps_past_the_border_are_left_out(client):
    table, api = window(client, "kernel=sharpen&edge=kernel-crop&x=31&y=31")
    assert table.col_heads[2][1] == "left out" and table.row_heads[2][1] == "left out"
    assert api["window"][2][2] is None
    assert "skipped" in table.cells[2][2]["shown"]


def test_a_pixel_inside_has_no_notes(client):
    table, _ = window(client, "kernel=sharpen&edge=mirror&x=10&y=10")
    assert all(note == "" for _, note in table.col_heads + table.row_heads)
    assert not any(cell["padded"] or cell["hidden"] for row in table.cells for cell in row)
