"""The shell around the core: settings, the wiring of the parts (bootstrap), and the
processes that run them (the command line, the scheduler, the outbox, the demo)."""
