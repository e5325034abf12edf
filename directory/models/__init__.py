"""All models, imported here so Alembic and the app see every table."""

from directory.models.location import Location, service_location
from directory.models.organisation import Organisation
from directory.models.place import GeocodeCache, Place
from directory.models.schedule import Schedule, ScheduleException
from directory.models.service import Service, ServiceTerm

__all__ = [
    "GeocodeCache",
    "Location",
    "Organisation",
    "Place",
    "Schedule",
    "ScheduleException",
    "Service",
    "ServiceTerm",
    "service_location",
]
