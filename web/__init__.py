"""The web layer: query-string state, routes and error pages. Thin: parse → engine → render."""
