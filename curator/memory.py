"""Building many objects at once: the cyclic garbage collector paused meanwhile.

Reading or storing a big review creates hundreds of thousands of small
objects that all live on and form no cycles; the collector would walk them
all again and again (40% of loading 100,000 rows, half of reading a
100,000-row exchange file). :func:`gc_paused` turns it off for such a block.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (as it was after)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Not gc.freeze()+unfreeze() here to spare the next young collection walking what the
            # block made (0.5 s after a 100,000-row import): with it the interpreter crashed in a
            # collection, twice at one place of the full test suite (after the GUI and live tests).
            gc.enable()
