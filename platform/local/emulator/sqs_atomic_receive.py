"""SQS receives that hand a visible message to one receive only, as SQS does.

moto's receive_message checks that a message is visible, then marks it received, with nothing
between the two: two receives running at once (two workers' long polls woken by one SendMessage)
can both take it, and both process it. Seen as a duplicate delivery in the bench's 16 emulator
loops and in the worker spec where a second worker must never get the message the first keeps
hidden. One lock makes each receive's scan atomic; a long poll lets go of it while it waits, so a
waiting poll holds no other call up.
"""
import threading

import sqs_long_polls  # noqa: F401  (patched first: its wait must run inside ours, which lets go of the lock)
from moto.sqs.models import Queue, SQSBackend

_SCAN_LOCK = threading.Lock()
_receive_message = SQSBackend.receive_message
_wait_for_messages = Queue.wait_for_messages


def _atomic_receive_message(self, *args, **kwargs):
    with _SCAN_LOCK:
        return _receive_message(self, *args, **kwargs)


def _wait_for_messages_unlocked(self, timeout):
    # only receive_message waits, and it holds the lock
    _SCAN_LOCK.release()
    try:
        return _wait_for_messages(self, timeout)
    finally:
        _SCAN_LOCK.acquire()


SQSBackend.receive_message = _atomic_receive_message
Queue.wait_for_messages = _wait_for_messages_unlocked
