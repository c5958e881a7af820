"""The load test: the API and the admin's list pages under concurrent clients, against `make serve`
on PostgreSQL and Redis (see bench/README.md). Run it with `python -m bench.load`."""
