"""moto_server, with DynamoDB's item operations made atomic.

moto evaluates a ConditionExpression and then writes, with no lock between the two, while its
server handles requests on many threads: two conditional writes racing on one item can both
succeed (seen here in about 1 of 100 ten-way races). DynamoDB never allows that, and the
platform's optimistic locking relies on it, so an emulator that allows it makes chaos runs report
lost updates that AWS cannot produce. One lock around each item operation restores the guarantee.
Arguments are moto_server's own.
"""
import functools
import sys
import threading

from moto.dynamodb.models import DynamoDBBackend
from moto.server import main

# public: dynamodb_fast_reads.py reads an item and writes its answer under it, so no write is half seen
ITEM_LOCK = threading.RLock()

for _name in ("get_item", "put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item"):
    _original = getattr(DynamoDBBackend, _name)

    def _locked(self, *args, _original=_original, **kwargs):
        with ITEM_LOCK:
            return _original(self, *args, **kwargs)

    setattr(DynamoDBBackend, _name, functools.wraps(_original)(_locked))

if __name__ == "__main__":
    sys.exit(main())
