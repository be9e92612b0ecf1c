"""The JSON answer of the lean emulator's own controls (not AWS calls): a harness reads them."""
import json


def json_answer(start_response, payload, status="200 OK", headers=()):
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *headers])
    return [body]
