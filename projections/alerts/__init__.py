"""Alert rules met by the views: the causes the scheduler raises alerts for."""
