"""Progress reporting that library functions accept without knowing about terminals."""

from __future__ import annotations

import sys
from typing import Any, Protocol


class Progress(Protocol):
    def start(self, total: int, label: str) -> None: ...

    def advance(self, item: str, amount: int = 1) -> None: ...

    def finish(self) -> None: ...


class NoProgress:
    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, item: str, amount: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


class BarProgress:
    """A click progress bar on stderr, so that --json output on stdout stays clean."""

    def __init__(self) -> None:
        self._bar: Any = None

    def start(self, total: int, label: str) -> None:
        import click

        if not sys.stderr.isatty():
            return  # logs and pipes get the summary line, not bar redraws
        self._bar = click.progressbar(
            length=total,
            label=label,
            file=sys.stderr,
            show_pos=True,
            item_show_func=lambda item: item,
        )
        self._bar.__enter__()

    def advance(self, item: str, amount: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(amount, current_item=item[-40:])

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
