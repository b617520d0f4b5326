"""A region's form fields (``web.page.fields``): written once, and left out of its hash when the browser shows them."""

import re
from pathlib import Path

from jinja2 import Environment

from web.page.fields import name_value, render_hashed

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

ENV = Environment(autoescape=True)
ENV.globals["name_value"] = name_value
CELLS = ENV.from_string(
    '<form><input {{ name_value("a", a) }} size="4"><input type="hidden" {{ name_value("b", b) }}>'
    "<output>{{ note }}</output></form>"
)


def rendered(sent: dict[str, str], **values: object):
    return render_hashed(lambda: CELLS.render(**values), sent)


def test_a_field_outside_a_region_is_written_plainly():
    assert name_value("k-0-1", 'say "1" & <2>') == 'name="k-0-1" value="say &#34;1&#34; &amp; &lt;2&gt;"'
    assert name_value("x", None) == 'name="x" value=""'
    assert name_value("x", 0) == 'name="x" value="0"'


def test_a_region_differing_only_by_typed_values_keeps_its_hash():
    first = rendered({"a": "5", "b": "h"}, a="5", b="h", note="ok")
    typed = rendered({"a": "6", "b": "h"}, a="6", b="h", note="ok")
    assert first.digest == typed.digest
    assert 'name="a" value="6"' in typed.html and 'name="a" value="5"' in first.html


def test_text_the_server_writes_around_a_field_is_part_of_the_hash():
    # The same typed value, but the output beside it says something else: sent again.
    assert rendered({"a": "5"}, a="5", b="h", note="ok").digest != rendered({"a": "5"}, a="5", b="h", note="no").digest


def test_a_value_the_server_changed_is_part_of_the_hash():
    shown = rendered({"a": "5", "b": "h"}, a="5", b="h", note="ok")
    changed = rendered({"a": "5", "b": "h"}, a="5", b="g", note="ok")  # the server wrote g where h was sent
    assert shown.digest != changed.digest and 'name="b" value="g"' in changed.html


def test_values_are_put_back_escaped_and_in_their_own_places():
    template = ENV.from_string(
        '{% set later %}<input {{ name_value("b", b) }}>{% endset %}<input {{ name_value("a", a) }}>{{ later }}'
    )
    sent = {"a": 'x"<&>', "b": "\x00:0\x00"}  # a person may send anything, markers included
    out = render_hashed(lambda: template.render(a=sent["a"], b=sent["b"]), sent)
    assert out.html == '<input name="a" value="x&#34;&lt;&amp;&gt;"><input name="b" value="\x00:0\x00">'


def test_the_pages_leave_no_placeholder_behind(client):
    for address in ("/?kernel=sharpen&x=3&y=4", "/embed?view=playground&px=2", "/?kernel=emboss&lsize=64"):
        page = client.get(address).get_data(as_text=True)
        assert "\x00" not in page
        assert re.search(r'name="(?:x|px|k-1-1)" value="\d*"', page), address
    answer = client.get("/fragment?kernel=sharpen&x=3&y=4&k-1-1=5").get_data(as_text=True)
    assert "\x00" not in answer


def test_every_form_field_of_the_partials_is_written_by_name_value():
    # Fields whose value is written in the tag; a field written otherwise would be sent again after each keystroke.
    written = re.compile(r'<input\b[^>]*\sname="[^"]*"[^>]*\svalue="\{\{', re.S)
    for path in TEMPLATES.rglob("*.html"):
        assert not written.search(path.read_text()), path.name
