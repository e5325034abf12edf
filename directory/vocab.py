"""The controlled vocabularies: codes are stable (they appear in URLs, feeds and exports)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    hint: str = ""


def _index(terms: tuple[Term, ...]) -> dict[str, Term]:
    return {t.code: t for t in terms}


CATEGORIES = (
    Term("assessment", "Assessment", "Diagnostic evaluation and a personalised plan"),
    Term("therapy", "Talking therapies", "CBT, DBT, motivational interviewing, relapse prevention therapy"),
    Term("medication", "Medication management", "Including opioid substitution therapy (OST)"),
    Term("peer-support", "Peer support and groups", "Support groups, Dual Recovery Anonymous, lived-experience mentors"),
    Term("education", "Education and information", "Psychoeducation and family education"),
    Term("case-management", "Case management and advocacy", "Help with healthcare, housing, work and benefits"),
    Term("housing", "Housing", "Somewhere safe and stable to live"),
    Term("harm-reduction", "Harm reduction", "Safer use, needle exchange, naloxone"),
    Term("physical-health", "Physical health", "Blood-borne virus testing, nutrition, sleep"),
    Term("holistic", "Wellbeing activities", "Mindfulness, exercise, creative activities"),
    Term("crisis", "Crisis support", "Urgent help when things feel unmanageable"),
    Term("outreach", "Outreach and home visits", "Support that comes to you"),
    Term("immediate-needs", "Food, shelter and money", "Immediate needs such as food, shelter and benefits"),
    Term("families-carers", "Families and carers", "Support for the people around someone"),
    Term("community-work", "Community, learning and work", "Volunteering, training, employment"),
)

STAGES = (
    Term("engagement", "Engagement", "Building trust and meeting immediate needs"),
    Term("persuasion", "Persuasion", "Thinking about change, at your own pace"),
    Term("active-treatment", "Active treatment", "Structured treatment and support"),
    Term("relapse-prevention", "Relapse prevention", "Staying well and building a life"),
)
# The names a person uses for the four stages, shown beside the clinical names on public pages.
STAGE_PLAIN = {
    "engagement": "Getting support",
    "persuasion": "Thinking about change",
    "active-treatment": "Making changes",
    "relapse-prevention": "Staying well",
}
STAGES_PLAIN = tuple(Term(t.code, f"{STAGE_PLAIN[t.code]} ({t.label.lower()})", t.hint) for t in STAGES)

AUDIENCES = (
    Term("dual-diagnosis", "People with mental health and substance use needs"),
    Term("families", "Families and carers"),
    Term("professionals", "Professionals"),
)

DELIVERY_MODES = (
    Term("in-person", "In person"),
    Term("phone", "By phone"),
    Term("online", "Online"),
    Term("home-visits", "Home visits"),
)

REFERRAL_ROUTES = (
    Term("self", "You can refer yourself"),
    Term("gp", "Needs a GP referral"),
    Term("professional", "Needs a referral from a professional"),
)

WAIT_TIMES = (
    Term("none", "No wait"),
    Term("days", "Usually a few days"),
    Term("weeks", "Usually a few weeks"),
    Term("months", "Usually a few months"),
)

# "Spaces now": said by staff or the facilitator, with the date; older than 30 days it is unknown.
SPACES = (
    Term("yes", "Yes, there are spaces"),
    Term("waiting-list", "There is a waiting list"),
    Term("full", "Full at the moment"),
)

GROUP_TYPES = (
    Term("dra", "Dual Recovery Anonymous"),
    Term("smart", "SMART Recovery"),
    Term("family", "Family and carers' group"),
    Term("hearing-voices", "Hearing Voices group"),
    Term("mental-health-peer", "Mental health peer group"),
    Term("recovery-cafe", "Recovery café or drop-in"),
    Term("course", "Course"),
)

# Meeting Guide type codes where they exist, so feeds read well in meeting apps;
# DD and FAM are ours.
MEETING_TYPES = (
    Term("O", "Open", "Anyone may attend"),
    Term("C", "Closed", "For people who want help with their own recovery"),
    Term("D", "Discussion"),
    Term("SP", "Speaker"),
    Term("W", "Women"),
    Term("M", "Men"),
    Term("LGBTQ", "LGBTQ+"),
    Term("Y", "Young people"),
    Term("BE", "Newcomers welcome"),
    Term("X", "Wheelchair access"),
    Term("ONL", "Online"),
    Term("TC", "Temporarily closed"),
    Term("DD", "Dual recovery", "For people living with mental health and substance use needs"),
    Term("FAM", "Families and carers"),
)

ATTENDING_TYPES = (
    Term("in-person", "In person"),
    Term("online", "Online"),
    Term("hybrid", "In person and online"),
    Term("phone", "By phone"),
)

# The roles a person signs in with. Staff and administrators see and edit every listing and
# the staff pages; only administrators give the staff roles and stop accounts.
FACILITATOR, STAFF, ADMIN = "facilitator", "staff", "admin"
ROLES = (
    Term(FACILITATOR, "Group facilitator"),
    Term(STAFF, "Staff"),
    Term(ADMIN, "Administrator"),
)
ROLE_CODES = tuple(t.code for t in ROLES)
STAFF_ROLES = (STAFF, ADMIN)

CATEGORY = _index(CATEGORIES)
STAGE = _index(STAGES)
STAGE_WITH_PLAIN = _index(STAGES_PLAIN)
AUDIENCE = _index(AUDIENCES)
DELIVERY_MODE = _index(DELIVERY_MODES)
REFERRAL_ROUTE = _index(REFERRAL_ROUTES)
WAIT_TIME = _index(WAIT_TIMES)
SPACE = _index(SPACES)
GROUP_TYPE = _index(GROUP_TYPES)
MEETING_TYPE = _index(MEETING_TYPES)
ATTENDING_TYPE = _index(ATTENDING_TYPES)



@dataclass(frozen=True)
class TagKind:
    """One kind of vocabulary tag on a service, and the names it goes by."""

    code: str  # ServiceTerm.kind, and the /search parameter (?category=...)
    terms: dict[str, Term]  # the vocabulary its codes come from
    field: str  # its list of codes in the seed files and the JSON API
    query: str = ""  # the ServiceQuery attribute that filters on it; "" when searches do not


# The kinds of tag a service has: the one list search, seeding and the API work from.
TAG_KINDS = (
    TagKind("category", CATEGORY, "categories", "categories"),
    TagKind("stage", STAGE, "stages", "stages"),
    TagKind("audience", AUDIENCE, "audiences", "audiences"),
    TagKind("mode", DELIVERY_MODE, "delivery_modes", "modes"),
    TagKind("referral", REFERRAL_ROUTE, "referral_routes", "referrals"),
    TagKind("meeting_type", MEETING_TYPE, "meeting_types"),
)
# The kinds /search (and so the API) filters on.
SEARCH_KINDS = tuple(k for k in TAG_KINDS if k.query)


def label(vocab: dict[str, Term], code: str | None) -> str:
    """A label for a code, falling back to the code so an unknown value is still shown."""
    if code is None:
        return ""
    term = vocab.get(code)
    return term.label if term else code
