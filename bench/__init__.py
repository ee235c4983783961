"""Benchmarks (not part of the test suite): ``make bench`` = ``python -m bench``."""
