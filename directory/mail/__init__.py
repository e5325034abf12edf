"""Mail: the outbox (a message is stored in the transaction of the change that causes it), sending it
over SMTP with Flask-Mailman or into instance/outbox/, and opting out of reminders and digests.
Imports models, clock and extensions only: accounts and listings queue their messages through it
(review reminders and the staff digest are composed in listings, which owns their rules); never views.
"""
