"""Every read model of the product, each kept by the one catch-up engine."""

from __future__ import annotations

from projections.view_tables import View
from projections.views.agreement import AgreementView
from projections.views.alerts import AlertsView
from projections.views.attention import AttentionView
from projections.views.commitments import CommitmentsView
from projections.views.deliveries import DeliveriesView
from projections.views.directory import DirectoryView
from projections.views.health import HealthView
from projections.views.proposals import ProposalsView
from projections.views.records import RecordsView
from projections.views.schedules import SchedulesView
from projections.views.timeline import TimelineView


def all_views() -> list[View]:
    """In the order the engine applies them; no view reads another's tables while handling."""
    return [
        DirectoryView(),
        AgreementView(),
        ProposalsView(),
        RecordsView(),
        CommitmentsView(),
        AlertsView(),
        TimelineView(),
        SchedulesView(),
        DeliveriesView(),
        HealthView(),
        AttentionView(),
    ]
