"""A stored item as moto's response serializer writes it (dynamodb_fast_path.py's answers)."""
import base64


def item_json(item):
    return {name: _wire(value) for name, value in item.attrs.items()}


def _wire(value):
    """A stored DynamoType: maps and lists member by member, binary base64."""
    if value.type == "M":
        return {"M": {k: _wire(v) for k, v in value.value.items()}}
    if value.type == "L":
        return {"L": [_wire(v) for v in value.value]}
    if value.type == "B" and isinstance(value.value, bytes):
        return {"B": base64.b64encode(value.value).decode("utf-8")}
    return {value.type: value.value}
