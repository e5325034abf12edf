"""The role fuzzer's parts: read pages as a browser would, make hostile values, compare the database.

tests/test_fuzz_roles.py puts them together; nothing here lists the site's forms or routes,
so a new one is fuzzed without anyone remembering to add it.
"""
