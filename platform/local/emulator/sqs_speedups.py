"""SQS receives that cost the same whatever the queue holds, found by profiling the emulator in a backlog.

A receive scans the queue's messages (moto keeps one list), and moto made each step of the scan dear:
- every message's `visible` and `delayed` read the clock through moto.core.utils.unix_time, which
  builds two datetimes per call (about 13 µs, so 26 µs a message, on every receive and long-poll
  wake-up); time.time() is the same clock (seconds since the epoch, UTC) in well under a microsecond;
- each received message is checked against its retention period through get_queue_attributes, which
  computes *every* attribute, among them three message counts that each scan the whole queue again.
  Only MessageRetentionPeriod is read, as that method would read it.
With 500 messages queued a receive took 62 ms of the process's CPU (one thread at a time: the GIL),
0.54 ms with these two patches. In a backlog SQS itself had slowed the workers' receives to seconds
and the backlog grew (the sqs-dynamodb-impairment experiment: 2-5 s per receive, 1 image/s processed
while 10 arrived). A real SQS queue does not slow down as it grows. No answer changes; only moto's
decorator mode, which can freeze time, is not used here (this is the server).
"""
import time

import moto.sqs.models as sqs_models


_moto_unix_time = sqs_models.unix_time


def _unix_time(dt=None):
    # moto's own for a given datetime; "now" straight from the clock
    return _moto_unix_time(dt) if dt is not None else time.time()


def _unix_time_millis(dt=None):
    return _unix_time(dt) * 1000.0


sqs_models.unix_time = _unix_time
sqs_models.unix_time_millis = _unix_time_millis


def _valid_for_retention(self, queue_name, message):
    # the attribute get_queue_attributes(queue_name, ["MessageRetentionPeriod"]) returns, read alone
    retention_period = self.get_queue(queue_name).message_retention_period
    return retention_period + message.sent_timestamp / 1000 > time.time()


sqs_models.SQSBackend.is_message_valid_based_on_retention_period = _valid_for_retention
