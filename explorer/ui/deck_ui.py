"""The teacher's deck in the browser session: *Add this view to my deck* on every page, and the
editor on the Lecture page (reorder, edit, download, upload, share as one link).

The deck is kept in ``st.session_state`` (one list of steps per browser tab); nothing is stored on
the server beyond the session, nothing is sent anywhere.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import streamlit as st

from explorer.lecture import deck as decks, registry
from explorer.lecture.deck import Deck, Step
from explorer.ui.url_state import share_link

MINE = "_deck_mine"          # session: list of DeckItem
MINE_TITLE = "_deck_title"   # session: the deck's title
NEXT_ID = "_deck_next_id"


@dataclass
class DeckItem:
    """One view in the teacher's deck; ``id`` stays with it when it moves (its widgets' keys use it)."""
    id: int
    step: Step


def items() -> list[DeckItem]:
    return st.session_state.setdefault(MINE, [])


def my_deck() -> Deck | None:
    steps = tuple(i.step for i in items())
    if not steps:
        return None
    return Deck(st.session_state.get(MINE_TITLE) or "My deck", steps)


def add_step(step: Step) -> None:
    n = st.session_state.get(NEXT_ID, 0) + 1
    st.session_state[NEXT_ID] = n
    items().append(DeckItem(n, step))


def replace_with(deck: Deck) -> None:
    st.session_state[MINE] = []
    st.session_state[MINE_TITLE] = deck.title
    for step in deck.steps:
        add_step(step)


def view_settings(params) -> tuple[tuple[str, str], ...]:
    """The current view's settings (those differing from the defaults), as the share link has them."""
    link = share_link(list(params))
    return tuple((k, v) for k, v in parse_qsl(urlsplit(link).query, keep_blank_values=True))


def _page_title(url_path: str) -> str:
    from explorer.navigation import PAGES
    return next((p.title for p in PAGES if p.url_path == url_path), url_path)


def _add(url_path: str, params, title_key: str, note_key: str) -> None:
    settings = view_settings(params)   # at the press: a fragment may have changed them since the page ran
    title = (st.session_state.get(title_key) or "").strip()[: decks.LIMITS["title"]] or _page_title(url_path)
    note = (st.session_state.get(note_key) or "").strip()[: decks.LIMITS["note"]]
    add_step(Step(url_path, tuple(settings), title, note))
    st.session_state[title_key] = ""
    st.session_state[note_key] = ""
    st.toast(f"Added to your deck ({len(items())} views). Open it on the Lecture page.", icon=":material/playlist_add:")


def add_view_button(page_id: str, params) -> None:
    """The sidebar's *Add this view to my deck*: the current view, with a title and note typed here."""
    url_path = registry.page_ids().get(page_id)
    if url_path is None:
        return
    with st.sidebar.popover(f"Add this view to my deck ({len(items())})", icon=":material/playlist_add:",
                            width="stretch"):
        title_key, note_key = f"_deck_add_title_{page_id}", f"_deck_add_note_{page_id}"
        st.text_input("Title", key=title_key, max_chars=decks.LIMITS["title"],
                      placeholder=_page_title(url_path))
        st.text_area("Note for the class (optional)", key=note_key, max_chars=decks.LIMITS["note"], height=90)
        st.caption("The settings that differ from the page's defaults are saved with the view, as they are "
                   "when you press Add.")
        st.button("Add", key=f"_deck_add_{page_id}", on_click=_add, args=(url_path, list(params), title_key, note_key),
                  type="primary", icon=":material/add:", width="stretch")


# -- the editor (Lecture page) ----------------------------------------------------------------
def _move(i: int, by: int) -> None:
    lst = items()
    j = i + by
    if 0 <= i < len(lst) and 0 <= j < len(lst):
        lst[i], lst[j] = lst[j], lst[i]


def _remove(i: int) -> None:
    lst = items()
    if 0 <= i < len(lst):
        lst.pop(i)


def _edit(item_id: int, field: str, key: str) -> None:
    for item in items():
        if item.id == item_id:
            value = (st.session_state.get(key) or "").strip()[: decks.LIMITS[field]]
            if field == "title" and not value:
                value = _page_title(item.step.page)
            item.step = dataclasses.replace(item.step, **{field: value})


def load_upload(data: bytes, name: str) -> Deck:
    """A deck from an uploaded file (size checked before reading); DeckError with the reasons."""
    return decks.parse_text(data, registry.page_params(), name)
