"""All models, imported here so Alembic and the app see every table."""

from directory.models.audit import AuditEvent
from directory.models.feedback import Feedback
from directory.models.imports import DataSource, ImportUpload
from directory.models.location import Location, service_location
from directory.models.mail import MailOptOut, OutboxMessage, ReviewReminder
from directory.models.moderation import ChangeRequest, FacilitatorRequest
from directory.models.organisation import Organisation
from directory.models.place import GeocodeCache, Place
from directory.models.schedule import ChangeCounter, Schedule, ScheduleException, ScheduleRendering, register_listeners
from directory.models.service import Service, ServiceTerm
from directory.models.shared_list import SharedList
from directory.models.user import User, user_service

__all__ = [
    "AuditEvent",
    "ChangeCounter",
    "ChangeRequest",
    "DataSource",
    "FacilitatorRequest",
    "Feedback",
    "GeocodeCache",
    "ImportUpload",
    "Location",
    "MailOptOut",
    "Organisation",
    "OutboxMessage",
    "Place",
    "ReviewReminder",
    "Schedule",
    "ScheduleException",
    "ScheduleRendering",
    "Service",
    "ServiceTerm",
    "SharedList",
    "User",
    "register_listeners",
    "service_location",
    "user_service",
]
