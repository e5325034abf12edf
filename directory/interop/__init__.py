"""Data in and out: the demo seed loader; out, the HSDS 3.0 objects and their list queries, the
Meeting Guide feed, the /api/v1 response models and the OpenAPI description of them all.
Imports models, places, schedules, search, listings and vocab; never views.
"""
