"""DynamoDB's hottest calls answered without moto's request machinery, from moto's own tables.

Every API read and every poll of a journey is a GetItem, every create a PutItem, every state
transition an UpdateItem. Profiled in the DynamoDB process (cProfile, thread CPU), a GetItem went
through ~3,800 Python calls: werkzeug's dispatcher, Flask, moto's request setup (query-string and
form parsing of a JSON body), its action dispatch and its generic response serializer; the item
lookup itself is a dict access. This WSGI layer answers the platform's plain form of such a call
(dynamodb_fast_get_item.py, dynamodb_fast_put_item.py, dynamodb_fast_update_item.py) from the
backend moto's own handlers use, under the lock of its item writes (atomic_moto_server.py), and
writes the answer moto would: the same body, byte for byte, and the same headers (the differential
spec, dynamodb-speedups.e2e-spec.ts, sends both servers the same calls and compares).

A handler answers only the success it can decide exactly as moto would; anything else goes to moto
untouched, which then decides again under the same lock: another action or parameter, a failed
condition, a table or key moto would refuse (its errors are its own), a region or account moto would
resolve from elsewhere than the request's signature and access key. GET /_lean_moto/fast-answers
counts the calls answered here, per action, so a spec can tell the layer answered and did not merely
pass everything on.
"""
import binascii
import io
import json
import os
import re
import threading

import dynamodb_fast_get_item
import dynamodb_fast_put_item
import dynamodb_fast_update_item
from atomic_moto_server import ITEM_LOCK
from dynamodb_fast_values import declared_types
from moto.core.responses import BaseResponse
from moto.dynamodb.models import dynamodb_backends
from moto.iam.models import get_account_id_from, mark_account_as_visited
from moto.moto_api._internal import mock_random
from moto.settings import DISABLE_GLOBAL_CORS
from wsgi_json import json_answer

# X-Amz-Target is this prefix and the action's name
_TARGET_PREFIX = "DynamoDB_20120810."
# each: key_of(body, table) -> the item's key as the request gives it; answer(body, key, table, backend)
# -> the answer's body, or None for moto to answer, called under the item lock
_HANDLERS = {
    "GetItem": dynamodb_fast_get_item,
    "PutItem": dynamodb_fast_put_item,
    "UpdateItem": dynamodb_fast_update_item,
}
_SCALAR_KEY_TYPES = {"S", "N", "B"}
COUNT_PATH = "/_lean_moto/fast-answers"
_answered = dict.fromkeys(_HANDLERS, 0)
_lock = threading.Lock()


def with_fast_path(app):
    """`app`, with the platform's plain GetItem, PutItem and UpdateItem answered here."""

    def serve(environ, start_response):
        if environ.get("PATH_INFO") == COUNT_PATH and environ.get("REQUEST_METHOD") == "GET":
            with _lock:
                answered = dict(_answered)
            return json_answer(start_response, answered)
        target = environ.get("HTTP_X_AMZ_TARGET") or ""
        action = target[len(_TARGET_PREFIX) :] if target.startswith(_TARGET_PREFIX) else None
        handler = _HANDLERS.get(action)
        if handler is None or environ.get("REQUEST_METHOD") != "POST":
            return app(environ, start_response)
        raw = _read_body(environ)
        answer = _answer(environ, raw, handler) if raw is not None else None
        if answer is None:
            if raw is not None:
                environ["wsgi.input"] = io.BytesIO(raw)  # moto reads the body we took
            return app(environ, start_response)
        with _lock:
            _answered[action] += 1
        start_response("200 OK", answer[0])
        return [answer[1]]

    return serve


def _read_body(environ):
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None  # chunked or unknown: moto reads it
    if environ.get("HTTP_CONTENT_ENCODING"):
        return None  # moto decompresses
    return environ["wsgi.input"].read(length)


def _answer(environ, raw, handler):
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("TableName"), str):
        return None
    where = _account_and_region(environ)
    if where is None:
        return None
    account, region, access_key = where
    backend = dynamodb_backends[account][region]
    table = backend.tables.get(body["TableName"])
    if table is None:
        return None
    key = handler.key_of(body, table)
    if not _is_table_key(key, table):
        return None
    # moto's UpdateItem changes the stored item in place: a read sees it whole, a write decides and
    # writes with no other write between
    with ITEM_LOCK:
        result = handler.answer(body, key, table, backend)
    if result is None:
        return None
    # moto's request setup registers the access key's use with IAM on every call (here only for the
    # calls answered here: moto registers the others itself)
    mark_account_as_visited(account_id=account, access_key=access_key, service="dynamodb", region=region)
    payload = json.dumps(result).encode("utf-8")
    headers = [
        ("Content-Type", "application/x-amz-json-1.0"),
        ("server", "amazon.com"),
        ("x-amzn-requestid", mock_random.get_random_string(length=52)),
        ("x-amz-crc32", str(binascii.crc32(payload))),
        ("Content-Length", str(len(payload))),
    ]
    if not DISABLE_GLOBAL_CORS:
        headers.append(("Access-Control-Allow-Origin", "*"))
    return headers, payload


def _account_and_region(environ):
    """moto's own resolution (BaseResponse.get_region_from_url, get_current_account) where the request
    decides it by its signature and access key; None where something else would decide."""
    url = environ.get("HTTP_HOST", "") + environ.get("PATH_INFO", "")
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    if (
        BaseResponse.region_regex.search(url)
        or BaseResponse.region_from_useragent_regex.search(environ.get("HTTP_USER_AGENT", ""))
        or "AWS4" not in authorization
        or "MOTO_ACCOUNT_ID" in os.environ
        or "HTTP_X_MOTO_ACCOUNT_ID" in environ
    ):
        return None
    region = authorization.split(",")[0].split("/")[2]
    match = BaseResponse.access_key_regex.search(authorization)
    access_key = match.group(1) if match else "AKIAEXAMPLE"
    return get_account_id_from(access_key), region, access_key


def _is_table_key(key, table):
    """Exactly the table's key attributes, each one non-empty value of its declared type: any other key
    gets moto's validation error."""
    names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
    if not isinstance(key, dict) or sorted(key) != sorted(names):
        return False
    declared = declared_types(table)
    for name in names:
        value = key[name]
        if not isinstance(value, dict) or len(value) != 1:
            return False
        ((kind, scalar),) = value.items()
        if kind not in _SCALAR_KEY_TYPES or kind != declared.get(name) or not isinstance(scalar, str) or not scalar:
            return False
        if kind == "N" and not re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", scalar):
            return False
    return True
