"""DynamoDB's request path made cheaper, found by profiling the DynamoDB process under bench:ceiling.

Before: 12.2 s of the process's CPU for ~650 requests; UpdateItem's validators 2.0 s of it, moto's
generic response serializer 2.5 s. Each patch computes what moto computed, once instead of per node:
- the response serializer picks every member of the output shape from the result through
  AttributePicker, which builds a context, instantiates six alias providers and transforms each
  alias (about 50 lookups per response, 90 % of the serializer's time). For a plain dict, the keys
  it tries depend only on the member's shape, its parent structure, its name and the object's type
  (dict: no Meta, class name "dict"): they are listed once per member and tried in the same order,
  with a dict's own lookup (what moto.core.utils.get_value does for a dict and a dotless key), and
  the response transformers still run on the same key path. Anything else (an object, an
  exception, another picker) takes moto's own path.
- the update-expression validators walk the tree once per processor (ten), and at every node each
  asked nodes_to_be_processed(), which builds its _processing_map() (a dict of bound methods) and a
  tuple of its keys. Every processor's map is a literal dict of node classes: the tuple is the same
  each time, so it is built once per processor class; the walk itself (order, hooks, replacement of
  processed nodes) is moto's, line for line.
No answer changes: the differential spec (dynamodb-speedups.e2e-spec.ts) sends the platform's
DynamoDB requests, errors included, to a patched and a plain moto and compares every answer.
"""
from moto.core.serialize import (
    DEFAULT_ALIAS_PROVIDERS,
    AttributePicker,
    AttributePickerContext,
    BaseJSONSerializer,
    XFormedAttributePicker,
)
from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser, Node

_MISSING = object()
_PICKERS = (AttributePicker, XFormedAttributePicker)
_get_value = BaseJSONSerializer.get_value
# (id(shape), key) -> (shape, parent, keys): shape and parent kept so a reused id never matches
_KEYS = {}
_MAX_KEYS = 4096  # moto caches its shapes: a few hundred members; the cap only bounds a surprise


def _possible_keys(picker, value, key, shape, parent):
    entry = _KEYS.get((id(shape), key))
    if entry is not None and entry[0] is shape and entry[1] is parent:
        return entry[2]
    context = AttributePickerContext(obj=value, key=key, shape=shape)
    keys = tuple(picker.get_possible_keys(context))
    if len(_KEYS) >= _MAX_KEYS:
        _KEYS.clear()
    _KEYS[(id(shape), key)] = (shape, parent, keys)
    return keys


def _picked_value(self, value, key, shape):
    picker = self._value_picker
    if type(value) is not dict or type(picker) not in _PICKERS or picker.alias_providers is not DEFAULT_ALIAS_PROVIDERS:
        return _get_value(self, value, key, shape)
    keys = _possible_keys(picker, value, key, shape, getattr(shape, "parent", None))
    if any("." in k for k in keys):  # get_value would follow a dotted key as a path
        return _get_value(self, value, key, shape)
    for possible_key in keys:
        picked = value.get(possible_key, _MISSING)
        if picked is not _MISSING:
            break
    else:
        picked = None
    if picker.response_transformers:  # AttributePicker.__call__'s own loop, on the same key path
        key_path = f"{'.'.join(self.path)}.{key}"
        for transform_path, transform in picker.response_transformers.items():
            if key_path.endswith(transform_path):
                picked = transform(picked)
                break
    return picked


BaseJSONSerializer.get_value = _picked_value

_NODE_TYPES = {}  # processor class -> nodes_to_be_processed()


def _traverse_node_recursively(self, node, child_id=-1):
    # DepthFirstTraverser.traverse_node_recursively, with the processor's node types looked up once
    if isinstance(node, Node):
        parent_node = node.parent
        if node.children is not None:
            for i, child_node in enumerate(node.children):
                self.pre_processing_of_child(node, i)
                self.traverse_node_recursively(child_node, i)
        node_types = _NODE_TYPES.get(type(self))
        if node_types is None:
            node_types = _NODE_TYPES[type(self)] = self.nodes_to_be_processed()
        if isinstance(node, node_types):
            node = self.process(node)
            node.parent = parent_node
            if parent_node:
                parent_node.children[child_id] = node
    return node


DepthFirstTraverser.traverse_node_recursively = _traverse_node_recursively
