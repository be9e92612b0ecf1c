"""The platform's create (dynamodb-image-table.ts create()), for dynamodb_fast_path.py:

    PutItem  Item of plain values, ConditionExpression attribute_not_exists(<the table's hash key>)

answered when no item has the key, by moto's own Table.put_item (its validation, its write) told to
skip the condition this layer has just decided under the item lock, and with moto's answer ({}). An
item that exists (moto's ConditionalCheckFailedException), any other condition, parameter or value,
a table with a stream, or anything Table.put_item refuses stays moto's.
"""
import re

from dynamodb_fast_values import declared_types, is_plain

_PARAMETERS = {"TableName", "Item", "ConditionExpression"}
_ABSENT = re.compile(r"attribute_not_exists\((\w+)\)")


def key_of(body, table):
    item = body.get("Item")
    if not isinstance(item, dict):
        return None
    return {name: item.get(name) for name in (table.hash_key_attr, table.range_key_attr) if name}


def answer(body, key, table, backend):
    """The answer's body, or None for moto to answer."""
    item = body["Item"]
    absent = _ABSENT.fullmatch(body.get("ConditionExpression") or "")
    if not body.keys() <= _PARAMETERS or absent is None or absent.group(1) != table.hash_key_attr:
        return None
    declared = declared_types(table)
    if not all(is_plain(v) for v in item.values()) or any(n in declared and next(iter(v)) != declared[n] for n, v in item.items()):
        return None
    if table.stream_shard is not None or backend.get_item(table.name, key) is not None:
        return None
    try:
        table.put_item(item, overwrite=True)
    except Exception:  # moto validates before it writes: its own path raises the same, and answers it
        return None
    return {}
