"""The library's repository, with a cached aggregate that no thread ever changes in place.

The library fast-forwards a cached aggregate in place under a lock per aggregate, then
deep-copies it for the command after letting the lock go. Threads of one process writing to
one alliance then copied it while another was applying new events to it: "dictionary changed
size during iteration" inside deepcopy, a 500 for one command in a few dozen. A command that
only reads (``deepcopy_from_cache=False``) held the cached instance itself, and met the same
when it read the aggregate's dictionaries while another thread fast-forwarded them.

Here the cache is copy-on-write: new events are applied to a copy, which then replaces the
cached instance, so an instance once handed out never changes. A reader takes it as it is;
a command that changes it gets a copy of its own, taken under the lock. The instance a
command saved becomes the cached one (nothing changes it after), so the commands after it
find the cache current and copy nothing more than the library did.
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
                    newer = list(
                        self.event_store.get(originator_id=aggregate_id, gt=aggregate.version)
                    )
                    if newer:
                        aggregate = projector_func(deepcopy(aggregate), cast(Any, newer))
                        if aggregate is None:
                            raise AggregateNotFoundError(aggregate_id)
                        self.cache.put(aggregate_id, aggregate)
                if deepcopy_from_cache and self.deepcopy_from_cache:
                    aggregate = deepcopy(aggregate)
        finally:
            self._disuse_fastforward_lock(aggregate_id)
        return aggregate

    def saved(self, aggregate_id: UUID, aggregate: Any) -> None:
        """The aggregate a command has just saved, which nothing changes after: cached, unless
        the cache already holds a later version (another thread saved after it)."""
        if not self.cache:
            return
        lock = self._use_fastforward_lock(aggregate_id)
        try:
            with lock:
                try:
                    cached = self.cache.get(aggregate_id)
                except KeyError:
                    cached = None
                if cached is None or cached.version < aggregate.version:
                    self.cache.put(aggregate_id, aggregate)
        finally:
            self._disuse_fastforward_lock(aggregate_id)
