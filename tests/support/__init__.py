"""What the tests share and are not tests themselves: the pinned clock, test databases, factories
for rows, accounts, forms posted and commands run as a person would, servers of the tests' own
(PostgreSQL, Redis), and oracles read straight from seeds/."""
