# The Deep Learning Explorer as one replica: `docker build -t dl-explorer .` then
# `docker run -p 8501:8501 dl-explorer`, or several behind nginx with compose.yaml.
# Every Python dependency ships as a manylinux wheel, so no Debian package is installed.
FROM python:3.11-slim

# One BLAS thread per process: the matrices are small and a replica serves many sessions.
# MALLOC_ARENA_MAX=2: each script run is a thread, and glibc's per-thread arenas keep what a finished
# session freed (measured: 50-100 MB per trained network never given back; with 2 arenas, a few MB).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OPENBLAS_NUM_THREADS=1 \
    MALLOC_ARENA_MAX=2 \
    OMP_NUM_THREADS=1 \
    MPLCONFIGDIR=/tmp \
    HOME=/tmp

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

# A user without a login shell or home directory owns nothing but can read the app.
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin explorer
COPY --chown=root:root app.py ./
COPY --chown=root:root explorer ./explorer
COPY --chown=root:root assets ./assets
COPY --chown=root:root .streamlit ./.streamlit
USER 10001

EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; r=urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4); sys.exit(0 if r.read().strip()==b'ok' else 1)"]

# .streamlit/config.toml holds the production settings (XSRF, upload limit, errors redacted).
CMD ["python", "-m", "streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
