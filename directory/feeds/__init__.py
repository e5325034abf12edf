"""Feeds: pure iCal writing, the written-event cache and its database store, and feed versions.
Imports models, schedules and search; never views.
"""
