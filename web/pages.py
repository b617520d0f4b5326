"""HTML pages."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.get("/")
def index() -> str:
    return render_template("api.html")


@bp.get("/api/")
def api_index() -> str:
    return render_template("api.html")
