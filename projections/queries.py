"""Reads of the views: the only way pages, the API and the background processes see the
read side. Every reader that serves a member takes the viewer, and every answer is already
filtered for them: an alliance they are not a member of reads as missing, and private rows
belong to their author alone. The readers live in projections/readers, one per concern;
Queries gathers them for callers that hold one object for all reads.
"""

from __future__ import annotations

from projections.readers.agreement import AgreementReader
from projections.readers.alerts import AlertReader
from projections.readers.background import BackgroundReader
from projections.readers.checkins import CheckInReader
from projections.readers.commitments import CommitmentReader
from projections.readers.directory import DirectoryReader
from projections.readers.inbox import InboxReader
from projections.readers.proposals import ProposalReader
from projections.readers.records import RecordReader
from projections.readers.timeline import TimelineReader


class Queries(
    DirectoryReader,
    AgreementReader,
    ProposalReader,
    RecordReader,
    CheckInReader,
    CommitmentReader,
    AlertReader,
    TimelineReader,
    InboxReader,
    BackgroundReader,
):
    pass
