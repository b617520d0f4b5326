"""Which kernel made this, and find the kernel, on the server: no kernel the learner is asked about is in a
page, a fragment, a picture's address or a header before the answer, and the answer names and explains it;
question codes cannot be forged and mean the same on every instance with the same secret; bad quiz values get a
400 that says the rule; the share panel embeds each view with its own quiz."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
import pytest

from app import create_app
from kernels.library.kernel_text import format_for_people
from kernels.library.presets import load_presets
from kernels.teaching.display import render
from tests.pages_support import decoded, partial_targets, tags

# ``app`` is the quiz's app fixture (a known question secret), in place of tests/conftest.py's.
from tests.web.quiz_support import (
    SECRET,
    app,  # noqa: F401
    fields_of,
    found,
    headers_text,
    region,
)
from web.page.quiz_states import hidden_preset, which_for
from web.present.quiz_questions import TELLS, family_of
from web.services.quiz_token import _file_secret

PRESETS = load_presets()


# ---- which kernel made this ----


def question_of(html: str) -> str:
    return fields_of(html)["question"]


def names_and_weights(name: str) -> set[str]:
    preset = PRESETS[name]
    return {preset.name, preset.title, preset.kernel_text, ";".join(",".join(row) for row in preset.rows_text)}


def page_url(html: str) -> str:
    return tags(html).by_id("page-url")["data-url"]


def urls_in(html: str) -> str:
    """Every address in ``html`` (the pictures', the links', the page's own)."""
    return "\n".join(re.findall(r'(?:src|href|data-url|data-api-src|data-picture)="([^"]*)"', html))


OWN = "&kernel=0,0,0;0,2,0;0,0,0"
"""The page's own kernel, which no question asks about (a question's kernels must not show up in its links)."""


@pytest.mark.parametrize("path", ["/embed?view=quiz", "/embed?view=quiz&quiz=which", "/?quiz=which"])
@pytest.mark.parametrize("attempt", range(4))
def test_which_names_no_kernel_before_the_pick(client, path, attempt):
    page = client.get(path + OWN)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    token = question_of(html)
    question = which_for(PRESETS, SECRET.encode(), token)
    secret_words = set().union(*(names_and_weights(n) for n in question.choices))
    quiz_region = html.split('<div id="quiz">', 1)[1].split('<div id="form-meta">', 1)[0]
    quiz_region = quiz_region.split('<section id="inspect"')[0]  # on the full page, the quiz section alone
    # The full page's own menus and links name every preset (the compare snippet suggests four): what matters is
    # the quiz's section, the pictures' addresses and the page's own address; the frame is searched whole.
    looked_at = quiz_region + urls_in(quiz_region) + page_url(html) + headers_text(page)
    if "embed" in path:
        looked_at = html + headers_text(page)
    assert {w for w in secret_words if w in looked_at} == set()
    assert "made-it" not in quiz_region and "quiz-verdict" not in quiz_region
    output = tags(html).by_id("quiz-output")["src"]
    assert output == f"/quiz/which.png?question={token}"
    picture = client.get(output)
    assert picture.status_code == 200 and not found(headers_text(picture), secret_words)

    fragment = client.get("/fragment?" + urlencode(fields_of(html) | ({"view": "quiz"} if "embed" in path else {})))
    text = fragment.get_data(as_text=True)
    looked_at = text if "embed" in path else region(text, "quiz") if "quiz" in partial_targets(text) else ""
    looked_at += headers_text(fragment)
    assert {w for w in secret_words if w in looked_at} == set()


@pytest.mark.parametrize("right", [True, False])
def test_which_says_right_or_wrong_and_explains(client, right):
    html = client.get("/embed?view=quiz").get_data(as_text=True)
    token = question_of(html)
    question = which_for(PRESETS, SECRET.encode(), token)
    answer = PRESETS[question.choices[question.answer]]
    pick = question.answer if right else (question.answer + 1) % 4
    fields = fields_of(html) | {"view": "quiz", "pick": "ABCD"[pick]}
    answered = client.get("/fragment?" + urlencode(fields))
    text = unescape(region(answered.get_data(as_text=True), "quiz"))
    made = f"kernel {'ABCD'[question.answer]}, {answer.title}, made this picture."
    if right:
        assert f"Right: {made}" in text
    else:
        assert f"Not this time: you picked {'ABCD'[pick]}, {PRESETS[question.choices[pick]].title}; {made}" in text
    assert answer.text in text and TELLS[family_of(answer.name)] in text
    for name in question.choices:  # every kernel named, and the other three's outputs shown
        assert PRESETS[name].title in text
    others = re.findall(r'class="quiz-other" src="([^"]+)"', text)
    assert len(others) == 3 and all("kernel=" in src for src in others)
    assert f"pick={'ABCD'[pick]}" in answered.headers["X-Page-Url"]


def test_which_shows_the_answers_output(client):
    html = client.get("/embed?view=quiz").get_data(as_text=True)
    token = question_of(html)
    question = which_for(PRESETS, SECRET.encode(), token)
    shown = client.get(f"/quiz/which.png?question={token}")
    query = {"image": question.image, "kernel": question.choices[question.answer], "size": "192"}
    assert shown.data == client.get("/api/preview/output?" + urlencode(query)).data


def test_which_without_javascript_and_the_next_question(client):
    html = client.get("/?quiz=which").get_data(as_text=True)
    fields = fields_of(html)
    sent = client.get("/?" + urlencode(fields | {"pick": "C"}))
    assert sent.status_code == 303
    query = parse_qs(urlsplit(sent.headers["Location"]).query)
    assert query["pick"] == ["C"] and query["question"] == [fields["question"]]
    shown = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "quiz-verdict" in shown and fields_of(shown)["pick"] == "C"
    nxt = client.get("/?" + urlencode(fields_of(shown) | {"next": "1"}))
    query = parse_qs(urlsplit(nxt.headers["Location"]).query)
    assert query["question"] != [fields["question"]] and "pick" not in query and "next" not in query


# ---- question codes ----


def test_question_codes_cannot_be_forged(client):
    token = question_of(client.get("/embed?view=quiz").get_data(as_text=True))
    seed, mac = token.split("-")
    flip = {"0": "1"}
    for forged in (f"{seed[:-1]}{flip.get(seed[-1], '0')}-{mac}", f"{seed}-{mac[:-1]}{flip.get(mac[-1], '0')}"):
        page = client.get(f"/embed?view=quiz&question={forged}&pick=A")
        assert page.status_code == 400
        text = page.get_data(as_text=True)
        assert "question: was not made by this server" in text and "quiz-verdict" not in text
        assert client.get(f"/quiz/which.png?question={forged}").status_code == 400
        assert client.get(f"/quiz/target.png?question={forged}").status_code == 400
    find_token = question_of(client.get("/?quiz=find").get_data(as_text=True))
    assert client.get(f"/quiz/which.png?question={find_token}").status_code == 400  # made for the other quiz
    assert client.get(f"/embed?view=quiz&question={token.upper()}").status_code == 400


def test_the_same_code_asks_the_same_question_on_another_instance(client, tmp_path):
    html = client.get("/embed?view=quiz").get_data(as_text=True)
    token = question_of(html)
    other = create_app({"TESTING": True, "UPLOAD_FOLDER": str(tmp_path / "other"), "SECRET_KEY": SECRET}).test_client()
    for pick in "ABCD":
        here = client.get(f"/embed?view=quiz&question={token}&pick={pick}").get_data(as_text=True)
        there = other.get(f"/embed?view=quiz&question={token}&pick={pick}").get_data(as_text=True)
        assert region_of_page(here) == region_of_page(there)
    assert client.get(f"/quiz/which.png?question={token}").data == other.get(f"/quiz/which.png?question={token}").data
    stranger = create_app({"TESTING": True, "UPLOAD_FOLDER": str(tmp_path / "x"), "SECRET_KEY": "another"})
    assert stranger.test_client().get(f"/quiz/which.png?question={token}").status_code == 400


def region_of_page(html: str) -> str:
    return html.split('<div id="quiz">', 1)[1].split("</fieldset>", 1)[0]


def test_without_a_configured_secret_the_workers_share_one_file(tmp_path):
    path = tmp_path / "instance" / "quiz-secret"
    first = _file_secret(path)
    assert len(first) == 64 and _file_secret(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


# ---- find the kernel ----


def find_page(client, view: bool = False) -> tuple[str, str]:
    html = client.get(("/embed?view=quiz&quiz=find" if view else "/?quiz=find") + OWN).get_data(as_text=True)
    return html, question_of(html)


def test_find_hides_the_kernel_until_the_output_matches(client):
    html, token = find_page(client)
    hidden = hidden_preset(PRESETS, SECRET.encode(), token)
    secret_words = names_and_weights(hidden.name)
    quiz_region = html.split('<div id="quiz">', 1)[1].split('<section id="inspect"', 1)[0]
    assert {w for w in secret_words if w in quiz_region + urls_in(quiz_region) + page_url(html)} == set()
    fields = fields_of(html)
    wrong = next(n for n in ("outline", "blur", "sharpen") if n != hidden.name)
    for kernel, solved in ((wrong, False), (hidden.name, True)):
        answer = client.get("/fragment?" + urlencode(fields | {"preset": kernel}))
        assert answer.status_code == 200
        text = unescape(region(answer.get_data(as_text=True), "quiz"))
        assert ("solved!" in text) == solved
        assert (f"The hidden kernel is {hidden.title}." in text) == solved
        if not solved:
            assert {w for w in secret_words if w in text + answer.headers["X-Page-Url"]} == set()
    assert hidden.text in text


def test_find_scores_the_difference_and_draws_it(client):
    html, token = find_page(client, view=True)
    text = html.split('<div id="quiz">', 1)[1]
    hidden = hidden_preset(PRESETS, SECRET.encode(), token)
    face = {"image": "face", "kernel": OWN.split("=", 1)[1]}
    yours = decoded(client.get("/api/output.png?" + urlencode(face)).data).astype(float)
    target = decoded(client.get("/api/output.png?" + urlencode(face | {"kernel": hidden.name})).data).astype(float)
    mean = np.abs(yours - target).mean()
    assert f'Mean difference <strong class="num">{format_for_people(round(mean, 2))}</strong>' in text
    target_src = tags(text).elements[[e.get("alt", "").startswith("Target") for e in tags(text).elements].index(True)]
    np.testing.assert_array_equal(decoded(client.get(target_src["src"]).data), target)
    diff_src = re.search(r'src="(/quiz/difference\.png\?[^"]+)"', text)[1].replace("&amp;", "&")
    np.testing.assert_array_equal(decoded(client.get(diff_src).data), render(yours - target, "signed"))
    assert "kernel=" not in target_src["src"]


def test_find_says_why_outputs_of_two_sizes_cannot_be_compared_on_the_page_and_in_the_picture(client):
    _, token = find_page(client)
    crop = {"quiz": "find", "question": token, "kernel": "1,1,1,1,1;1,1,1,1,1;1,1,1,1,1", "edge": "crop"}
    page = unescape(client.get("/?" + urlencode(crop)).get_data(as_text=True))
    advice = "they can only be compared at the same size. Use a 3×3 kernel (or another edge mode than crop)"
    assert f"Your output is 28×30 pixels and the target 30×30: {advice}." in page  # a 3×5 kernel, cropped
    answer = client.get("/quiz/difference.png?" + urlencode({k: v for k, v in crop.items() if k != "quiz"}))
    assert answer.status_code == 400 and advice in unescape(answer.get_data(as_text=True))


# ---- refusals ----


@pytest.mark.parametrize(
    ("query", "field", "rule"),
    [
        ("quiz=maybe", "quiz", "quiz: must be one of guess, which, find (received 'maybe')"),
        ("quiz=which&pick=E", "pick", "pick: must be one of A, B, C, D (received 'E')"),
        ("quiz=guess&guess=lots", "guess", "guess: must be a decimal like 1.5, -2 or 1e-3"),
        ("quiz=guess&guessed=here", "guessed", "guessed: must be the pixel x,y the guess was typed for"),
        ("quiz=which&question=1234", "question", "question: must be a question's code as the page wrote it"),
        ("pick=A", "pick", "pick: only goes with quiz=which (received 'A')"),
        ("quiz=which&guess=3", "guess", "guess: only goes with quiz=guess"),
        ("view=playground&quiz=guess", "quiz", "quiz: guess is asked on / and view=inspect"),
        ("view=inspect&quiz=find", "quiz", "quiz: guess is asked on / and view=inspect, which and find on / and"),
    ],
)
def test_bad_quiz_values_are_refused_with_the_rule_and_the_rest_kept(client, query, field, rule):
    path = "/embed?" if "view=" in query else "/?"
    page = client.get(path + query + "&kernel=blur&edge=wrap")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert rule in html.replace("&#39;", "'")
    assert 'value="blur" selected' in html and 'value="wrap" selected' in html


def test_the_share_panel_embeds_each_view_with_its_own_quiz(client):
    html = client.get("/?quiz=which").get_data(as_text=True)
    snippets = {e["id"]: e for e in tags(html).elements if e.get("id", "").startswith("embed-")}
    assert "embed-quiz" in snippets
    text = html.replace("&amp;", "&")
    assert re.search(r"quiz=which&(amp;)?view=quiz", text)
    assert "question=" not in html.split('id="embed-quiz"', 1)[1].split("</textarea>", 1)[0]
    guess = client.get("/?quiz=guess").get_data(as_text=True).replace("&amp;", "&")
    inspect_snippet = guess.split('id="embed-inspect"', 1)[1].split("</textarea>", 1)[0]
    assert "quiz=guess" in inspect_snippet and "guess=" not in inspect_snippet.replace("quiz=guess", "")
