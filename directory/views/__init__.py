"""Blueprints: thin views that parse a form, call one function and render."""
