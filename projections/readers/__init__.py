"""Readers of the views, one module per concern, beside the views that write them."""
