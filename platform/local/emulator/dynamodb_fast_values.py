"""The attribute values dynamodb_fast_path.py's handlers write themselves (what the platform writes),
and the types the table declares for some of them."""
import re

# versions, epoch milliseconds, counts
_INTEGER = re.compile(r"-?\d{1,30}")
_MAX_STRING = 4096


def declared_types(table):
    """The table's attribute definitions (its and its indexes' keys): name -> S, N or B."""
    return {a["AttributeName"]: a["AttributeType"] for a in table.attr}


def is_plain(value):
    """A non-empty string of at most 4 KB or an integer: nothing moto could refuse or store otherwise."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    ((kind, scalar),) = value.items()
    if kind == "S":
        return isinstance(scalar, str) and 0 < len(scalar) <= _MAX_STRING
    return kind == "N" and isinstance(scalar, str) and _INTEGER.fullmatch(scalar) is not None
