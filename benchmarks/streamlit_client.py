"""A Streamlit session without a browser: a websocket client speaking Streamlit's own protobuf messages.

What a browser tab does, at the protocol level (Streamlit 1.67, read from its server and the
messages in ``streamlit.proto``):

1. ``GET /<page>``: the HTML, and whatever cookies the server or a balancer sets (a sticky cookie
   of nginx, Streamlit's ``_streamlit_xsrf``); they are sent with everything after.
2. A websocket to ``/_stcore/stream`` with the subprotocol header ``streamlit, <xsrf token>,
   <session id to resume>`` (empty entries allowed), and the page's Origin.
3. A ``BackMsg`` ``rerun_script`` (a ``ClientState``: query string, widget states, page script
   hash, page name = the page's url path, fragment id). The server answers with ``ForwardMsg``s:
   ``new_session`` (a full run starts), ``navigation`` (the pages and their script hashes),
   ``page_info_changed`` (the query string of bound widgets), ``delta``s (the elements, each with
   its fragment id), ``session_status_changed`` and, last, ``script_finished`` (0: done, 2: cut
   short by a newer rerun, 3: a fragment run done).
   Large elements (``metadata.cacheable``) are kept by hash, as the browser's message cache
   does; their hashes go with every rerun (``cached_message_hashes``) and the server then sends
   a ``ref_hash`` in place of an element the client has.
4. Every change of a widget is another ``rerun_script`` carrying the widget's new value in the
   type the server registered it with (slider: ``double_array_value``; number input:
   ``double_value``; selectbox, radio, text input: ``string_value``; checkbox and toggle:
   ``bool_value``; button: ``trigger_value``), and ``fragment_id`` when the widget lives in a
   fragment, so that only the fragment reruns, as the browser does.

Widgets are found by their user key: Streamlit's element id is ``$$ID-<hash>-<key>``.
:class:`Session` keeps the values it has set and sends them with every rerun (the server keeps
the others); ``elements`` holds the latest proto of every widget seen.
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
FINISHED_WITH_COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_WITH_COMPILE_ERROR")
CACHE_ENTRIES = 256      # large elements the client keeps, so the server may send a reference instead
WIDGET_TYPES = ("slider", "number_input", "selectbox", "radio", "checkbox", "text_input", "button",
                "download_button")


class ProtocolError(RuntimeError):
    pass


@dataclass
class Run:
    """What one rerun cost: from the BackMsg sent to the script_finished received."""
    seconds: float
    bytes: int
    messages: int
    status: int
    exceptions: list[str] = field(default_factory=list)


@dataclass
class Widget:
    kind: str            # the Element oneof name: slider, number_input, ...
    proto: object
    fragment_id: str

    @property
    def key(self) -> str:
        """The user key the page gave it (its id is ``$$ID-<hash>-<key>``)."""
        return self.proto.id.split("-", 2)[2]


def _http_get(url: str, headers: dict, timeout: float) -> tuple[int, list[str], bytes]:
    """(status, Set-Cookie headers, body) of a GET."""
    req = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.headers.get_all("Set-Cookie") or [], r.read()


class Session:
    """One browser tab's worth of Streamlit: connect, change widgets, navigate, close."""

    def __init__(self, base_url: str, page: str = "", *, client_id: str = "", timeout: float = 120.0):
        self.base_url = base_url.rstrip("/")
        self.page = page
        self.client_id = client_id      # sent as X-Load-Client, so a balancer's log can tell clients apart
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.ws = None
        self.session_id = ""
        self.page_script_hash = ""
        self.pages: dict[str, str] = {}          # url path -> page script hash
        self.query_string = ""
        self.elements: dict[str, Widget] = {}    # widget id -> latest proto
        self.shown: dict[tuple[int, ...], bytes] = {}   # delta path -> element, as drawn by the latest runs
        self.sent: dict[str, WidgetState] = {}   # widget id -> the value this client set
        self.exceptions: list[str] = []
        self._reader: asyncio.Task | None = None
        self._finished: asyncio.Queue = asyncio.Queue()
        self._bytes = 0
        self._messages = 0
        self.closed_reason = ""
        self._cache: OrderedDict[str, ForwardMsg] = OrderedDict()   # the browser's ForwardMsg cache
        self._operations: dict[str, asyncio.Future] = {}   # request id -> the server's answer

    # -- connection ---------------------------------------------------------------------------
    def _headers(self) -> dict:
        h = {"User-Agent": "dle-load-test"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.client_id:
            h["X-Load-Client"] = self.client_id
        return h

    async def connect(self, resume: str = "") -> Run:
        """Load the page's HTML (for cookies), open the websocket, run the page once.

        ``resume``: the id of an earlier session of this client, as a browser sends it when it
        reconnects; the server resumes it if it still keeps it, else starts a new one.
        """
        from websockets.asyncio.client import connect

        url = f"{self.base_url}/{self.page}"
        status, set_cookies, _ = await asyncio.to_thread(_http_get, url, self._headers(), self.timeout)
        if status != 200:
            raise ProtocolError(f"GET {url}: HTTP {status}")
        for raw in set_cookies:
            c = SimpleCookie()
            c.load(raw)
            for k, morsel in c.items():
                self.cookies[k] = morsel.value
        parts = urllib.parse.urlsplit(self.base_url)
        ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path}/_stcore/stream"
        xsrf = self.cookies.get("_streamlit_xsrf", "")
        protocols = ["streamlit", xsrf or "-", resume] if resume else (["streamlit", xsrf] if xsrf else ["streamlit"])
        self.ws = await connect(ws_url, subprotocols=protocols,
                                additional_headers=self._headers(), origin=f"{parts.scheme}://{parts.netloc}",
                                max_size=None, open_timeout=self.timeout, ping_interval=20, ping_timeout=60)
        self._reader = asyncio.create_task(self._read())
        return await self.rerun(page_name=self.page)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 10)
            except (asyncio.TimeoutError, Exception):
                self._reader.cancel()

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                if isinstance(data, str):
                    continue
                self._bytes += len(data)
                self._messages += 1
                msg = ForwardMsg()
                msg.ParseFromString(data)
                path = tuple(msg.metadata.delta_path)         # where it goes (a reference says it too)
                if msg.WhichOneof("type") == "ref_hash":      # "you have this one already"
                    cached = self._cache.get(msg.ref_hash)
                    if cached is None:
                        raise ProtocolError(f"server referred to a message never cached: {msg.ref_hash}")
                    self._cache.move_to_end(msg.ref_hash)
                    msg = cached
                elif msg.metadata.cacheable and msg.hash:
                    self._cache[msg.hash] = msg
                    while len(self._cache) > CACHE_ENTRIES:
                        self._cache.popitem(last=False)
                self._handle(msg, path)
        except Exception as e:   # the connection broke: every waiting rerun learns it
            self.closed_reason = f"{type(e).__name__}: {e}"
        finally:
            if not self.closed_reason:
                self.closed_reason = "closed"
            self._finished.put_nowait(None)

    def _handle(self, msg: ForwardMsg, path: tuple[int, ...] = ()) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.shown.clear()     # a full run draws the page again
            ns = msg.new_session
            self.session_id = ns.initialize.session_id or self.session_id
            if ns.page_script_hash:
                self.page_script_hash = ns.page_script_hash
        elif kind == "navigation":
            nav = msg.navigation
            for p in nav.app_pages:
                self.pages[p.url_pathname] = p.page_script_hash
            if nav.page_script_hash:
                self.page_script_hash = nav.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta":
            delta = msg.delta
            if delta.WhichOneof("type") != "new_element":
                return
            el = delta.new_element
            self.shown[path] = el.SerializeToString()
            which = el.WhichOneof("type")
            if which == "exception":
                self.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])
            elif which in WIDGET_TYPES:
                proto = getattr(el, which)
                self.elements[proto.id] = Widget(which, proto, delta.fragment_id)
                if proto.id in self.sent and getattr(proto, "set_value", False):
                    self.sent.pop(proto.id)   # the page set this widget itself: its value wins
        elif kind == "backend_operation_response":
            answer = msg.backend_operation_response
            waiting = self._operations.pop(answer.request_id, None)
            if waiting is not None and not waiting.done():
                waiting.set_result(answer)
        elif kind == "script_finished":
            if msg.script_finished != FINISHED_EARLY_FOR_RERUN:
                self._finished.put_nowait(msg.script_finished)

    # -- reruns ---------------------------------------------------------------------------------
    async def rerun(self, states: list[WidgetState] = (), *, fragment_id: str = "", page_name: str | None = None,
                    trigger: WidgetState | None = None) -> Run:
        """Send one rerun_script and wait for the run to finish; return what it cost."""
        if self.ws is None:
            raise ProtocolError("not connected")
        while not self._finished.empty():   # a stray finish (a fragment's timer) is not this run's
            if self._finished.get_nowait() is None:
                raise ProtocolError(f"connection lost: {self.closed_reason}")
        for s in states:
            self.sent[s.id] = s
        back = BackMsg()
        cs = back.rerun_script
        cs.query_string = self.query_string
        if page_name is not None:
            cs.page_name = page_name
            cs.page_script_hash = self.pages.get(page_name, "")
        else:
            cs.page_script_hash = self.page_script_hash
            cs.page_name = self.page
        cs.fragment_id = fragment_id
        cs.cached_message_hashes.extend(self._cache)
        for s in self.sent.values():
            cs.widget_states.widgets.append(s)
        if trigger is not None:
            cs.widget_states.widgets.append(trigger)
        errors_before = len(self.exceptions)
        self._bytes = self._messages = 0
        start = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        try:
            status = await asyncio.wait_for(self._finished.get(), self.timeout)
        except asyncio.TimeoutError:
            raise ProtocolError(f"no script_finished within {self.timeout:.0f} s") from None
        if status is None:
            raise ProtocolError(f"connection lost: {self.closed_reason}")
        return Run(time.perf_counter() - start, self._bytes, self._messages, status,
                   self.exceptions[errors_before:])

    async def download(self, key: str) -> bytes:
        """The file behind a download button, fetched as the browser does when it is clicked: a deferred
        button's file is made on request (a backend operation answered with its URL), then fetched."""
        w = self.widget(key)
        if w.kind != "download_button":
            raise ProtocolError(f"{key!r} is a {w.kind}, not a download button")
        url = w.proto.url
        if not url:
            back = BackMsg()
            op = back.backend_operation_request
            op.request_id = uuid.uuid4().hex
            op.session_id = self.session_id
            op.deferred_file.file_id = w.proto.deferred_file_id
            answer = asyncio.get_running_loop().create_future()
            self._operations[op.request_id] = answer
            await self.ws.send(back.SerializeToString())
            got = await asyncio.wait_for(answer, self.timeout)
            if got.error_msg:
                raise ProtocolError(f"download {key!r}: {got.error_msg}")
            url = got.deferred_file.url
        status, _, body = await asyncio.to_thread(_http_get, f"{self.base_url}{url}", self._headers(), self.timeout)
        if status != 200:
            raise ProtocolError(f"download {key!r}: HTTP {status}")
        return body

    async def goto(self, page: str) -> Run:
        """Open another page of the app (as the sidebar's link does): its widgets start afresh."""
        self.page = page
        self.sent.clear()
        self.elements.clear()
        self.query_string = ""
        return await self.rerun(page_name=page)

    def widget(self, key: str) -> Widget:
        suffix = f"-{key}"
        found = [w for wid, w in self.elements.items() if wid.endswith(suffix)]
        if not found:
            raise ProtocolError(f"no widget with key {key!r} on /{self.page}")
        return found[-1]

    def next_value(self, key: str, direction: int = 1) -> tuple[WidgetState, str]:
        """The widget's state one step away from its current value (turning back at the ends)."""
        w = self.widget(key)
        p = w.proto
        s = WidgetState(id=p.id)
        sent = self.sent.get(p.id)
        if w.kind == "slider":
            now = list(sent.double_array_value.data) if sent else list(p.value or p.default)
            v = now[0] + direction * p.step
            if v > p.max or v < p.min:
                v = now[0] - direction * p.step
            s.double_array_value.data[:] = [round(v, 10)]
        elif w.kind == "number_input":
            now = sent.double_value if sent else (p.value if p.HasField("value") else p.default)
            step = p.step or 1
            v = now + direction * step
            if (p.has_max and v > p.max) or (p.has_min and v < p.min):
                v = now - direction * step
            s.double_value = v
        elif w.kind in ("selectbox", "radio"):
            options = list(p.options)
            now = sent.string_value if sent else (p.raw_value if p.HasField("raw_value") else
                                                  (options[p.default] if options else ""))
            i = options.index(now) if now in options else 0
            s.string_value = options[(i + direction) % len(options)]
        elif w.kind == "checkbox":
            now = sent.bool_value if sent else p.value
            s.bool_value = not now
        else:
            raise ProtocolError(f"cannot step a {w.kind}")
        return s, w.fragment_id

    async def change(self, key: str, direction: int = 1) -> Run:
        state, fragment = self.next_value(key, direction)
        return await self.rerun([state], fragment_id=fragment)

    async def set_text(self, key: str, text: str) -> Run:
        w = self.widget(key)
        return await self.rerun([WidgetState(id=w.proto.id, string_value=text)], fragment_id=w.fragment_id)

    async def press(self, key: str) -> Run:
        """Click a button: a trigger value, true for this one run only."""
        w = self.widget(key)
        return await self.rerun(fragment_id=w.fragment_id, trigger=WidgetState(id=w.proto.id, trigger_value=True))
