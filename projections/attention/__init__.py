"""The attention queue: each alliance's place by need, kept beside the views."""
