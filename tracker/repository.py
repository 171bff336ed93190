"""The library's repository, with a cached aggregate copied while no other thread moves it.

The library fast-forwards a cached aggregate in place under a lock per aggregate, then
deep-copies it for the command after letting the lock go. Threads of one process writing to
one alliance then copied it while another was applying new events to it: "dictionary changed
size during iteration" inside deepcopy, a 500 for one command in a few dozen. Here the copy
is taken under the same lock, and so is the first reconstruction that fills the cache.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    ProjectorFunction,
    Repository,
    project_aggregate,
)


class CopyUnderLockRepository(Repository[UUID]):
    def get(
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = project_aggregate,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
    ) -> Any:
        if version is not None or not self.cache or not self.fastforward:
            return super().get(
                aggregate_id,
                version=version,
                projector_func=projector_func,
                fastforward_skipping=fastforward_skipping,
                deepcopy_from_cache=deepcopy_from_cache,
            )
        lock = self._use_fastforward_lock(aggregate_id)
        try:
            with lock:
                aggregate: Any
                try:
                    aggregate = self.cache.get(aggregate_id)
                except KeyError:
                    aggregate = self._reconstruct_aggregate(aggregate_id, None, projector_func)
                    self.cache.put(aggregate_id, aggregate)
                else:
                    newer = self.event_store.get(originator_id=aggregate_id, gt=aggregate.version)
                    aggregate = projector_func(aggregate, cast(Any, newer))
                    if aggregate is None:
                        raise AggregateNotFoundError(aggregate_id)
                if deepcopy_from_cache and self.deepcopy_from_cache:
                    aggregate = deepcopy(aggregate)
        finally:
            self._disuse_fastforward_lock(aggregate_id)
        return aggregate
