"""A shared link is rendered once: the page of a permalink naming only samples or drawings, and no quiz, is kept."""

import io

import numpy as np
from PIL import Image

import web.routes.pages as pages


def counting(monkeypatch):
    made = []
    real = pages.plan_page

    def plan_page(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pages, "plan_page", plan_page)
    return made


def test_a_shared_link_is_rendered_once_and_answered_the_same(client, monkeypatch):
    made = counting(monkeypatch)
    link = "/?image=astronaut&color=rgb&kernel=0,-1,0;-1,5,-1;0,-1,0"
    first, second = client.get(link), client.get(link)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert len(made) == 1
    client.get("/embed?view=playground&image=astronaut&kernel=blur")
    client.get("/embed?view=playground&image=astronaut&kernel=blur")
    assert len(made) == 2


def test_a_refused_link_is_kept_with_its_message(client, monkeypatch):
    made = counting(monkeypatch)
    for _ in range(2):
        answer = client.get("/?image=astronaut&kernel=1,2;3")
        assert answer.status_code == 400
    assert len(made) == 1


def test_uploads_quizzes_and_form_submissions_are_rendered_every_time(client, monkeypatch):
    buffer = io.BytesIO()
    Image.fromarray(np.full((40, 40, 3), 90, dtype=np.uint8)).save(buffer, "PNG")
    image_id = client.post("/api/images", data={"file": (io.BytesIO(buffer.getvalue()), "p.png")}).get_json()["id"]
    made = counting(monkeypatch)
    for link in (f"/?image={image_id}", "/?quiz=which", "/?kernel=blur&rows=3&cols=3", "/?k-0-0=1"):
        client.get(link)
        client.get(link)
    assert len(made) == 8
