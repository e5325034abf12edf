"""Our rows as HSDS 3.0 objects (UK profile). Only published services and their showable
schedules are given; confidential venues give their town only."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, url_for

from directory import clock, vocab
from directory.interop import hsds_models as m
from directory.interop.taxonomy import VOCABULARIES, Vocabulary, derived_id, terms_of
from directory.listings import capacity
from directory.models import Location, Organisation, Schedule, Service
from directory.schedules import recurrence, wording

VERSION = "3.0"
PROFILE = "https://github.com/OpenReferralUK/uk-profile"
TIMEZONE_RULE = ("Each schedule gives `timezone` (the standard's UTC offset in hours, as it is now: a clock "
                 "change moves it) and `x_iana_timezone` (the IANA zone its times are kept in). "
                 "`x_iana_timezone` wins.")
CONFIDENTIAL_NOTE = "The exact place is given when you contact the service."


def _text(value: str | None) -> str | None:
    """Empty text is absent in HSDS (an empty email or URL would not be one)."""
    return value or None


def _stamp(at: datetime) -> str:
    return at.replace(microsecond=0).isoformat() + "Z"


def taxonomy(v: Vocabulary) -> m.Taxonomy:
    return m.Taxonomy(id=v.id, name=v.name, description=v.description, version="1",
                      uri=url_for("hsds.taxonomy", object_id=v.id, _external=True))


def taxonomy_term(v: Vocabulary, term: vocab.Term) -> m.TaxonomyTerm:
    term_id = v.term_id(term.code)
    return m.TaxonomyTerm(id=term_id, code=term.code, name=term.label, description=term.hint or term.label,
                          taxonomy_id=v.id, taxonomy=v.name,
                          term_uri=url_for("hsds.taxonomy_term", object_id=term_id, _external=True))


def all_terms() -> list[m.TaxonomyTerm]:
    return [taxonomy_term(v, t) for v in VOCABULARIES for t in v.terms]


def organization_basic(o: Organisation) -> m.OrganizationBasic:
    return m.OrganizationBasic(id=o.uuid, name=o.name, description=o.description or o.name,
                               email=_text(o.email), website=_text(o.website))


def organization(o: Organisation, services: list[Service]) -> m.Organization:
    phones = [m.Phone(id=derived_id(o.uuid, "phone"), organization_id=o.uuid, number=o.phone)] if o.phone else []
    return m.Organization(**organization_basic(o).model_dump(), phones=phones,
                          services=[service_basic(s) for s in services])


def location(loc: Location) -> m.Location:
    """A venue; a confidential one is its town, with the address fields the schema requires left empty."""
    address_id = derived_id(loc.uuid, "address")
    if loc.confidential:
        return m.Location(id=loc.uuid, name=loc.town, description=CONFIDENTIAL_NOTE, addresses=[
            m.Address(id=address_id, location_id=loc.uuid, address_1="", city=loc.town, state_province="",
                      postal_code="", country="GB")])
    address = m.Address(id=address_id, location_id=loc.uuid, address_1=loc.address, city=loc.town,
                        state_province="", postal_code=loc.postcode, country="GB")
    return m.Location(id=loc.uuid, name=_text(loc.name), latitude=loc.latitude, longitude=loc.longitude,
                      addresses=[address] if loc.address or loc.postcode else [])


def utc_offset_hours(zone: str) -> float:
    offset = clock.now_in(zone).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def schedule(s: Schedule, service: Service) -> m.Schedule:
    return m.Schedule(
        id=s.uuid, service_id=service.uuid, location_id=s.location.uuid if s.location else None,
        freq=s.freq, interval=s.interval, byday=_text(s.byday),
        bymonthday=str(s.bymonthday) if s.bymonthday is not None else None,
        dtstart=s.dtstart.isoformat(), until=s.until.isoformat() if s.until else None, count=s.count,
        opens_at=s.opens_at.strftime("%H:%M"), closes_at=s.closes_at.strftime("%H:%M") if s.closes_at else None,
        timezone=utc_offset_hours(s.timezone), x_iana_timezone=s.timezone, attending_type=s.attending_type,
        description=wording.describe(s), notes=_text(s.notes),
        schedule_link=url_for("public.service", slug=service.slug, _external=True),
    )


def service_basic(s: Service) -> m.ServiceBasic:
    routes = [vocab.label(vocab.REFERRAL_ROUTE, c) for c in s.codes("referral")]
    return m.ServiceBasic(
        id=s.uuid, organization_id=s.organisation.uuid if s.organisation else None, name=s.name,
        description=_text(s.description or s.summary), url=_text(s.website), email=_text(s.email),
        application_process=_text(" ".join(p for p in (f"{'. '.join(routes)}." if routes else "", s.referral) if p)),
        fees_description=_text(s.cost) or ("Free" if s.free else None),
        wait_time=vocab.label(vocab.WAIT_TIME, s.wait) or None,
        eligibility_description=_text(s.eligibility), minimum_age=s.min_age, maximum_age=s.max_age,
        assured_date=s.last_verified_at.isoformat() if s.last_verified_at else None,
        last_modified=_stamp(max([s.updated_at, *(x.updated_at for x in s.schedules)])),
        x_spaces=(spaces := _spaces(s)), x_spaces_said_on=s.spaces_said_on.isoformat() if spaces and s.spaces_said_on else None,
    )


def _spaces(s: Service) -> str | None:
    """Spaces now, only while it is fresh (never a stale "yes")."""
    return capacity.spaces_now(s, clock.today_in(current_app.config["DEFAULT_TIMEZONE"]))


def _attributes(s: Service) -> list[m.Attribute]:
    return [
        m.Attribute(id=derived_id(s.uuid, "attribute", v.code, t.code), link_id=s.uuid, link_type="service",
                    link_entity="service", taxonomy_term_id=v.term_id(t.code), taxonomy_term=taxonomy_term(v, t),
                    value=t.code)
        for v, t in terms_of(s)
    ]


def service_at_location_basic(s: Service, loc: Location, link_id: str) -> m.ServiceAtLocationBasic:
    return m.ServiceAtLocationBasic(id=link_id, service_id=s.uuid, location_id=loc.uuid,
                                    description=f"{s.name} at {loc.town if loc.confidential else loc.public_address}")


def service(s: Service, links: dict[int, str]) -> m.Service:
    """The whole service; `links` gives each of its locations' service_at_location id."""
    phone = s.contact_phone
    cost = m.CostOption(id=derived_id(s.uuid, "cost"), service_id=s.uuid, option="Free" if s.free else "Charge",
                        currency="GBP", amount=0.0 if s.free else None, amount_description=_text(s.cost))
    return m.Service(
        **service_basic(s).model_dump(),
        organization=organization_basic(s.organisation) if s.organisation else None,
        phones=[m.Phone(id=derived_id(s.uuid, "phone"), service_id=s.uuid, number=phone)] if phone else [],
        schedules=[schedule(x, s) for x in s.schedules if recurrence.showable(x)],
        service_areas=[m.ServiceArea(id=derived_id(s.uuid, "area"), service_id=s.uuid,
                                     name=s.area_served or "United Kingdom",
                                     extent_type="national" if s.national else None)]
        if s.area_served or s.national else [],
        service_at_locations=[
            m.ServiceAtLocationInService(**service_at_location_basic(s, loc, links[loc.id]).model_dump(),
                                         location=location(loc))
            for loc in s.locations if loc.id in links
        ],
        languages=[m.Language(id=derived_id(s.uuid, "language", name), service_id=s.uuid, name=name)
                   for name in s.languages],
        cost_options=[cost],
        attributes=_attributes(s),
    )


def service_at_location(s: Service, loc: Location, links: dict[int, str]) -> m.ServiceAtLocation:
    whole = service(s, links)
    here = [x for x in whole.schedules if x.location_id in (None, loc.uuid)]
    return m.ServiceAtLocation(**service_at_location_basic(s, loc, links[loc.id]).model_dump(),
                               location=location(loc), service=whole, schedules=here)
