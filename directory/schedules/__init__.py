"""Schedules: recurrence and sessions (pure), limits on what a schedule may hold, schedules in words,
one-session changes and the schedule forms. Imports models, vocab, words and clock; never views, search or feeds.
"""
