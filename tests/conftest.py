"""Settings for the whole test suite, made before any test module imports the app."""
import os

# Figures built without plotly's property checks in production (explorer/charts/style.py VALIDATE)
# are checked here, in every test and in the servers the browser tests start.
os.environ["EXPLORER_VALIDATE_FIGURES"] = "1"
