"""A notification service for tests: owns org.freedesktop.Notifications on the session bus it is started on, and
records every call as one JSON line in a file. The freedesktop interface's methods, as a desktop serves them.

    python notification_service.py LOG READY [--markup]

Writes READY once it owns the name; runs until killed. (Run by tests/cli/test_remind_desktop.py inside
`dbus-run-session`: a real, private session bus, not a mock of medlog's own code.)
"""
# The annotations are D-Bus signatures, which dbus-fast reads (not Python types).
# ruff: noqa: F722, F821

import asyncio
import json
import sys

from dbus_fast import BusType
from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method

NAME = "org.freedesktop.Notifications"


class Notifications(ServiceInterface):
    def __init__(self, log: str, markup: bool) -> None:
        super().__init__(NAME)
        self.log = log
        self.markup = markup
        self.next_id = 0

    def _record(self, **call: object) -> None:
        with open(self.log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(call) + "\n")

    @method(name="GetCapabilities")
    def get_capabilities(self) -> "as":
        self._record(call="GetCapabilities")
        return ["body", "actions"] + (["body-markup"] if self.markup else [])

    @method(name="GetServerInformation")
    def get_server_information(self) -> "ssss":
        return ["medlog-test", "medlog", "1", "1.2"]

    @method(name="Notify")
    def notify(self, app_name: "s", replaces_id: "u", app_icon: "s", summary: "s", body: "s",
               actions: "as", hints: "a{sv}", expire_timeout: "i") -> "u":
        self.next_id += 1
        self._record(call="Notify", id=self.next_id, app=app_name, summary=summary, body=body,
                     urgency=hints["urgency"].value if "urgency" in hints else None)
        return self.next_id

    @method(name="CloseNotification")
    def close_notification(self, notification_id: "u") -> None:
        self._record(call="CloseNotification", id=notification_id)


async def serve(log: str, ready: str, markup: bool) -> None:
    bus = await MessageBus(bus_type=BusType.SESSION).connect()
    bus.export("/org/freedesktop/Notifications", Notifications(log, markup))
    await bus.request_name(NAME)
    with open(ready, "w", encoding="utf-8") as fh:
        fh.write("ready\n")
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], sys.argv[2], "--markup" in sys.argv[3:]))
