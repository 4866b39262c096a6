"""gc_paused: the collector is off in the block, on after it as it was."""

from __future__ import annotations

import gc
import weakref

from curator.memory import gc_paused


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_the_collector_is_off_in_the_block_and_on_after_as_it_was() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: the outer block decides
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()


def test_cycles_made_in_the_block_are_still_collected() -> None:
    with gc_paused():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
    assert gone() is not None  # a cycle: only the collector frees it
    gc.collect()
    assert gone() is None
