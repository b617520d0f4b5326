"""The Flask blueprints: the pages and their htmx answers, the JSON and PNG API, camera frames, the quiz's and the
layer's routes, and the error answers."""
