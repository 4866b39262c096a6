"""gc_paused: the collector is off in the block, and what the block made is not walked after it."""

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


def test_what_the_block_made_is_in_the_oldest_generation_and_the_young_ones_are_empty() -> None:
    """The next young collection walks nothing the block made (no 0.5 s pause after a big import)."""
    with gc_paused():
        made = [[i] for i in range(50_000)]
    assert gc.get_count()[0] < 100  # the allocations of the block are not counted against generation 0
    oldest = {id(obj) for obj in gc.get_objects(generation=2)}
    assert all(id(obj) in oldest for obj in made[::997])
    assert not {id(obj) for obj in gc.get_objects(generation=0)} & {id(obj) for obj in made}


def test_cycles_made_in_the_block_are_still_collected() -> None:
    with gc_paused():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
    assert gone() is not None  # a cycle: only the collector frees it
    gc.collect()
    assert gone() is None
