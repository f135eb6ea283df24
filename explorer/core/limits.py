"""The app's upload limit, in one place.

Every file box (images on the pixels page, saved networks) accepts at most
``MAX_UPLOAD_MB`` megabytes, and the server's ``server.maxUploadSize`` in
``.streamlit/config.toml`` must be the same number, so that the server never
receives more than a page would accept.
"""
MAX_UPLOAD_MB = 10
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 2**20
