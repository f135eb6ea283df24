"""The step bar of lecture mode: drawn by app.py above a page when the address names a step.

The step lives in the address: ``/mlp?mlp_N=1024&step=32`` opens the MLP builder with N = 1024 under
step 32 of the built-in lecture; ``&deck=<word>`` names another deck (the deck itself, encoded, or
``~<fingerprint>`` for a deck opened in this browser session). Previous / Next are page links to
the neighbouring steps' addresses, and the keyboard (``explorer/web/keys.js``) clicks them.

Progress (steps seen, questions answered right) lives in ``st.session_state`` only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import streamlit as st

from explorer.lecture import deck as decks, registry
from explorer.lecture.deck import Deck, DeckError, Step

def plain(text: str) -> str:
    """``text`` for st.markdown, shown as typed: every ASCII punctuation mark is backslash-escaped,
    so no user text becomes markup (links, emphasis, HTML, LaTeX between dollars)."""
    return "".join("\\" + c if c in _PUNCT else c for c in str(text)).replace("\n", "  \n")


_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

STEP_KEY = "step"
DECK_KEY = "deck"
LECTURE_FILE = Path(__file__).resolve().parents[1] / "lecture" / "lecture.json"
KEYS_JS = Path(__file__).resolve().parents[1] / "web" / "keys.js"
PROGRESS = "_lec_progress"      # session: {deck fingerprint: Progress}
SESSION_DECKS = "_lec_decks"    # session: {fingerprint: Deck} opened here (too long for an address)
AT = "_lec_at"                  # session: (fingerprint, step) shown last run
AT_PAGE = "_lec_at_page"        # session: the page it was shown on


@lru_cache(maxsize=1)
def builtin() -> Deck:
    """The built-in lecture (explorer/lecture/lecture.json), checked like any deck file."""
    return decks.parse_text(LECTURE_FILE.read_bytes(), registry.page_params(), LECTURE_FILE.name)


@lru_cache(maxsize=64)
def _decoded(word: str) -> Deck:
    return decks.decode_link(word, registry.page_params())


def remember(deck: Deck) -> str:
    """Keep ``deck`` in this session; return the word that names it in an address."""
    word = decks.encode_link(deck)
    if decks.link_fits(word):
        return word
    fp = deck.fingerprint()
    st.session_state.setdefault(SESSION_DECKS, {})[fp] = deck
    return "~" + fp


def resolve(word: str | None) -> Deck:
    """The deck an address names (None: the built-in lecture); DeckError if it cannot be read."""
    if not word:
        return builtin()
    if word.startswith("~"):
        deck = st.session_state.get(SESSION_DECKS, {}).get(word[1:])
        if deck is None:
            raise DeckError("This deck was opened in another browser session. Open its file again on the "
                            "Lecture page.")
        return deck
    return _decoded(word)


def step_query(deck_word: str | None, n: int, step: Step, presenter: bool) -> dict[str, str]:
    """The address (query) of step ``n`` (1-based): its settings, the step, the deck, presenter mode."""
    query = dict(step.query)
    query[STEP_KEY] = str(n)
    if deck_word:
        query[DECK_KEY] = deck_word
    if presenter:
        query["present"] = "true"
    return query


@dataclass(frozen=True)
class Answered:
    """A student's committed answer to a step's question (``skipped``: 'Show me' without answering)."""
    given: Any
    right: bool
    skipped: bool = False


@dataclass
class Progress:
    """One deck's progress in this browser tab: the steps seen and the questions answered."""
    seen: set[int] = field(default_factory=set)
    answered: dict[int, Answered] = field(default_factory=dict)

    @property
    def right(self) -> set[int]:
        return {n for n, a in self.answered.items() if a.right}

    def summary(self, deck: Deck, answered_word: str = "") -> str:
        """'Seen 3 of 34 steps · 1 of 20 questions right (...)'; ``answered_word`` goes before 'right'."""
        n_questions = sum(1 for s in deck.steps if s.question)
        right = f"{answered_word} right" if answered_word else "right"
        return (f"Seen {len(self.seen)} of {len(deck.steps)} steps · {len(self.right)} of {n_questions} "
                f"questions {right} (kept in this browser tab only)")

    def record(self, n: int, given: Any, right: bool, skipped: bool) -> None:
        self.answered[n] = Answered(given, right, skipped)


def progress(fp: str) -> Progress:
    store = st.session_state.setdefault(PROGRESS, {})
    return store.setdefault(fp, Progress())


def page_file(url_path: str) -> str:
    from explorer.navigation import PAGES
    info = next(p for p in PAGES if p.url_path == url_path)
    return str(info.path)


def registered(url_path: str) -> bool:
    """Is the page part of this app run's navigation (False when a page runs on its own, in tests)?"""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        ctx = get_script_run_ctx()
        target = page_file(url_path)
        return any(p.get("script_path") == target for p in ctx.pages_manager.get_pages().values())
    except Exception:
        return False


