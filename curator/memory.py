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
            # What the block made goes to the oldest generation untraversed (freeze and unfreeze splice
            # the lists; the counts start again at 0). Else the first allocation after it set off a
            # young collection walking every object made (0.5 s after a 100,000-row import), and
            # the next generation's walked them again. Cyclic garbage among them is still found by
            # the full collections.
            gc.freeze()
            gc.unfreeze()
            gc.enable()
