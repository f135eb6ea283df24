"""Baseline (a) of benchmarks/browser_latency.py: the floor, one widget and the text it changes."""
import streamlit as st

value = st.slider("Value", 0, 100, 50, key="value")
st.write(f"The value is {value}.")
