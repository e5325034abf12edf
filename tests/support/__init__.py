"""What the tests share and are not tests themselves: the pinned clock, test databases,
factories for rows, accounts, forms posted as a browser would, and oracles read from seeds/."""
