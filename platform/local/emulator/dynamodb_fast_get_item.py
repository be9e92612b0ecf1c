"""The platform's GetItem (TableName, Key, ConsistentRead), for dynamodb_fast_path.py."""
from dynamodb_fast_item_json import item_json

_PARAMETERS = {"TableName", "Key", "ConsistentRead"}


def key_of(body, table):
    return body.get("Key")


def answer(body, key, table, backend):
    """The answer's body, or None for moto to answer (another parameter: moto validates or honours it)."""
    if not body.keys() <= _PARAMETERS or not isinstance(body.get("ConsistentRead", False), bool):
        return None
    item = backend.get_item(table.name, key)
    return {"Item": item_json(item)} if item else {}
