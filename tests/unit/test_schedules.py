"""The payment notices' digest runs once a day in the evening, Paris time (summer and winter
alike), and the local stack runs every scheduled function of the template every few seconds."""

import threading

from infra.local import template
from infra.local.schedules import Schedules, scheduled_event, scheduled_functions


def test_the_digest_is_scheduled_every_evening_in_paris_time():
    events = template.resources("AWS::Serverless::Function")["NoticesFunction"]["Events"]
    schedule = next(e["Properties"] for e in events.values() if e["Type"] == "ScheduleV2")
    assert schedule["ScheduleExpressionTimezone"] == "Europe/Paris"
    minute, hour, *_ = schedule["ScheduleExpression"].removeprefix("cron(").split()
    assert 18 <= int(hour) <= 21 and minute == "0"
    assert scheduled_functions() == {"NoticesFunction": "ScheduleV2",
                                     "ProcurationsSweepFunction": "ScheduleV2",
                                     "WalletUpdatesFunction": "ScheduleV2"}


def test_the_procurations_sweep_runs_every_night_in_paris_time():
    events = template.resources("AWS::Serverless::Function")["ProcurationsSweepFunction"][
        "Events"]
    schedule = next(e["Properties"] for e in events.values() if e["Type"] == "ScheduleV2")
    assert schedule["ScheduleExpressionTimezone"] == "Europe/Paris"
    minute, hour, *_ = schedule["ScheduleExpression"].removeprefix("cron(").split()
    assert int(hour) == 0 and int(minute) < 60


def test_the_local_stack_runs_each_scheduled_function_every_few_seconds():
    ran = threading.Event()
    events: list[dict] = []

    def invoke(event):
        events.append(event)
        ran.set()

    schedules = Schedules({"NoticesFunction": invoke}, seconds=0.05).start()
    try:
        assert ran.wait(5)
    finally:
        schedules.stop()
    assert events[0] == scheduled_event("ScheduleV2", "NoticesFunction") == {}
    assert scheduled_event("Schedule", "X")["detail-type"] == "Scheduled Event"
