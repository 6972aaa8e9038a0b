"""Side-by-side benchmarks of our engine against the old approach (see benchmarks/RESULTS.md)."""
