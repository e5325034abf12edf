"""Accounts: users and roles, who may do what (auth), the audit log and the account forms.
Imports models, vocab and clock; never views.
"""
