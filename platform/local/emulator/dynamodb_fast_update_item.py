"""The platform's state transition (dynamodb-image-table.ts update()), for dynamodb_fast_path.py:

    UpdateExpression     SET #a = :a, #b = :b, ...
    ConditionExpression  #version = :expected AND #state IN (:from0, ...)
    ReturnValues         ALL_NEW

answered when its condition holds, with moto's own comparison (DynamoType's equality), each SET
written as moto's SetExecutor writes a top-level attribute, and moto's ALL_NEW answer. What moto
would refuse or treat otherwise is left to it: a failed condition (its error, its ALL_OLD), a missing
item (an update creates one), a key, a duplicate or an index key of the wrong type among the SETs, an
unused or missing placeholder, a value other than a plain string or number, an item near DynamoDB's
size limit, a table with a stream.
"""
import re

from dynamodb_fast_item_json import item_json
from dynamodb_fast_values import declared_types, is_plain
from moto.dynamodb.models.dynamo_type import DynamoType

_PARAMETERS = {
    "TableName",
    "Key",
    "UpdateExpression",
    "ConditionExpression",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "ReturnValues",
}
_SETS = re.compile(r"SET (#\w+ = :\w+(?:, #\w+ = :\w+)*)")
_CONDITION = re.compile(r"(#\w+) = (:\w+) AND (#\w+) IN \((:\w+(?:, :\w+)*)\)")
# far under DynamoDB's 400 KB: moto checks the size while it writes, and a write refused halfway must stay moto's
_MAX_ITEM_BYTES = 100_000


def key_of(body, table):
    return body.get("Key")


def answer(body, key, table, backend):
    """The answer's body, or None for moto to answer."""
    parsed = _parse(body, table)
    if parsed is None or table.stream_shard is not None:
        return None
    sets, (version_name, expected, state_name, allowed) = parsed
    item = backend.get_item(table.name, key)
    if item is None or item.size() > _MAX_ITEM_BYTES:
        return None
    version, state = item.attrs.get(version_name), item.attrs.get(state_name)
    if version is None or version != expected or state is None or not any(state == s for s in allowed):
        return None  # moto fails the condition (and answers with the old item if asked)
    for name, value in sets:
        item.attrs[name] = value
    return {"Attributes": item_json(item), "ConsumedCapacity": {"TableName": table.name, "CapacityUnits": 0.5}}


def _parse(body, table):
    """([(attribute, DynamoType)], (version attribute, expected, state attribute, allowed states)), or None."""
    if not body.keys() <= _PARAMETERS or body.get("ReturnValues") != "ALL_NEW":
        return None
    names, values = body.get("ExpressionAttributeNames"), body.get("ExpressionAttributeValues")
    update, condition = body.get("UpdateExpression"), body.get("ConditionExpression")
    if not all(isinstance(x, dict) for x in (names, values)) or not all(isinstance(x, str) for x in (update, condition)):
        return None
    sets, held = _SETS.fullmatch(update), _CONDITION.fullmatch(condition)
    if sets is None or held is None:
        return None
    pairs = [tuple(pair.split(" = ")) for pair in sets.group(1).split(", ")]
    allowed = held.group(4).split(", ")
    if set(names) != {n for n, _ in pairs} | {held.group(1), held.group(3)}:
        return None
    if set(values) != {v for _, v in pairs} | {held.group(2), *allowed}:
        return None
    if not all(isinstance(n, str) and n for n in names.values()) or not all(is_plain(v) for v in values.values()):
        return None
    targets = [names[n] for n, _ in pairs]
    keys = {table.hash_key_attr, table.range_key_attr}
    declared = declared_types(table)
    if len(set(targets)) != len(targets) or keys & set(targets):
        return None
    if any(names[n] in declared and next(iter(values[v])) != declared[names[n]] for n, v in pairs):
        return None
    return (
        [(names[n], DynamoType(values[v])) for n, v in pairs],
        (names[held.group(1)], DynamoType(values[held.group(2)]), names[held.group(3)], [DynamoType(values[s]) for s in allowed]),
    )

