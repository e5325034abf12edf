"""The HSDS 3.0 objects this site publishes, as pydantic models: they make the JSON and the OpenAPI
description both, so the two cannot drift. Fields we never fill are left out, not sent empty."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class HsdsModel(BaseModel):
    """Absent rather than null: the HSDS schemas type optional fields as plain strings and numbers."""

    model_config = ConfigDict(extra="forbid")

    def json_body(self) -> dict:
        return self.model_dump(mode="json", exclude_none=True)


class Taxonomy(HsdsModel):
    id: str
    name: str
    description: str
    uri: str | None = None
    version: str | None = None


class TaxonomyTerm(HsdsModel):
    id: str
    code: str
    name: str
    description: str
    taxonomy_id: str
    taxonomy: str
    term_uri: str | None = None
    language: str | None = "en"


class Attribute(HsdsModel):
    id: str
    link_id: str
    link_type: str
    link_entity: str
    taxonomy_term_id: str
    taxonomy_term: TaxonomyTerm
    value: str | None = None


class Phone(HsdsModel):
    id: str
    number: str
    service_id: str | None = None
    organization_id: str | None = None


class Language(HsdsModel):
    id: str
    service_id: str
    name: str


class CostOption(HsdsModel):
    id: str
    service_id: str
    option: str
    currency: str | None = None
    amount: float | None = None
    amount_description: str | None = None


class ServiceArea(HsdsModel):
    id: str
    service_id: str
    name: str
    extent_type: str | None = None


class Schedule(HsdsModel):
    """An HSDS schedule (RFC 5545 underneath). `timezone` is the standard's number, a UTC offset in
    hours that a clock change moves; `x_iana_timezone` is the zone the rule is kept in, and wins."""

    id: str
    service_id: str | None = None
    location_id: str | None = None
    freq: str
    interval: int
    byday: str | None = None
    bymonthday: str | None = None
    dtstart: str
    until: str | None = None
    count: int | None = None
    wkst: str = "MO"
    opens_at: str
    closes_at: str | None = None
    timezone: float
    x_iana_timezone: str = Field(description="The IANA time zone the rule's times are in; it wins over `timezone`.")
    attending_type: str
    description: str
    notes: str | None = None
    schedule_link: str | None = None


class Address(HsdsModel):
    id: str
    location_id: str
    address_1: str
    city: str
    state_province: str
    postal_code: str
    country: str
    address_type: str = "physical"


class Location(HsdsModel):
    """A venue; a confidential one gives its town only (no street, postcode or coordinates)."""

    id: str
    location_type: str = "physical"
    name: str | None = None
    description: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    addresses: list[Address] = []


class OrganizationBasic(HsdsModel):
    id: str
    name: str
    description: str
    email: str | None = None
    website: str | None = None


class Organization(OrganizationBasic):
    phones: list[Phone] = []
    services: list[ServiceBasic] = []


class ServiceBasic(HsdsModel):
    """A service's one-to-one fields: what list pages carry."""

    id: str
    organization_id: str | None = None
    name: str
    description: str | None = None
    url: str | None = None
    email: str | None = None
    status: str = "active"
    application_process: str | None = None
    fees_description: str | None = None
    wait_time: str | None = None
    eligibility_description: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    assured_date: str | None = None
    last_modified: str
    # HSDS 3.0 has no field for it (3.1 adds service.capacities): an extension, as x_iana_timezone is.
    x_spaces: str | None = Field(
        None, description="Spaces now ('yes', 'waiting-list' or 'full'), said in the last 30 days; absent when nobody knows.")
    x_spaces_said_on: str | None = Field(None, description="The day `x_spaces` was said (ISO date).")


class ServiceAtLocationBasic(HsdsModel):
    id: str
    service_id: str
    location_id: str
    description: str | None = None


class ServiceAtLocationInService(ServiceAtLocationBasic):
    location: Location


class Service(ServiceBasic):
    """A whole service: its organization, places, schedules and our vocabularies as attributes."""

    organization: OrganizationBasic | None = None
    phones: list[Phone] = []
    schedules: list[Schedule] = []
    service_areas: list[ServiceArea] = []
    service_at_locations: list[ServiceAtLocationInService] = []
    languages: list[Language] = []
    cost_options: list[CostOption] = []
    attributes: list[Attribute] = []


class ServiceAtLocation(ServiceAtLocationBasic):
    location: Location
    service: Service
    schedules: list[Schedule] = []


class Page(HsdsModel, Generic[T]):
    """The standard's Page object."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[T]


class ApiRoot(HsdsModel):
    version: str
    profile: str
    openapi_url: str
    timezone_rule: str = Field(description="Which of a schedule's two time zone fields wins.")


class Error(BaseModel):
    """A 4xx answer: what was wrong, in words."""

    status: int
    title: str
    detail: str = ""


class ErrorBody(BaseModel):
    error: Error


Organization.model_rebuild()
