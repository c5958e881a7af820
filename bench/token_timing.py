"""Bad API tokens: does any kind take longer to refuse than another? (ST-09: medians within 5 ms)

A token that is unknown, malformed, has a bad checksum, was revoked, has expired, whose owner is
inactive or deleted, or whose client was deleted, is refused with the same 401; this measures that
each kind is refused in the same time too, so the time tells an attacker nothing the answer does not.

The service runs as production runs it (gunicorn, 2 sync workers, DEBUG off, PostgreSQL, Redis) in a
database of the run's own. One keep-alive connection sends REQUESTS requests of each kind, in turn
(one of each kind, then again), so that whatever slows the machine slows every kind alike, and the
table gives each kind's median, 90th percentile and how far its median is from the fastest kind's.

    .venv/bin/python -m bench.token_timing [--requests 200]

`tests/registry/api/test_token_timing.py` makes the same comparison in process, on every test run.
"""

import argparse
import datetime
import http.client
import statistics
import time

BOUND_MS = 5.0
REQUESTS = 200
URL = "/api/v1/info"

# The kinds of bad token ST-09 names, and two more the service tells apart inside.
KINDS = (
    "unknown",
    "malformed",
    "bad checksum",
    "revoked",
    "expired",
    "owner inactive",
    "owner deleted",
    "client deleted",
)


def bad_tokens() -> dict[str, str]:
    """A token of each kind, each of its own API user, in the database Django is connected to."""
    from django.utils import timezone

    from accounts.api_clients import services, tokens
    from accounts.models import ApiToken, User

    def issued(kind):
        user = User.objects.create_user(
            email=f"timing.{kind.replace(' ', '.')}@example.com", first_name="Timing", last_name=kind, is_api_user=True
        )
        client, token = services.api_client_create(actor=user, name=f"Timing {kind}")
        return user, client, token.secret

    made = {"unknown": tokens.token_generate(), "malformed": "not-a-token"}
    _, _, token = issued("bad checksum")
    made["bad checksum"] = token[:-1] + ("A" if token[-1] != "A" else "B")
    user, client, made["revoked"] = issued("revoked")
    services.api_client_revoke(actor=user, client_id=client.pk)
    user, _, made["expired"] = issued("expired")
    now = timezone.now()
    ApiToken.objects.filter(client__owner=user).update(
        created_at=now - datetime.timedelta(days=10), expires_at=now - datetime.timedelta(seconds=1)
    )
    user, _, made["owner inactive"] = issued("owner inactive")
    User.objects.filter(pk=user.pk).update(is_active=False)
    user, _, made["owner deleted"] = issued("owner deleted")
    User.objects.filter(pk=user.pk).update(is_active=False, deleted_at=now)
    user, _, made["client deleted"] = issued("client deleted")
    user.api_clients.update(deleted_at=now)
    return {kind: made[kind] for kind in KINDS}


def refusal_times(send, tokens_by_kind: dict[str, str], *, rounds: int, warm_up: int = 5) -> dict[str, float]:
    """Each kind's median time in ms for `send(token)`, over `rounds` calls of each kind taken in turn."""
    return {kind: statistics.median(times) for kind, times in _timed(send, tokens_by_kind, rounds, warm_up).items()}


def _timed(send, tokens_by_kind, rounds, warm_up) -> dict[str, list[float]]:
    for _ in range(warm_up):
        for token in tokens_by_kind.values():
            send(token)
    times = {kind: [] for kind in tokens_by_kind}
    for _ in range(rounds):
        for kind, token in tokens_by_kind.items():
            started = time.perf_counter()
            send(token)
            times[kind].append((time.perf_counter() - started) * 1000)
    return times


def main(argv=None) -> int:
    from bench import harness

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=REQUESTS, help=f"requests of each kind (default {REQUESTS})")
    args = parser.parse_args(argv)

    harness.stop_on_sigterm()
    bench = harness.BenchEnvironment()
    # The production settings alone: nothing here needs the peers bench.settings adds.
    bench.env["DJANGO_SETTINGS_MODULE"] = "registry.settings"
    # Every request comes from one address: its limit is raised out of reach (the counting still happens).
    limits = {"API_RATE_LIMIT_PER_ADDRESS": "1000000"}
    with bench:
        tokens_by_kind = bad_tokens()
        with harness.Gunicorn(bench, extra_env=limits) as server:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)

            def send(token):
                connection.request("GET", URL, headers={"Authorization": f"Bearer {token}"})
                response = connection.getresponse()
                response.read()
                assert response.status == 401, (response.status, token)

            harness.step(f"{args.requests} requests of each of {len(KINDS)} kinds, in turn")
            times = _timed(send, tokens_by_kind, args.requests, warm_up=5)
            connection.close()
    _report(times, harness)
    return 0


def _report(times: dict[str, list[float]], harness) -> None:
    medians = {kind: statistics.median(each) for kind, each in times.items()}
    fastest = min(medians.values())
    rows = [
        [
            kind,
            f"{medians[kind]:.2f}",
            f"{statistics.quantiles(each, n=10)[-1]:.2f}",
            f"{medians[kind] - fastest:+.2f}",
        ]
        for kind, each in times.items()
    ]
    spread = max(medians.values()) - fastest
    print(f"## Refusing bad API tokens ({harness.machine()})\n")
    print(harness.table(["kind of token", "median ms", "p90 ms", "median vs fastest"], rows))
    print(
        f"\nLargest difference between medians: {spread:.2f} ms (bound {BOUND_MS:.0f} ms): "
        f"{harness.verdict(spread < BOUND_MS)}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
