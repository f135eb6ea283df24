"""Home: what the Explorer is and where each slide of the lecture lives."""
import streamlit as st

from explorer.navigation import PAGES

st.title("Deep Learning Explorer")
st.markdown(
    "The first lecture of the *Deep Learning Crash Course* (Hui Xue, NHLBI), as things you can "
    "move and watch change. Every number on these pages comes from `explorer.core`, a small numpy "
    "library you can also import in a notebook, and uses the lecture's notation: one sample is a "
    "column, **X** is *N × B*, a layer is **Z = W X + b** with **W** of shape *[out, in]*."
)

TOPICS = {
    "activations": ("Activation functions", "σ, tanh, ReLU, leaky ReLU, maxout, ELU and modern extras; "
                    "curves, derivatives, σ' = σ(1 − σ), the active range −5 to 5."),
    "mlp_builder": ("Multi-layer perceptron, forward pass, number of parameters",
                    "Build N → 3 → 2 → 1 and see every shape, the count 3N + 14 derived line by line, "
                    "and a real forward pass."),
    "linear_collapse": ("Nonlinear activation is necessary",
                        "A deep all-linear network is one matrix: W_eff = W[3]W[2]W[1]; see it on numbers "
                        "and on XOR."),
}
st.subheader("The lecture, slide by slide")
for info in PAGES:
    if info.module in TOPICS:
        slide, what = TOPICS[info.module]
        st.page_link(str(info.path), label=f"**{info.title}** — slides *{slide}*", icon=info.icon)
        st.caption(what)

st.subheader("How to use it")
st.markdown(
    "- **Students:** each page says what it shows, what to try and what to notice. Move one control "
    "at a time.\n"
    "- **Teachers:** every setting is part of the page's address; copy the address bar to share the "
    "exact state. *Presenter mode* in the sidebar enlarges everything for a projector; the camera icon "
    "on each figure saves a PNG at slide resolution.\n"
    "- **Notebook:** `from explorer.core.mlp import MLP` gives the same numbers as the pages."
)
