"""Lecture mode: the built-in lecture as a guided path, the teacher's own deck, and opening a deck file or link."""
import re

import streamlit as st

from explorer.lecture import deck as decks
from explorer.lecture.deck import Deck, DeckError
from explorer.navigation import PAGES
from explorer.settings.lecture import Settings
from explorer.ui import deck_ui, layout
from explorer.ui import lecture_bar as bar
from explorer.ui.lecture_bar import plain
from explorer.ui.url_state import open_settings, read, select

TITLES = {p.url_path: p.title for p in PAGES}


def start_query(word, deck: Deck, n: int = 1) -> dict:
    return bar.step_query(word, n, deck.steps[n - 1], layout.presenter())


def contents(deck: Deck, word: str | None, key: str) -> None:
    """The deck's steps as links, with this session's progress."""
    fp = "lecture" if not word else deck.fingerprint()
    prog = bar.progress(fp)
    total = len(deck.steps)
    st.progress(len(prog.seen) / total, text=prog.summary(deck, "answered"))
    unseen = [n for n in range(1, total + 1) if n not in prog.seen]
    first = unseen[0] if unseen and prog.seen else 1
    label = "**Start at step 1**" if first == 1 else f"**Continue at step {first}**"
    with st.container(key=f"{key}_start"):
        bar.link(deck.steps[first - 1].page, label, start_query(word, deck, first), icon=":material/play_arrow:")
    for n, step in enumerate(deck.steps, start=1):
        marks = []
        if n in prog.seen:
            marks.append("seen")
        if step.question:
            answered = prog.answered.get(n)
            marks.append("question: " + ("right" if answered and answered.right else
                                         "answered" if answered else "open"))
        c1, c2 = st.columns([3, 2], vertical_alignment="center")
        with c1:
            bar.link(step.page, f"{n}. {plain(step.title)}", start_query(word, deck, n))
        c2.caption(plain(f"{TITLES.get(step.page, step.page)}" + (f" · {step.topic}" if step.topic else "")
                         + (f" · {', '.join(marks)}" if marks else "")))


def downloads(deck: Deck, key: str) -> None:
    slug = re.sub(r"[^a-z0-9]+", "-", deck.title.lower()).strip("-")[:40] or "deck"
    c1, c2 = st.columns(2)
    c1.download_button("Download as JSON", decks.to_json(deck), f"{slug}.json", "application/json",
                       key=f"{key}_json", icon=":material/download:", width="stretch")
    yaml_text = decks.to_yaml(deck)
    if yaml_text is not None:
        c2.download_button("Download as YAML", yaml_text, f"{slug}.yaml", "application/yaml",
                           key=f"{key}_yaml", icon=":material/download:", width="stretch")


def share(deck: Deck) -> None:
    word = decks.encode_link(deck)
    if decks.link_fits(word):
        base = ""
        try:
            base = st.context.url or ""
        except Exception:  # pragma: no cover - no browser (tests)
            base = ""
        st.markdown("**Share as one link** (the whole deck is in the address):")
        st.code(f"{base}?deck={word}", language=None, wrap_lines=True)
    else:
        st.info(f"This deck is too long for a link ({len(word):,} characters, at most {decks.MAX_LINK_CHARS:,}): "
                "share the downloaded file instead; the class opens it under *Open a deck*.",
                icon=":material/description:")


def show_problems(e: DeckError) -> None:
    shown = e.problems[:8]
    more = len(e.problems) - len(shown)
    st.error("This deck cannot be opened:\n\n" + "\n".join(f"- {plain(p)}" for p in shown)
             + (f"\n- … and {more} more." if more > 0 else ""), icon=":material/error:")


def opened(deck: Deck, key: str) -> None:
    """A deck read from a file or link: what it holds, play it, or make it mine to edit."""
    word = bar.remember(deck)
    st.success(f"**{plain(deck.title)}**: {len(deck.steps)} steps, every page and setting checked.",
               icon=":material/task_alt:")
    c1, c2 = st.columns(2)
    with c1:
        bar.link(deck.steps[0].page, "Play this deck", start_query(word, deck), icon=":material/play_arrow:")
    c2.button("Copy it into my deck (to edit)", key=f"{key}_adopt", on_click=deck_ui.replace_with, args=(deck,),
              icon=":material/edit:")
    with st.expander("The steps"):
        contents(deck, word, key)


