"""Search: the query objects, the one query builder for services and meetings, and the search forms.
Imports models, vocab, places, schedules and listings.status (what "published" means); never views or feeds.
"""
