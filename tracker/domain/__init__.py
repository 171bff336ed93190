"""The alliance domain: aggregates, their events, and the rules they enforce."""
