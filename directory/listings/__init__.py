"""Listings: editing a listing's details, moderation of changes and new listings, reports of a problem,
and the listing forms. Imports models, accounts, schedules and vocab; never views.
"""
