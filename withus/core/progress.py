"""How far long work has got: told to a page (saved as it goes) or to a progress bar at the command line.

Imports, letter batches and large exports take a ``Progress``: a function told how many of how many
are done. The background task saves it for its page to show; the command line draws ``bar``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

Progress = Callable[[int, int], None]
Item = TypeVar("Item")


def counted(items: Iterable[Item], total: int, progress: Progress | None, *, every: int = 500) -> Iterator[Item]:
    """``items`` as they are, telling ``progress`` every ``every`` of them and once at the end."""
    done = 0
    if progress is not None:
        progress(0, total)
    for item in items:
        yield item
        done += 1
        if progress is not None and done % every == 0:
            progress(done, max(total, done))
    if progress is not None:
        progress(done, max(total, done))


def bar(stream: Any, label: str, *, width: int = 30) -> Progress:
    """A progress bar drawn on one line of ``stream`` (a command's stderr), finished with a new line."""

    def draw(done: int, total: int) -> None:
        filled = width * done // max(total, 1)
        stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        if done >= total:
            stream.write("")
        sys.stderr.flush()

    return draw
