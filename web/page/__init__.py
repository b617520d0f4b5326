"""Building the pages: from a read request to the context the templates show, region by region; ``views`` is the
one description of the views and their regions."""
