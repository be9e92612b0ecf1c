"""Ends the SQS long polls waiting now: a harness control of the lean emulator, never an AWS call.

A client that dies in a long poll leaves it open in SQS (moto does as SQS does): the poll takes the
next message to arrive and hides it for its visibility timeout, though nobody will ever process it.
Inside an experiment that is a fault worth keeping (a killed worker's poll); between two runs on
one platform (a fleet relaunched for the next shrink candidate or mutant) it lets the last run's
dead workers take the next run's first messages. POST /_lean_moto/end-long-polls makes every poll
waiting at that moment return empty, with nothing received, within moments; polls started after
it wait as usual. GET /_lean_moto/long-polls counts the receives open now, so a harness can tell a
poll has reached the emulator rather than guess how long that takes.
"""
import threading

from moto.sqs.models import Queue, SQSBackend, sqs_backends
from wsgi_json import json_answer

PATH = "/_lean_moto/end-long-polls"
OPEN_PATH = "/_lean_moto/long-polls"

_generation = [0]  # bumped by each end_long_polls(); a poll belongs to the generation it started in
_lock = threading.Lock()
_open = [0]  # receives in progress (guarded by _lock)
_poll = threading.local()


class _PollEnded(Exception):
    pass


_receive_message = SQSBackend.receive_message


def _receive_message_unless_ended(self, *args, **kwargs):
    _poll.generation = _generation[0]
    with _lock:
        _open[0] += 1
    try:
        return _receive_message(self, *args, **kwargs)
    except _PollEnded:
        # moto waits only while its result is empty: nothing was received, nothing to hand back
        return []
    finally:
        _poll.generation = None
        with _lock:
            _open[0] -= 1


def _ended():
    started = getattr(_poll, "generation", None)
    return started is not None and started != _generation[0]


def _wait_for_messages_unless_ended(self, timeout):
    with self._messages_lock:
        self._messages_lock.wait_for(lambda: self.messages or _ended(), timeout=timeout)
    if _ended():
        raise _PollEnded()


SQSBackend.receive_message = _receive_message_unless_ended
Queue.wait_for_messages = _wait_for_messages_unless_ended


def end_long_polls():
    """Ends the polls waiting now; returns the number of queues whose waiters were woken."""
    with _lock:
        _generation[0] += 1
    woken = 0
    for account in sqs_backends.values():
        for backend in account.values():
            for queue in list(backend.queues.values()):
                with queue._messages_lock:
                    queue._messages_lock.notify_all()
                woken += 1
    return woken


def with_end_long_polls(app):
    """The WSGI app, plus POST /_lean_moto/end-long-polls and GET /_lean_moto/long-polls."""

    def serve(environ, start_response):
        if environ.get("PATH_INFO") == OPEN_PATH and environ.get("REQUEST_METHOD") == "GET":
            with _lock:
                open_now = _open[0]
            return json_answer(start_response, {"open": open_now})
        if environ.get("PATH_INFO") != PATH:
            return app(environ, start_response)
        if environ.get("REQUEST_METHOD") != "POST":
            return json_answer(start_response, {"error": "POST only"}, "405 Method Not Allowed", [("Allow", "POST")])
        return json_answer(start_response, {"queuesWoken": end_long_polls()})

    return serve