def link(url_path: str, label: str, query: dict | None = None, icon: str | None = None,
         width="content", disabled: bool = False) -> None:
    if registered(url_path):
        st.page_link(page_file(url_path), label=label, icon=icon, query_params=query, width=width,
                     disabled=disabled)
    else:
        st.caption(plain(label))


def values_of(step: Step) -> dict:
    return registry.page_values(step.page, step.query)


def _answers():
    """explorer.lecture.answers, imported on first use: it pulls in explorer.core (numpy, scikit-image),
    which app.py should not load before a page needs it."""
    from explorer.lecture import answers
    return answers


def computed_answer(step: Step):
    return _answers().answer(step.question.answer, values_of(step))


def _options(step: Step, ans) -> list[str]:
    options = list(step.question.options)
    if options and not any(_answers().matches(ans, o) for o in options):
        options.append(str(ans.value))   # a teacher's deck whose options miss the page's answer
    return options


def _record(fp: str, n: int, step: Step, widget_key: str | None) -> None:
    """Commit the student's answer (``widget_key`` None: reveal without answering)."""
    given = st.session_state.get(widget_key) if widget_key else None
    if given is None and widget_key is not None:
        st.toast("Choose or type an answer first, or press 'Show me'.", icon=":material/edit:")
        return
    ans = computed_answer(step)
    progress(fp).record(n, given, _answers().matches(ans, given), skipped=widget_key is None)


def question(fp: str, n: int, step: Step) -> None:
    """Predict, then see: the student commits to an answer, then the page's own answer is revealed."""
    q = step.question
    ans = computed_answer(step)
    done = progress(fp).answered.get(n)
    key = f"_lec_q_{fp}_{n}"
    with st.container(key="lecture_question"):
        st.markdown("**Predict, then see:** " + plain(q.ask))
        options = _options(step, ans)
        c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
        with c1:
            if options:
                st.radio("Your answer", options, index=None, key=key, horizontal=True, disabled=bool(done),
                         label_visibility="collapsed")
            else:
                st.number_input("Your answer", min_value=0, value=None, step=1, key=key, disabled=bool(done),
                                placeholder="type a number", label_visibility="collapsed")
        with c2:
            st.button("Check", key=f"_lec_check_{fp}_{n}", on_click=_record, args=(fp, n, step, key),
                      disabled=bool(done), type="primary", width="stretch")
        with c3:
            st.button("Show me", key=f"_lec_skip_{fp}_{n}", on_click=_record, args=(fp, n, step, None),
                      disabled=bool(done), width="stretch")
        if not done:
            # Predict, then see: the live page waits, faded out, until the student commits. (Opacity, not a
            # blur filter: a blur of a whole page is slow to paint without a GPU.)
            st.html(_HIDE_PAGE_CSS)
            st.caption("The page below stays hidden until you answer.")
        else:
            shown = f"{ans.value:,}" if isinstance(ans.value, int) else str(ans.value)
            if done.skipped:
                st.info(f"The page says {plain(shown)}. {plain(ans.why)}", icon=":material/visibility:")
            elif done.right:
                st.success(f"Right: {plain(shown)}. {plain(ans.why)}", icon=":material/check_circle:")
            else:
                st.warning(f"Not quite: the page says {plain(shown)}. {plain(ans.why)}", icon=":material/lightbulb:")


_HIDE_PAGE_CSS = """<style>
[data-testid="stMain"] :is(.st-key-lecture_bar, [data-testid="stLayoutWrapper"]:has(> .st-key-lecture_bar)) ~ * {
  opacity: 0.03; pointer-events: none; user-select: none; }
</style>"""
_BAR_CSS = """<style>
.st-key-lecture_bar { background: color-mix(in srgb, var(--primary-color, #ff4b4b) 6%, transparent); }
.st-key-lecture_bar h3 { padding-top: 0.2rem; }
.st-key-lecture_next { align-items: flex-end; }
.st-key-lecture_contents { align-items: center; }
@media (max-width: 640px) { .st-key-lecture_keys_hint { display: none; } }
</style>"""
_PRESENTER_BAR_CSS = """<style>
.st-key-lecture_bar [data-testid="stMarkdownContainer"] p { font-size: 1.6rem !important; line-height: 1.35; }
.st-key-lecture_bar h3 { font-size: 2.6rem !important; }
.st-key-lecture_bar [data-testid="stPageLink"] p { font-size: 1.5rem !important; }
.st-key-lecture_bar [data-testid="stCaptionContainer"] { display: none; }
.st-key-lecture_bar [data-testid="stProgress"] p { font-size: 1rem !important; }
.st-key-lecture_head p { font-size: 1.2rem !important; }
.st-key-lecture_bar button p { font-size: 1.2rem !important; }
.st-key-lecture_bar { margin-top: 0.75rem; }
</style>"""


def _css(presenter: bool) -> None:
    st.html(_BAR_CSS)
    if presenter:
        st.html(_PRESENTER_BAR_CSS)


@lru_cache(maxsize=1)
def _keys_component():
    return st.components.v2.component("lecture_keys", js=KEYS_JS.read_text(encoding="utf-8"))


