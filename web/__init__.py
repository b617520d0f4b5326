"""The web half: HTTP routes over the engine, in layers that each import only the ones beneath them.

* ``query`` reads the request: the query string and the forms, parsed and checked, never changed once read;
* ``present`` turns the engine's numbers into words and geometry, with no access to the request;
* ``services`` holds what the routes share: the caches, the request budget, rate limits, the heavy-work threads;
* ``page`` builds the pages and their swappable regions from a read request (``views`` describes them once);
* ``routes`` holds the Flask blueprints: parse → engine → render, and the 4xx answers.
"""
