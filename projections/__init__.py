"""The read side: the catch-up engine, the views it keeps, and the queries that read them."""