def reset_page_state(step: Step) -> None:
    """Forget the page's widget values, so that it opens exactly in the step's settings (from the address)."""
    for key in registry.page_params().get(step.page, {}):
        if key in st.session_state:
            del st.session_state[key]


@dataclass(frozen=True)
class At:
    """Step ``n`` (1-based) of ``deck``, named in the address by ``word`` (None: the built-in lecture)."""
    deck: Deck
    word: str | None
    n: int

    @property
    def step(self) -> Step:
        return self.deck.steps[self.n - 1]

    @property
    def total(self) -> int:
        return len(self.deck.steps)

    @property
    def fp(self) -> str:
        """The name progress is kept under: "lecture" for the built-in lecture, else the deck's fingerprint."""
        return "lecture" if not self.word else self.deck.fingerprint()

    def query(self, n: int, presenter: bool) -> dict[str, str]:
        return step_query(self.word, n, self.deck.steps[n - 1], presenter)


def step_in_address() -> At | None:
    """The deck and step the address names; a warning (and None) when it names none that exists."""
    qp = st.query_params
    if STEP_KEY not in qp:
        return None
    raw, word = qp.get(STEP_KEY, ""), qp.get(DECK_KEY)
    try:
        deck = resolve(word)
    except DeckError as e:
        st.warning("This link names a lecture deck that cannot be opened: " + plain(str(e)),
                   icon=":material/link_off:")
        return None
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if not 1 <= n <= len(deck.steps):
        st.warning(f"This deck has steps 1 to {len(deck.steps)}; the link asks for step '{plain(raw[:12])}'.",
                   icon=":material/link_off:")
        return None
    return At(deck, word, n)


def enter(at: At, current_url_path: str) -> None:
    """On arriving at a step: the page opens in the step's settings, and the step is marked seen."""
    before = st.session_state.get(AT)
    if before != (at.fp, at.n):
        reset_page_state(at.step)
        st.session_state[AT] = (at.fp, at.n)
        if before is not None and st.session_state.get(AT_PAGE) == current_url_path:
            # A page link to the same page reruns it with the new query but leaves the address bar as it
            # was: writing the step again sends the browser the address of what is shown.
            st.query_params[STEP_KEY] = str(at.n)
    st.session_state[AT_PAGE] = current_url_path
    progress(at.fp).seen.add(at.n)


def navigation(at: At, presenter: bool) -> None:
    """Previous, All steps, Next (or the end), and the keys that press them."""
    prev_col, mid_col, next_col = st.columns(3, vertical_alignment="center")
    with prev_col, st.container(key="lecture_prev"):
        if at.n > 1:
            link(at.deck.steps[at.n - 2].page, "Previous", at.query(at.n - 1, presenter), icon=":material/arrow_back:")
    with mid_col, st.container(key="lecture_contents"):
        link("lecture", "All steps", {"deck": at.word} if at.word else None, icon=":material/list:")
    with next_col, st.container(key="lecture_next"):
        if at.n < at.total:
            after = at.deck.steps[at.n]
            link(after.page, "Next" if presenter else f"Next: {after.title}", at.query(at.n + 1, presenter),
                 icon=":material/arrow_forward:")
        else:
            n_questions = sum(1 for s in at.deck.steps if s.question)
            st.markdown("**The end.** " + ("All questions right!" if len(progress(at.fp).right) == n_questions
                                           else ""))
    _keys_component()(key="_lec_keys", data={"prev": at.n > 1, "next": at.n < at.total})
    with st.container(key="lecture_keys_hint"):
        st.caption("Keys: → or Page Down for the next step, ← or Page Up for the previous one.")


def draw_bar(at: At, presenter: bool) -> None:
    """The step bar: where we are, the step's words, its question, and the way on."""
    step, prog = at.step, progress(at.fp)
    _css(presenter)
    with st.container(border=True, key="lecture_bar"):
        head, bar = st.columns([3, 2], vertical_alignment="center")
        with head, st.container(key="lecture_head"):
            st.markdown(f"Step {at.n} of {at.total}" if presenter
                        else f"**{plain(at.deck.title)}** · step {at.n} of {at.total}")
        bar.progress(len(prog.seen) / at.total, text=prog.summary(at.deck))
        st.markdown(f"### {plain(step.title)}")
        if step.note:
            st.markdown(plain(step.note))
        if step.look:
            st.markdown("**Look at:** " + plain(step.look))
        if step.question:
            question(at.fp, at.n, step)
        navigation(at, presenter)


def show(current_url_path: str, presenter: bool) -> Step | None:
    """Draw the step bar when the address names a step; return the step (None: no lecture here)."""
    at = step_in_address()
    if at is None:
        return None
    if at.step.page != current_url_path:
        st.info(f"Step {at.n} of the deck shows another page.", icon=":material/school:")
        link(at.step.page, f"Go to step {at.n}: {at.step.title}", at.query(at.n, presenter),
             icon=":material/arrow_forward:")
        return None
    enter(at, current_url_path)
    draw_bar(at, presenter)
    return at.step
