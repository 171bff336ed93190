"""What the API answers with, one module per resource. Requests are validated by the
commands' own schemas in tracker.schemas; these describe responses, for dumping and for the
OpenAPI document."""
