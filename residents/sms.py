"""Sending text messages. The backend is a setting (`SHEQU_SMS_BACKEND`, a dotted path),
so production plugs in the carrier's gateway while development prints to the console
and tests keep an outbox — the same shape as Django's e-mail backends."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

outbox: list[tuple[str, str]] = []  # (phone, text) sent through the locmem backend


class BaseBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Development: the message goes to the log (and so to runserver's console)."""

    def send(self, phone: str, text: str) -> None:
        logger.warning("SMS to %s: %s", phone, text)
        print(f"[SMS → {phone}] {text}")  # noqa: T201 - the console backend's whole point


class LocmemBackend(BaseBackend):
    """Tests: messages are kept in `residents.sms.outbox`."""

    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


def get_backend() -> BaseBackend:
    return import_string(getattr(settings, "SHEQU_SMS_BACKEND", "residents.sms.ConsoleBackend"))()


def send(phone: str, text: str) -> None:
    get_backend().send(phone, text)
