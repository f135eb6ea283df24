"""Baseline (b) of benchmarks/browser_latency.py: a slider and two 500-point plotly charts.

The bar every page of the app is measured against: a click on a page of the Explorer should cost
no more than 1.5x (median) and 2x (p95) of what this bare page costs in the same run.
"""
import numpy as np
import plotly.graph_objects as go
import streamlit as st

freq = st.slider("Frequency", 1, 50, 5, key="freq")
x = np.linspace(0.0, 2.0 * np.pi, 500)
left, right = st.columns(2)
with left:
    fig = go.Figure(go.Scatter(x=x, y=np.sin(freq * x), mode="lines", name="sin"))
    fig.update_layout(title=f"sin({freq} x)", height=360, margin=dict(l=40, r=10, t=40, b=40))
    st.plotly_chart(fig, key="sin")
with right:
    fig = go.Figure(go.Scatter(x=x, y=np.cos(freq * x) * np.exp(-x / 4), mode="lines", name="cos"))
    fig.update_layout(title=f"cos({freq} x) e^(-x/4)", height=360, margin=dict(l=40, r=10, t=40, b=40))
    st.plotly_chart(fig, key="cos")
st.write(f"The frequency is {freq}.")
