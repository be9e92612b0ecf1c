"""moto_server for the local platform: atomic DynamoDB item operations, profiled hot spots cached, no request log.

The atomic wrapper (atomic_moto_server.py) keeps conditional writes atomic; moto_speedups.py caches
pure lookups moto repeats on every request; werkzeug's line per request is dropped (at hundreds of
requests a second it cost CPU and filled the log nobody reads unless a call fails; errors are still
logged). Arguments are moto_server's own.
"""
import sys

import atomic_moto_server  # noqa: F401  (the lock around DynamoDB's item operations)
import moto_speedups  # noqa: F401
from moto.moto_server.werkzeug_app import MotoRequestHandler
from moto.server import main

MotoRequestHandler.log_request = lambda self, code="-", size="-": None

if __name__ == "__main__":
    sys.exit(main())