def deck_item(i: int, item: deck_ui.DeckItem, last: bool) -> None:
    """One view of my deck: its number, title, up / down / remove, its note and its settings."""
    step, n = item.step, item.id
    with st.container(border=True, key=f"_deck_item_{n}"):
        c0, c1, c2 = st.columns([0.4, 5, 1.6], vertical_alignment="center")
        c0.markdown(f"**{i + 1}.**")
        tkey, nkey = f"_deck_t_{n}", f"_deck_n_{n}"
        st.session_state.setdefault(tkey, step.title)
        st.session_state.setdefault(nkey, step.note)
        c1.text_input("Title", key=tkey, on_change=deck_ui._edit, args=(n, "title", tkey),
                      max_chars=decks.LIMITS["title"], label_visibility="collapsed")
        with c2:
            b1, b2, b3 = st.columns(3)
            b1.button("", key=f"_deck_up_{n}", on_click=deck_ui._move, args=(i, -1), icon=":material/arrow_upward:",
                      disabled=i == 0, help="Move up")
            b2.button("", key=f"_deck_down_{n}", on_click=deck_ui._move, args=(i, 1),
                      icon=":material/arrow_downward:", disabled=last, help="Move down")
            b3.button("", key=f"_deck_del_{n}", on_click=deck_ui._remove, args=(i,), icon=":material/delete:",
                      help="Remove")
        st.text_area("Note", key=nkey, on_change=deck_ui._edit, args=(n, "note", nkey),
                     max_chars=decks.LIMITS["note"], height=68, label_visibility="collapsed",
                     placeholder="A note for the class (optional)")
        settings = ", ".join(f"{k} = {v}" for k, v in step.settings) or "the page's defaults"
        st.caption(plain(f"{TITLES.get(step.page, step.page)}: {settings}"))


def my_deck_editor() -> None:
    lst = deck_ui.items()
    if not lst:
        st.info("Your deck is empty. On any page, set it up as you want to show it, then use **Add this view to "
                "my deck** in the sidebar. Or start from the built-in lecture and edit it.",
                icon=":material/playlist_add:")
        st.button("Start from the built-in lecture", key="_deck_from_lecture", on_click=deck_ui.replace_with,
                  args=(bar.builtin(),), icon=":material/content_copy:")
        return
    st.text_input("Deck title", key=deck_ui.MINE_TITLE, max_chars=decks.LIMITS["title"], placeholder="My deck")
    for i, item in enumerate(lst):
        deck_item(i, item, last=i == len(lst) - 1)
    deck = deck_ui.my_deck()
    word = bar.remember(deck)
    bar.link(deck.steps[0].page, "Play my deck", start_query(word, deck), icon=":material/play_arrow:")
    downloads(deck, "_deck_mine_dl")
    share(deck)


def open_a_deck() -> None:
    st.markdown("A deck file (JSON or YAML, at most 64 kB) or a deck link, as *My deck* downloads and shares it. "
                "Every step is checked: its page must be one of this app's, its settings ones the page declares.")
    upload = st.file_uploader("Deck file (.json, .yaml)", key="_deck_upload",
                              help="Any file is read as text and checked; only a valid deck opens.")
    if upload is not None:
        try:
            if upload.size > decks.MAX_BYTES:
                raise DeckError(f"The file has {upload.size:,} bytes; a deck file may have at most "
                                f"{decks.MAX_BYTES:,}.")
            opened(deck_ui.load_upload(upload.getvalue(), upload.name), "_deck_up")
        except DeckError as e:
            show_problems(e)
    pasted = st.text_input("…or paste a deck link", key="_deck_paste", max_chars=decks.MAX_LINK_INPUT + 200)
    if pasted:
        match = re.search(r"[?&]deck=([A-Za-z0-9_-]+)", pasted)
        try:
            if not match:
                raise DeckError("That is not a deck link: a deck link has '?deck=' followed by the deck.")
            opened(bar.resolve(match.group(1)), "_deck_link")
        except DeckError as e:
            show_problems(e)


def chosen_view(s: Settings) -> None:
    """The part of the page the *Show* box picks: the lecture's steps, my deck, or opening a deck."""
    if s.view == "lecture":
        lecture = bar.builtin()
        st.subheader(lecture.title)
        contents(lecture, None, "_lec_builtin")
        st.caption("The lecture is a deck file in the repository (explorer/lecture/lecture.json): download it, "
                   "edit it and open it under *Open a deck*, or copy it into *My deck*.")
        downloads(lecture, "_lec_builtin_dl")
    elif s.view == "mine":
        st.subheader("My deck")
        my_deck_editor()
    else:
        st.subheader("Open a deck")
        open_a_deck()


def shared_deck(word: str) -> None:
    st.subheader("A deck was shared with you")
    try:
        opened(bar.resolve(word), "_deck_shared")
    except DeckError as e:
        show_problems(e)


# ---------------------------------------------------------------------------------------------
layout.page_header(
    "Lecture mode",
    "Lecture 1 as one guided path: each step opens a page prepared as the slide needs it, with two or "
    "three sentences from the lecture, one thing to look at and often a question to answer before you see.",
    "press *Start*, then move with the keyboard (→ / Page Down, ← / Page Up, as a presentation clicker "
    "sends) or the links under each step; a step's address opens that step.",
    "the answers come from the live page, computed by explorer.core for the step's settings; your "
    "progress stays in this browser tab.",
)
P = open_settings(Settings)     # after the title (it has no widgets), so that link notes show under it
if st.query_params.get("deck"):
    shared_deck(st.query_params.get("deck"))
with st.columns([1, 2])[0]:
    select(P.view, "Show")
chosen_view(read(Settings))
layout.finish_page(P.page, P.values())
