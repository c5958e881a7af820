"""Benchmarks of the service against peers measured in the same run (see bench/README.md).

Nothing here is part of the service: the peers and `bench.settings` exist only for these scripts.
"""
