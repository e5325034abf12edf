"""Content: the stage guide, glossary and about page, read from the YAML files beside this module.
Imports nothing of ours but vocab.
"""
