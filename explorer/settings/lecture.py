"""Settings of the Lecture page (explorer/pages/lecture.py)."""
from explorer.settings.declare import choice, settings

VIEWS = {"lecture": "The lecture", "mine": "My deck", "open": "Open a deck"}


@settings(page="lecture", prefix="lec")
class Settings:
    view: str = choice("lecture", VIEWS)    # which part of the page is shown: URL key lec_view
