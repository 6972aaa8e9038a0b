"""Side-by-side benchmarks of our engine against the old approach (see benchmarks/RESULTS.md).

The window's own target, a worst event-loop delay under 200 ms while a run goes on, belongs here too (measure it
with tests/gui/conftest.py's LoopLatency on an otherwise idle machine); the tests only assert that the window never
freezes (no stall over 2 s), a margin a loaded 2-core machine keeps.
"""
