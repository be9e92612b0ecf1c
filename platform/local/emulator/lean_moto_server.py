"""moto_server for the local platform: atomic DynamoDB item operations, profiled hot spots cached,
served by cheroot with keep-alive connections and a thread pool, no request log.

The atomic wrapper (atomic_moto_server.py) keeps conditional writes atomic; moto_speedups.py caches
pure lookups moto repeats on every request; dynamodb_speedups.py computes once what moto's response
serializer and update-expression validators computed per node; sqs_speedups.py keeps a receive's
cost flat as a queue grows; sqs_atomic_receive.py hands a message to one receive only;
dynamodb_fast_path.py answers the platform's plain GetItem, PutItem and UpdateItem from moto's own
tables without its request machinery; sqs_long_polls.py lets a harness end the long polls of
clients that died (POST /_lean_moto/end-long-polls). moto's own server is werkzeug's dev server, which closes
the connection after every response (werkzeug >= 2.1) and starts a thread per connection: every AWS
call then paid a new TCP connection, through Toxiproxy too (a new upstream link each). cheroot keeps
connections alive and parks idle ones in a selector, so a pool thread is busy only while a request
runs. It logs no line per request (at hundreds a second that cost CPU); errors are still logged.
Arguments: -H host, -p port (moto_server's own). LEAN_MOTO_PROFILE=<dir>: each request (HTTP parsing,
moto, the response's write) runs under its pool thread's cProfile, timed in that thread's CPU, and the threads' stats, merged, are
written to <dir>/moto-<port>.prof when the server is stopped (read them with python -m pstats).
"""
import argparse
import gc
import os
import signal
import sys

import atomic_moto_server  # noqa: F401  (the lock around DynamoDB's item operations)
import dynamodb_fast_path
import dynamodb_speedups  # noqa: F401
import moto_speedups  # noqa: F401
import sqs_speedups  # noqa: F401
import sqs_long_polls
import sqs_atomic_receive  # noqa: F401
from cheroot import wsgi
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

# An SQS long poll holds a pool thread for up to 20 s: enough threads that a burst of them (one per
# worker slot and bench client) never leaves a short call queued behind them.
POOL_THREADS = 64
# Connections waiting to be accepted: a bench or a fleet opens dozens at once when it starts.
LISTEN_BACKLOG = 128
# Seconds an idle kept-alive connection stays open (and a read waits). Longer than the SDK's gaps
# between calls, so a client seldom reuses a connection at the moment the server drops it.
IDLE_TIMEOUT_S = 60
# Connections kept alive at once. cheroot's default, 10, answers `Connection: close` once ten are open:
# the platform holds dozens (two APIs and two workers, each through Toxiproxy), so calls kept paying a
# new TCP connection, twice (client to Toxiproxy, Toxiproxy to us): node's connect() was 1.5-1.8 % of
# each API's and worker's CPU profile at 20 images/s. Bounded well below the file limit.
KEEP_ALIVE_CONNECTIONS = 512


def moto_app():
    """moto's WSGI app, built as moto.server.main builds it, plus what werkzeug's handler added."""
    app = DomainDispatcherApplication(create_backend_app)
    app.debug = True

    def with_raw_uri(environ, start_response):
        # moto matches S3 keys against the path as it arrived (RAW_URI, set by werkzeug's server):
        # cheroot names it REQUEST_URI, and without it an encoded key would be matched decoded
        environ.setdefault("RAW_URI", environ.get("REQUEST_URI", ""))
        return app(environ, start_response)

    return dynamodb_fast_path.with_fast_path(sqs_long_polls.with_end_long_polls(with_raw_uri))


_PROFILES = []


def profile_requests(out_file):
    """Every request under its pool thread's own cProfile (cProfile sees one thread), merged by dump()."""
    import cProfile
    import threading
    import time

    from cheroot.server import HTTPConnection

    local = threading.local()
    communicate = HTTPConnection.communicate

    def profiled(self):
        profile = getattr(local, "profile", None)
        if profile is None:
            profile = local.profile = cProfile.Profile(time.thread_time)  # the thread's CPU, not its waits
            _PROFILES.append(profile)
        profile.enable()
        try:
            return communicate(self)
        finally:
            profile.disable()

    HTTPConnection.communicate = profiled

    def dump():
        import pstats

        if _PROFILES:
            stats = pstats.Stats(_PROFILES[0])
            for profile in _PROFILES[1:]:
                stats.add(profile)
            stats.dump_stats(out_file)

    return dump


_on_exit = []


def exit_now(signum, frame):
    # the state is in memory, nothing to save; pool threads may sit in a 20 s long poll, so don't wait
    for hook in _on_exit:
        hook()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def keep_collections_short():
    """Bounds how long a garbage collection holds the GIL, every pool thread waiting behind it.

    moto's modules, loaded by now, never become garbage: frozen, no collection scans their ~90,000
    objects. After each full collection, what survived it (the tables' items, mostly) is frozen too,
    so the next one scans only what survived since: a full collection had to walk every item of every
    table, 120 ms at the ~20,000 items an API bench leaves, and the API's p99 at 300 req/s went from
    ~25 to 80-105 ms on it. Frozen objects are still freed by reference counting; only a cycle among
    them that later becomes garbage is never collected. Young collections keep CPython's threshold
    (700): at 50,000, each one freed ~50,000 objects left in cycles by requests, 40-170 ms apiece."""
    gc.collect()
    gc.freeze()
    gc.callbacks.append(_freeze_survivors_of_full_collections)


def _freeze_survivors_of_full_collections(phase, info):
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=int(os.environ.get("MOTO_PORT", 5000)))
    args = parser.parse_args(argv)
    # moto builds some URLs (an SQS queue's) from MOTO_PORT, as moto_server sets it
    os.environ.setdefault("MOTO_PORT", str(args.port))
    if os.environ.get("LEAN_MOTO_PROFILE"):
        _on_exit.append(profile_requests(os.path.join(os.environ["LEAN_MOTO_PROFILE"], f"moto-{args.port}.prof")))
    signal.signal(signal.SIGTERM, exit_now)
    signal.signal(signal.SIGINT, exit_now)
    server = wsgi.Server(
        (args.host, args.port),
        moto_app(),
        numthreads=POOL_THREADS,
        request_queue_size=LISTEN_BACKLOG,
        timeout=IDLE_TIMEOUT_S,
    )
    server.keep_alive_conn_limit = KEEP_ALIVE_CONNECTIONS
    keep_collections_short()
    server.prepare()  # binds: a taken port raises here ("Address already in use"), and we exit non-zero
    # the line moto-server.ts waits for, as werkzeug words it, printed only once the port is ours
    print(f" * Running on http://{args.host}:{args.port}", flush=True)
    server.serve()


if __name__ == "__main__":
    sys.exit(main())
