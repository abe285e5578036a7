"""Batches of work on an existing Dask cluster, their results back in order.

Used only when a scheduler is set: Dask is an optional extra, imported here
when a run needs it. What runs remotely must not touch this machine's disk
(the cluster's workers share none with it); its results come back to this
process, which keeps them.
"""

from __future__ import annotations

import contextlib
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from generator.errors import BriefingError

if TYPE_CHECKING:
    from distributed import Client, Future

R = TypeVar("R")
CONNECT_S = 5  # a bad address fails within this, not distributed's default of 30 s
POLL_S = 2  # how often a wait for a result checks that the cluster still has workers
NO_WORKERS_S = 10  # a cluster with no worker for this long has gone away (it may be replacing them)
BATCHES_PER_THREAD = 2  # in flight: a worker has its next batch while one comes back, and memory stays bounded


def imap(address: str, func: Callable[..., R], batches: Iterable[Any], *args: Any) -> Iterator[R]:
    """``func(batch, *args)`` for each batch, run on the cluster at ``address``, yielded in the batches' order.

    Raises BriefingError naming the address when it cannot be reached or the
    cluster goes away (its scheduler or every worker) before the last result.
    """
    client_type = _client_type()
    with _quiet():
        client = _connect(client_type, address)
        try:
            yield from _in_order(client, address, func, iter(batches), args)
        except BriefingError:
            raise
        except Exception as exc:  # distributed's own: a lost scheduler, a worker killed on a task, ...
            raise BriefingError(f"The Dask cluster at '{address}' stopped the run: {type(exc).__name__}: {exc}") from exc
        finally:
            with contextlib.suppress(Exception):  # closing a client whose scheduler is gone times out: the run failed already
                client.close(timeout=CONNECT_S)  # type: ignore[no-untyped-call]


def _client_type() -> type[Client]:
    try:
        from distributed import Client
    except ImportError as exc:
        raise BriefingError("A Dask scheduler is set, but Dask is not installed: pip install -e '.[dask]'") from exc
    return Client


def _connect(client_type: type[Client], address: str) -> Client:
    try:
        return client_type(address, timeout=CONNECT_S, set_as_default=False)
    except Exception as exc:  # malformed (ValueError), nothing listening (OSError), not a scheduler (anything)
        raise BriefingError(f"Could not connect to a Dask scheduler at '{address}': {type(exc).__name__}: {exc}") from exc


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """distributed's logs off: a lost scheduler logs tracebacks of the client's reconnection, and the run raises one clear error."""
    names = [name for name in logging.root.manager.loggerDict if name.split(".")[0] == "distributed"]
    loggers = {logger: logger.level for logger in map(logging.getLogger, names)}
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in loggers.items():
            logger.setLevel(level)


def _in_order(client: Client, address: str, func: Callable[..., R], batches: Iterator[Any], args: tuple[Any, ...]) -> Iterator[R]:
    def submit(batch: Any) -> Future[R]:
        return client.submit(func, batch, *args, pure=False)  # pure=False: no hashing of the batch's bytes for a key

    threads = sum(client.nthreads().values())  # type: ignore[no-untyped-call]
    window = BATCHES_PER_THREAD * max(1, threads)
    queue = deque(submit(batch) for batch in islice(batches, window))
    while queue:
        result = _result(client, address, queue.popleft())
        queue.extend(submit(batch) for batch in islice(batches, 1))
        yield result


def _result(client: Client, address: str, future: Future[R]) -> R:
    """The future's result; waits as long as the cluster has workers, since a batch may take long."""
    while True:
        try:
            return future.result(timeout=POLL_S)
        except TimeoutError:
            pass
        try:
            client.wait_for_workers(1, timeout=NO_WORKERS_S)
        except TimeoutError as exc:
            raise BriefingError(f"The Dask cluster at '{address}' has had no workers for {NO_WORKERS_S} s") from exc
