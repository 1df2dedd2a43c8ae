"""Shards whose outputs are kept: the worker that computes a shard writes its result to a ShardStore under
the shard's content key (temp file, then rename), and a resumed run reads the keys already there instead of
computing them again. A key names everything the result depends on, so a shard whose input changed since
the earlier run is computed afresh, never read stale. Each file also says what it holds (`describe(shard)`:
a system and its row range, the translations of a task) and is checked on reading: a file that cannot be
read, or that holds something else than its shard, is computed afresh with a warning.

    results = map_resumable(executor, check_shard, shards, keys=[...], encode=columns_of, decode=read_back,
                            store=ShardStore("run1/"), resume=True, label="check", describe=lambda s: s.ids)
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

if TYPE_CHECKING:
    from pipelines.execution.executors import Executor
    from pipelines.execution.shards import ShardStore

Encode = Callable[[Any], dict[str, list]]  # a shard's result -> Parquet columns
Decode = Callable[["ShardStore", str, Any], Any]  # (the store, the shard's key, the shard) -> its result
Describe = Callable[[Any], Any]  # a shard -> what its file must say it holds (JSON: names, ranges)
# What a decode function raises on a file that passed the header checks yet is not what it expects.
DECODE_ERRORS = (KeyError, IndexError, TypeError, ValueError)


@dataclass(frozen=True)
class _Kept:
    """A shard with what its worker needs to keep the result: the shard function is pure, so a retried or
    duplicated task rewrites the same file."""

    function: Callable[[Any], Any]
    encode: Encode
    store: str
    key: str
    shard: Any
    holds: Any = None


def _compute_and_keep(task: _Kept) -> Any:
    from pipelines.execution.shards import ShardStore

    result = task.function(task.shard)
    ShardStore(task.store).write(task.key, task.encode(result), task.holds)
    return result


_UNUSABLE = object()


def _read_back(store: "ShardStore", key: str, shard: Any, decode: Decode, holds: Any) -> Any:
    """The kept result of one shard, or _UNUSABLE (with a warning) when its file is not that result."""
    from pipelines.execution.shards import BadShard

    try:
        found = store.header(key).get("holds")
        if found != holds:
            raise BadShard(f"it holds {json.dumps(found)[:120]}, not {json.dumps(holds)[:120]}")
        return decode(store, key, shard)
    except BadShard as problem:
        reason = str(problem)
    except DECODE_ERRORS as problem:
        reason = f"it cannot be read back ({type(problem).__name__}: {str(problem).splitlines()[0][:120] if str(problem) else ''})"
    store.warn(f"shard {store.path(key)} is not usable: {reason}; computing it again")
    return _UNUSABLE


def kept_on_worker(function: Callable[[Any], Any], shard: Any, *, store: "ShardStore", key: str, encode: Encode,
                   decode: Decode, resume: bool = False, holds: Any = None) -> Any:
    """Worker: the result of `function(shard)`, read back from `store` when `resume` finds a usable file under
    `key` (checked as map_resumable checks it), else computed and written there. For reductions, whose results
    never reach the client: the worker looks for its own shard's file."""
    holds = json.loads(json.dumps(holds))  # as read back
    if resume and store.has(key):
        result = _read_back(store, key, shard, decode, holds)
        if result is not _UNUSABLE:
            return result
    result = function(shard)
    store.write(key, encode(result), holds)
    return result


def map_resumable(executor: "Executor", function: Callable[[Any], Any], shards: Sequence[Any], *, keys: Sequence[str],
                  encode: Encode, decode: Decode, store: "ShardStore | None" = None, resume: bool = False,
                  label: str | None = None, describe: Describe | None = None) -> list[Any]:
    """`executor.map(function, shards)`, each result also written to `store` as keys[i] with `describe(shard)`
    as what it holds; with `resume` the shards already in the store are read back, not computed, once their
    files prove to hold what they should (else they are computed again, with a warning on `store.warn`).
    Results come in shard order."""
    if store is None:
        return executor.map(function, shards, label=label)
    holds = [None if describe is None else json.loads(json.dumps(describe(shard))) for shard in shards]  # as read back
    done = {}
    for i, (key, shard) in enumerate(zip(keys, shards)):
        if resume and store.has(key):
            result = _read_back(store, key, shard, decode, holds[i])
            if result is not _UNUSABLE:
                done[i] = result
    todo = [i for i in range(len(shards)) if i not in done]
    tasks = [_Kept(function, encode, str(store.directory), keys[i], shards[i], holds[i]) for i in todo]
    for i, result in zip(todo, executor.map(_compute_and_keep, tasks, label=label)):
        done[i] = result
    return [done[i] for i in range(len(shards))]


def content_key(kind: str, *parts: Any) -> str:
    """`kind-` and a hash of the parts (JSON; dataclasses as their fields) and the Calque version."""
    from pipelines.provenance import calque_version

    recipe = json.dumps([parts, calque_version()], sort_keys=True, default=_plain)
    return f"{kind}-{hashlib.sha256(recipe.encode()).hexdigest()[:32]}"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)
