"""For AppTest: make a widget send a raw widget state, as the browser (or a modified client) would."""


def forge(widget, **state) -> None:
    """Make ``widget`` send exactly the widget state ``state`` on the next run."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    class Forged(type(widget)):
        @property
        def _widget_state(self):
            ws = WidgetState(id=self.id)
            for field, value in state.items():
                setattr(ws, field, value)
            return ws

    widget.__class__ = Forged
