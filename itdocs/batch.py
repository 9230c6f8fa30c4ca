"""Many dossiers at once: a process pool whose output does not depend on how many processes ran.

``map_ordered(fn, items, jobs=N)`` calls ``fn(shared, item)`` for every item, in ``N`` processes
(``shared`` is sent to each process once), and returns one ``Outcome`` per item in the items'
order. Nothing an item does stops the others:

- an ItdocsError is that item's outcome;
- any other exception becomes an ItdocsError naming the item ("internal error"), never a
  traceback that ends the batch;
- a worker process that dies (killed, out of memory) breaks the pool: the items still pending
  run again in a new pool, and an item that was running when a pool broke ``MAX_TRIES`` times is
  reported as having crashed its worker.

With ``jobs=1`` everything runs in this process, through the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from itdocs.errors import InputError, ItdocsError

T = TypeVar("T")
MAX_TRIES = 3
_shared: Any = None  # set once per worker process by _initialize


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T | None = None
    error: ItdocsError | None = None


def map_ordered(
    fn: Callable[[Any, Any], T],
    items: Sequence[Any],
    *,
    shared: Any,
    jobs: int = 1,
    label: Callable[[Any], str] = str,
    on_done: Callable[[int], None] | None = None,
) -> list[Outcome[T]]:
    """``[fn(shared, item) for item in items]`` as Outcomes; ``on_done(index)`` as each finishes."""
    results: list[Outcome[T] | None] = [None] * len(items)

    def finish(index: int, outcome: Outcome[T]) -> None:
        results[index] = outcome
        if on_done is not None:
            on_done(index)

    if jobs <= 1 or len(items) <= 1:
        for index, item in enumerate(items):
            finish(index, _call(fn, shared, item, label(item)))
    else:
        _in_processes(fn, items, shared, jobs, label, finish)
    return [
        r if r is not None else Outcome(error=_crashed(label(items[i])))
        for i, r in enumerate(results)
    ]


def _in_processes(
    fn: Callable[[Any, Any], T],
    items: Sequence[Any],
    shared: Any,
    jobs: int,
    label: Callable[[Any], str],
    finish: Callable[[int, Outcome[T]], None],
) -> None:
    pending = list(range(len(items)))
    tries = [0] * len(items)
    while pending:
        workers = min(jobs, len(pending))
        with ProcessPoolExecutor(workers, initializer=_initialize, initargs=(shared,)) as pool:
            futures = {pool.submit(_call_shared, fn, items[i], label(items[i])): i for i in pending}
            broken: list[int] = []
            waiting = set(futures)
            while waiting:
                finished, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                for future in finished:
                    index = futures[future]
                    try:
                        finish(index, future.result())
                    except BrokenProcessPool:
                        broken.append(index)
        for index in broken:
            tries[index] += 1
            if tries[index] >= MAX_TRIES:
                finish(index, Outcome(error=_crashed(label(items[index]))))
        pending = [i for i in broken if tries[i] < MAX_TRIES]


def _initialize(shared: Any) -> None:
    global _shared
    _shared = shared


def _call_shared(fn: Callable[[Any, Any], T], item: Any, name: str) -> Outcome[T]:
    return _call(fn, _shared, item, name)


def _call(fn: Callable[[Any, Any], T], shared: Any, item: Any, name: str) -> Outcome[T]:
    try:
        return Outcome(value=fn(shared, item))
    except ItdocsError as exc:
        if exc.file is None:
            exc.file = name
        return Outcome(error=exc)
    except Exception as exc:  # noqa: BLE001 - one broken dossier must not end the batch
        return Outcome(
            error=InputError(
                f"内部错误 (internal error): {type(exc).__name__}: {exc}",
                file=name,
                hint="please report this with the dossier attached",
            )
        )


def _crashed(name: str) -> ItdocsError:
    return InputError(
        f"处理进程崩溃 (the worker process died {MAX_TRIES} times on this dossier)",
        file=name,
        hint="run it alone (--jobs 1) to see why; it may need more memory",
    )
