"""The judged set of realistic queries, and how search is scored against it."""
