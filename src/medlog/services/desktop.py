"""Desktop notifications over the D-Bus session bus (org.freedesktop.Notifications), through dbus-fast.

Imported only when a reminder is to be sent or closed: dbus-fast and asyncio cost ~110 ms, and `medlog remind`
runs every five minutes with, nearly always, nothing to send. Local IPC only: the session bus is a socket of
this user's login session; nothing leaves the machine.
"""

from __future__ import annotations

import os

from medlog.domain.errors import MedlogError
from medlog.domain.reminders import Reminder
from medlog.domain.text import neutral

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Coroutine
    from typing import Any, TypeVar

    from dbus_fast.aio import MessageBus

    T = TypeVar("T")

BUS_NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
APP = "medlog"
ANSWER_SECONDS = 10.0  # a notification service that does not answer by then is taken to be absent


class NoDesktop(MedlogError):
    """No session bus, or no notification service on it: the reminders are printed instead."""


def available(env: os._Environ[str] | dict[str, str] | None = None) -> bool:
    """A session bus is named (DBUS_SESSION_BUS_ADDRESS): without one there is no desktop to reach, and dbus-fast
    is not even imported."""
    return bool((os.environ if env is None else env).get("DBUS_SESSION_BUS_ADDRESS"))


def notify(reminders: list[Reminder]) -> dict[str, int]:
    """Each reminder as a desktop notification: key → the notification's id. NoDesktop when there is no bus or no
    notification service on it; a reminder the service refused is left out (the caller prints it instead)."""
    if not available():
        raise NoDesktop("no desktop session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
    _library()
    return _run(_notify(reminders))


def close(ids: list[tuple[str, int]]) -> list[str]:
    """Close these notifications (their doses were logged): the keys closed. NoDesktop as for notify."""
    if not available():
        raise NoDesktop("no desktop session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
    _library()
    return _run(_close(ids))


def _library() -> None:
    """dbus-fast is the `remind` extra's: without it there is no way to the desktop, and medlog says how to get one."""
    try:
        import dbus_fast  # noqa: F401
    except ImportError:
        raise NoDesktop("the desktop is reached through dbus-fast, which is not installed (pip install "
                        "'medlog[remind]')") from None


def _run(work: Coroutine[Any, Any, T]) -> T:
    import asyncio

    from dbus_fast.errors import AuthError, DBusError, InvalidAddressError

    try:
        return asyncio.run(asyncio.wait_for(work, ANSWER_SECONDS))
    except (OSError, InvalidAddressError, AuthError) as exc:
        raise NoDesktop(f"the session bus could not be reached ({type(exc).__name__}: {exc})") from None
    except DBusError as exc:
        raise NoDesktop(f"no notification service on the session bus ({exc.type})") from None
    except TimeoutError:
        raise NoDesktop(f"the notification service did not answer within {ANSWER_SECONDS:g} s") from None


async def _call(bus: MessageBus, member: str, signature: str = "", body: list | None = None) -> list[Any]:
    from dbus_fast import Message, MessageType
    from dbus_fast.errors import DBusError

    reply = await bus.call(Message(destination=BUS_NAME, path=PATH, interface=BUS_NAME, member=member,
                                   signature=signature, body=body or []))
    if reply.message_type == MessageType.ERROR:
        said = reply.body[0] if reply.body else ""
        raise DBusError(reply.error_name or "org.freedesktop.DBus.Error.Failed", said, reply)
    return reply.body


async def _notify(reminders: list[Reminder]) -> dict[str, int]:
    from dbus_fast import Variant
    from dbus_fast.aio import MessageBus
    from dbus_fast.errors import DBusError

    bus = await MessageBus().connect()
    try:
        (capabilities,) = await _call(bus, "GetCapabilities")  # also: is there a notification service at all
        markup = "body-markup" in capabilities
        out: dict[str, int] = {}
        for r in reminders:
            body = neutral(r.body)
            if markup:  # a server that reads markup would take "<" or "&" in a name as a tag
                body = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            hints = {"urgency": Variant("y", 1), "desktop-entry": Variant("s", APP)}
            try:
                (notification,) = await _call(bus, "Notify", "susssasa{sv}i",
                                              [APP, 0, "", neutral(r.title), body, [], hints, -1])
            except DBusError:
                continue  # the service refused this one: left out, so the caller prints it; the rest may still go
            out[r.key] = int(notification)
        return out
    finally:
        bus.disconnect()


async def _close(ids: list[tuple[str, int]]) -> list[str]:
    from dbus_fast.aio import MessageBus
    from dbus_fast.errors import DBusError

    bus = await MessageBus().connect()
    try:
        done = []
        for key, notification in ids:
            try:
                await _call(bus, "CloseNotification", "u", [notification])
            except DBusError as exc:
                # The spec answers a notification already gone (expired, dismissed) with an error: it is closed.
                if exc.type.endswith((".ServiceUnknown", ".NameHasNoOwner")):
                    raise
            done.append(key)
        return done
    finally:
        bus.disconnect()
