"""Lecture mode and teacher decks: the lecture as a guided path of page views, and decks that teachers build.

``deck`` (parsing, validation, encoding; no Streamlit), ``answers`` (the answers to the steps'
questions, computed with ``explorer.core``), ``registry`` (every page's declared settings),
``lecture.json`` (the built-in lecture, itself a deck file a teacher can copy and edit).
"""
