"""What a person asked for and what a search gives back: the objects every surface shares."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from directory.models import Service
from directory.places import geo
from directory.search.thesaurus import Words, understand

BEST, NEAREST = "best", "nearest"


@dataclass(frozen=True)
class ServiceQuery:
    """What a person asked for; the same object drives HTML, JSON, iCal and exports."""

    q: str = ""
    categories: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    referrals: tuple[str, ...] = ()
    free: bool = False
    no_abstinence: bool = False
    families_welcome: bool = False
    group_types: tuple[str, ...] = ()
    open_at: datetime | None = None  # only services whose opening hours cover this moment
    spaces_on: date | None = None  # only services that said "spaces now: yes" in the 30 days to this day
    who: str = ""
    ids: tuple[int, ...] = ()  # only these services (a person's list)
    near: tuple[float, float] | None = None  # (latitude, longitude): nearest first, within the radius
    radius_miles: float = 10
    languages: tuple[str, ...] = ()  # offered in any of these languages
    order: str = ""  # BEST or NEAREST; "" is best match with words, else nearest with a place
    any_word: bool = False  # match services with any group of the words, not all (when all finds none)

    @cached_property
    def words(self) -> Words:
        """What to look for in the words (worked out once a query)."""
        return understand(self.q)

    @property
    def by_distance(self) -> bool:
        """Nearest first: when asked, or by default when there is a place and no words."""
        return self.near is not None and (self.order == NEAREST or (self.order != BEST and not self.words))


@dataclass
class Page:
    """One page of results with what a pager needs."""

    items: list[Service]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)
    # With `near`: how far each service on this page is, and the services with no fixed place.
    distances: dict[int, Distance] = field(default_factory=dict)
    everywhere: list[Service] = field(default_factory=list)
    # No service matched all the words, so these match some of them.
    some_words: bool = False

    def __post_init__(self) -> None:
        self.pages = max(1, math.ceil(self.total / self.per_page))


@dataclass(frozen=True)
class Distance:
    """How far away a service's nearest place is."""

    miles: float
    town: str
    confidential: bool = False

    @property
    def shown_miles(self) -> float:
        """Confidential places are only ever given, and ordered, in whole miles."""
        return float(round(self.miles)) if self.confidential else self.miles

    @property
    def text(self) -> str:
        return geo.describe_miles(self.miles, rounded=self.confidential)


@dataclass(frozen=True)
class Found:
    """What the steps before the WHERE clause found, each a query of its own with Python after it:
    the services open at `open_at` (opening hours are rules, not rows) and, with `near`, those within
    the radius, nearest first (distances are measured in Python), and how well each service matches
    the words, looked up once in the index for the place step. None: that step has not run."""

    open_ids: list[int] | None = None
    nearby: dict[int, Distance] | None = None
    # With words and `near`: every service matching the words, and how well (lower is better).
    ranks: dict[int, float] | None = None


