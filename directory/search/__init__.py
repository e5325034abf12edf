"""Search: the query objects, the one query builder for services and meetings, and the search forms.
Imports models, vocab, places and schedules; never views or feeds.
"""
