"""Data in and out: the demo seed loader for now (later CSV, HSDS and Meeting Guide).
Imports models, places, schedules and vocab; never views.
"""
