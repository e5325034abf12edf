"""Signposting: a person's list (service ids and notes only), sharing it by link and QR code, the staff
sheet. Imports models, search and schedules; never views.
"""
