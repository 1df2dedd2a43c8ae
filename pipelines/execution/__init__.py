"""Where heavy work runs: in this process, on a local Dask cluster of N processes, or on a running Dask
scheduler. Pipelines split their work into shards and call `executor.map(function, shards)`; nothing
else in Calque starts processes.

    from pipelines.execution import executor_for
    with executor_for(scheduler="tcp://10.0.0.5:8786") as executor:   # or workers=4, or neither
        parts = executor.map(score_shard, shards, label="bleu")
"""
from pipelines.execution.executors import (
    SCHEDULER_ENV,
    DaskExecutor,
    Executor,
    InProcessExecutor,
    executor_for,
)
from pipelines.execution.shards import ShardStore, shard_bounds

__all__ = ["SCHEDULER_ENV", "DaskExecutor", "Executor", "InProcessExecutor", "ShardStore", "executor_for", "shard_bounds"]
