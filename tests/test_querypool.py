"""The query pool's scheduling (collabgraph.web.querypool) on workers whose every
query takes as long as it says: who runs when, measured, without a store."""

from __future__ import annotations

import threading
import time

import pytest

from collabgraph.web.querypool import QueryPool


def sleeper(conn, config, generation) -> None:
    """A query worker: each message ``("sleep", seconds)`` takes that long."""
    conn.send(("ready",))
    while (message := conn.recv()) is not None:
        time.sleep(message[1])
        conn.send(("ok", message[1]))


@pytest.fixture
def pool():
    made = []

    def make(**kw) -> QueryPool:
        made.append(QueryPool(sleeper, None, build_dir=None, max_queue=64, **kw))
        return made[-1]

    yield make
    for p in made:
        p.close()


def ask(pool: QueryPool, client: str, seconds: float) -> tuple:
    return pool.submit(client, ("sleep", seconds)).future.result(timeout=60)


def both(pool: QueryPool, seconds: float, clients=("a", "b")) -> float:
    """Ask one query of ``seconds`` from each client at once; how long until both were answered."""
    started = time.monotonic()
    answers: list = []
    threads = [threading.Thread(target=lambda c=c: answers.append(ask(pool, c, seconds))) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert answers == [("ok", seconds)] * len(clients)
    return time.monotonic() - started


def test_heavy_clients_take_every_free_worker_when_no_light_client_waits(pool):
    p = pool(slots=2, timeout=8, per_client=1)  # heavy: queries of over 8 / 4 = 2 s
    both(p, 2.5)  # both clients are heavy now
    took = both(p, 2.0)
    assert took < 3.5, f"two heavy clients ran one after the other ({took:.1f} s): a worker idled"


def test_a_light_client_is_answered_while_heavy_clients_hold_every_regular_worker(pool):
    p = pool(slots=2, timeout=8, per_client=1)
    both(p, 2.5)
    heavy = [threading.Thread(target=ask, args=(p, c, 4.0)) for c in ("a", "b")]
    for t in heavy:
        t.start()
    time.sleep(1.5)  # both regular workers busy for over a second
    asked = time.monotonic()
    assert ask(p, "newcomer", 0.1) == ("ok", 0.1)
    assert time.monotonic() - asked < 1.5  # the spare worker took it
    for t in heavy:
        t.join(60)


def test_a_client_asking_many_short_questions_stays_light(pool):
    p = pool(slots=1, timeout=8, per_client=1)
    for _ in range(30):  # 3 s of worker time in all, over timeout / 4, in queries of 0.1 s
        assert ask(p, "s", 0.1) == ("ok", 0.1)
    runaway = threading.Thread(target=ask, args=(p, "r", 6.0))
    runaway.start()
    time.sleep(1.5)  # the regular worker busy for over a second
    asked = time.monotonic()
    assert ask(p, "s", 0.1) == ("ok", 0.1)
    # The spare worker serves light clients: s is one, so it did not wait for r's 6 s.
    assert time.monotonic() - asked < 2.0
    runaway.join(60)


def test_a_long_query_on_the_spare_worker_goes_back_to_the_queue_and_still_gets_its_answer(pool):
    p = pool(slots=1, timeout=20, per_client=1)  # the spare worker gives a query timeout / 4 = 5 s
    first = threading.Thread(target=ask, args=(p, "a", 12.0))
    first.start()
    time.sleep(1.2)  # the regular worker busy for over a second: the spare takes the next light client
    result: list = []
    second = threading.Thread(target=lambda: result.append(ask(p, "b", 8.0)))
    second.start()
    time.sleep(0.5)
    asked = time.monotonic()
    assert ask(p, "c", 0.1) == ("ok", 0.1)
    # b's query left the spare after 5 s and c ran next, not after b's 8 s or a's 12 s.
    assert time.monotonic() - asked < 6.5
    second.join(60)
    first.join(60)
    assert result == [("ok", 8.0)]  # b ran again on the regular worker after a, within its deadline


def test_a_client_that_once_ran_a_longer_query_does_not_starve_behind_a_crowd_of_short_ones(pool):
    p = pool(slots=1, timeout=8, per_client=1)
    assert ask(p, "x", 1.5) == ("ok", 1.5)  # x has used 1.5 s; the crowd below uses 0.05 s a query
    done = threading.Event()

    def crowd(client: str) -> None:
        while not done.is_set():
            ask(p, client, 0.05)

    threads = [threading.Thread(target=crowd, args=(f"c{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        asked = time.monotonic()
        # By least use alone, x would wait until the six had used 1.5 s each (~9 s, past its limit).
        assert ask(p, "x", 0.05) == ("ok", 0.05)
        assert time.monotonic() - asked < 3.0
    finally:
        done.set()
        for t in threads:
            t.join(60)


def test_a_newcomer_is_not_starved_on_the_spare_worker_by_a_crowd_of_known_light_clients(pool):
    p = pool(slots=1, timeout=8, per_client=1)  # the spare prefers known light clients for 8 / 4 = 2 s
    crowd_clients = [f"c{i}" for i in range(4)]
    for c in crowd_clients:  # known light now
        assert ask(p, c, 0.05) == ("ok", 0.05)
    runaway = threading.Thread(target=ask, args=(p, "r", 6.5))  # holds the regular worker
    runaway.start()
    time.sleep(0.3)
    done = threading.Event()

    def crowd(client: str) -> None:
        while not done.is_set():
            ask(p, client, 0.05)

    threads = [threading.Thread(target=crowd, args=(c,)) for c in crowd_clients]
    for t in threads:
        t.start()
    try:
        time.sleep(1.2)  # the spare worker is serving the crowd
        asked = time.monotonic()
        assert ask(p, "newcomer", 0.05) == ("ok", 0.05)
        # A strict preference for known clients kept the newcomer waiting until the runaway ended.
        assert time.monotonic() - asked < 3.5
    finally:
        done.set()
        for t in threads:
            t.join(60)
        runaway.join(60)
