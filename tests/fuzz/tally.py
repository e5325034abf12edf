"""How many requests the fuzzer sent to each route and how many the site refused, printed at the end.

Kept for the whole pytest run (both databases), so `make fuzz` can show what a campaign covered.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Tally:
    requests: Counter = field(default_factory=Counter)
    refused: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    others: int = 0

    def count(self, method: str, route: str, refused: bool, changed: bool = False) -> None:
        key = (route, method)
        self.requests[key] += 1
        self.refused[key] += refused
        self.changed[key] += changed

    def total(self) -> int:
        return sum(self.requests.values())

    def table(self) -> list[str]:
        """One line per route and method, then the totals."""
        width = max((len(route) for route, _ in self.requests), default=10)
        lines = [f"{'route':<{width}}  method  requests  refused  changed the database"]
        for (route, method), n in sorted(self.requests.items()):
            lines.append(f"{route:<{width}}  {method:<6}  {n:>8}  {self.refused[route, method]:>7}"
                         f"  {self.changed[route, method]:>7}")
        lines.append(f"{'all routes':<{width}}  {'':<6}  {self.total():>8}  {sum(self.refused.values()):>7}"
                     f"  {sum(self.changed.values()):>7}")
        lines.append(f"and {self.others} other requests: form pages read before filling them in, pages redirects "
                     "led to, public pages and feeds asked after accepted changes, lists filled")
        return lines


TALLY = Tally()
