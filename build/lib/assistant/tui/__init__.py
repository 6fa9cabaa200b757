"""The Textual chat (`assistant chat`). Only this package imports textual; the core never does."""

from __future__ import annotations

__all__ = ["make_app", "run_chat"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
