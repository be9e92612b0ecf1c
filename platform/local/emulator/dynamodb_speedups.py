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
  tuple of its keys, then checked the node against it (moto's node classes are ABCs: abc's Python
  __instancecheck__ each time). Every processor's map is a literal dict of node classes, so whether
  a node is processed, and by which method, depends on the processor's class and the node's class
  alone: decided once per pair; the walk itself (order, hooks, replacement of processed nodes) is
  moto's, line for line.
- two of those passes (OverlappingPathsValidator, UpdateHashRangeKeyValidator) read only the parsed
  expression, its attribute names and the table's key attributes, and raise or leave every node as
  it was: once both passed for one (parsed tree, names, key attributes) they are skipped for it, as
  moto_speedups.py skips the action count; an expression they reject is never remembered.
- each UpdateItem deep-copies its parsed expression (the validator works on its own copy): ~35
  nodes, each through the pickling protocol (__reduce_ex__, copyreg). A node's __deepcopy__ now
  does what that protocol did: a new instance of its class, registered in the memo first, with a
  deep copy of its attributes.
- a ConditionExpression is lexed on every conditional write (regular expressions tried at each
  token): its tokens depend on the expression's text alone and are listed once per distinct
  expression; each parse gets fresh nodes, as the lexer made them.
- a Query on an index listed the table's items through all_items(), which sorts every item by its
  key (Python comparisons of DynamoType), then sorted the matches again by the index's keys followed
  by the table's key: a total order (the table's key is unique, items without the index's keys are
  left out), so the first sort cannot change the answer. During an index query all_items() lists the
  items unsorted, and only those whose index hash key can match (moto's loop tests each again). The
  repair sweep's query, every second per worker, cost 55 ms of CPU at 3,600 items, growing with the
  table over a run; after, ~2 ms at 900. A table query and a Scan keep moto's order.
Measured (cProfile, thread CPU, bench:ceiling's DynamoDB process): per request 16.9 ms before, 9.8 ms
after; an UpdateItem 16.8 ms -> 7.9 (its validators 7.9 -> 2.4, its expression's copy 3.4 -> 1.1),
a response's serialization 4.0 -> 1.1 ms, a condition's parse 1.1 -> 0.75 ms. bench:ceiling, the
emulator's best ops/s, five runs each, alternated: 509-586 before (one at 422), 544-717 after.
No answer changes: the differential spec (dynamodb-speedups.e2e-spec.ts) sends the platform's
DynamoDB requests, errors included, to a patched and a plain moto and compares every answer.
"""
import copy
import functools
import threading
from collections import deque

from moto.core.serialize import (
    DEFAULT_ALIAS_PROVIDERS,
    AttributePicker,
    AttributePickerContext,
    BaseJSONSerializer,
    XFormedAttributePicker,
)
from moto.dynamodb.comparisons import ConditionExpressionParser
from moto.dynamodb.models.table import Table
from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser, Node
from moto.dynamodb.parsing.validators import OverlappingPathsValidator, UpdateExpressionValidator, UpdateHashRangeKeyValidator

_MISSING = object()
_PICKERS = (AttributePicker, XFormedAttributePicker)
_get_value = BaseJSONSerializer.get_value
# (id(shape), key) -> (shape, parent, keys, dotted): shape and parent kept so a reused id never matches
_KEYS = {}
_MAX_KEYS = 4096  # moto caches its shapes: a few hundred members; the cap only bounds a surprise


def _possible_keys(picker, value, key, shape, parent):
    entry = _KEYS.get((id(shape), key))
    if entry is not None and entry[0] is shape and entry[1] is parent:
        return entry
    context = AttributePickerContext(obj=value, key=key, shape=shape)
    keys = tuple(picker.get_possible_keys(context))
    if len(_KEYS) >= _MAX_KEYS:
        _KEYS.clear()
    # get_value follows a dotted key as a path: such a member keeps moto's own lookup
    entry = _KEYS[(id(shape), key)] = (shape, parent, keys, any("." in k for k in keys))
    return entry


def _picked_value(self, value, key, shape):
    picker = self._value_picker
    if type(value) is not dict or type(picker) not in _PICKERS or picker.alias_providers is not DEFAULT_ALIAS_PROVIDERS:
        return _get_value(self, value, key, shape)
    _, _, keys, dotted = _possible_keys(picker, value, key, shape, getattr(shape, "parent", None))
    if dotted:
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

_base_process = DepthFirstTraverser.process
_IS_NODE = {}  # class -> isinstance(an instance, Node)
_PROCESSED = {}  # (processor class, node class) -> whether the processor processes that node class
_METHODS = {}  # (processor class, node class) -> the function its _processing_map() maps that class to


def _process(self, node):
    # DepthFirstTraverser.process: the first class of _processing_map() the node is an instance of
    key = (type(self), type(node))
    method = _METHODS.get(key)
    if method is None:
        for class_key, processor in self._processing_map().items():
            if isinstance(node, class_key):
                if getattr(processor, "__self__", None) is not self:
                    return processor(node)  # not one of its methods: called as moto calls it, not remembered
                method = _METHODS[key] = processor.__func__
                break
        else:
            return None
    return method(self, node)


def _traverse_node_recursively(self, node, child_id=-1):
    # DepthFirstTraverser.traverse_node_recursively, its isinstance checks and its processor lookup made once
    # per class (moto built the processor's whole map and its key tuple again at every node)
    node_class = type(node)
    is_node = _IS_NODE.get(node_class)
    if is_node is None:  # moto's node classes are ABCs: each isinstance ran abc's __instancecheck__
        is_node = _IS_NODE[node_class] = isinstance(node, Node)
    if is_node:
        parent_node = node.parent
        if node.children is not None:
            for i, child_node in enumerate(node.children):
                self.pre_processing_of_child(node, i)
                self.traverse_node_recursively(child_node, i)
        processed = _PROCESSED.get((type(self), node_class))
        if processed is None:
            processed = _PROCESSED[(type(self), node_class)] = isinstance(node, self.nodes_to_be_processed())
        if processed:
            node = _process(self, node) if type(self).process is _base_process else self.process(node)
            node.parent = parent_node
            if parent_node:
                parent_node.children[child_id] = node
    return node


DepthFirstTraverser.traverse_node_recursively = _traverse_node_recursively

_ATOMIC = frozenset((str, int, float, bool, type(None)))  # copy.deepcopy returns these as they are


def _deepcopy_node(self, memo):
    # copy.deepcopy's own result for a node (its class, a deep copy of its __dict__, registered in memo
    # before its attributes are copied, so parent links point into the copy), without the pickling
    # protocol (__reduce_ex__, copyreg) it went through for each of the ~35 nodes of a parsed SET list
    copied = self.__class__.__new__(self.__class__)
    memo[id(self)] = copied
    state = copied.__dict__
    for name, value in self.__dict__.items():
        if type(value) in _ATOMIC:
            state[name] = value
        elif type(value) is list and id(value) not in memo:
            items = memo[id(value)] = []
            items.extend(v if type(v) in _ATOMIC else copy.deepcopy(v, memo) for v in value)
            state[name] = items
        else:
            state[name] = copy.deepcopy(value, memo)
    return copied


Node.__deepcopy__ = _deepcopy_node

_lex_condition = ConditionExpressionParser._lex_condition_expression


@functools.lru_cache(maxsize=1024)
def _condition_tokens(expression):
    # the lexer reads the expression and the class's constants only; a bad expression raises and is
    # not cached, so its error comes back every time
    return tuple((n.nonterminal, n.kind, n.text, n.value) for n in _lex_condition(ConditionExpressionParser(expression, None, None)))


def _lex_condition_expression(self):
    # fresh nodes each time (each with its own empty children list), as the lexer made them
    tokens = _condition_tokens(self.condition_expression)
    return deque(self.Node(nonterminal=n, kind=k, text=t, value=v, children=[]) for n, k, t, v in tokens)


ConditionExpressionParser._lex_condition_expression = _lex_condition_expression

# Validators whose outcome depends on the parsed expression, its attribute names and the table's key
# attributes alone: each raises or hands back every node unchanged.
_FIXED_OUTCOME = (OverlappingPathsValidator, UpdateHashRangeKeyValidator)
_PASSED = {}  # (id(parsed tree), names, key attributes) -> the tree (kept: its id stays its own)
_validator_init = UpdateExpressionValidator.__init__


def _validator_init_keyed(self, expression, expression_attribute_names, *args, **kwargs):
    _validator_init(self, expression, expression_attribute_names, *args, **kwargs)
    names = None if expression_attribute_names is None else tuple(sorted(expression_attribute_names.items()))
    self._lean_moto_tree = expression  # the parse cache's tree (moto_speedups.py): the same object per expression
    self._lean_moto_key = (id(expression), names, tuple(self.table.table_key_attrs))


def _validate_skipping_passed(self):
    # Validator.validate, without the fixed-outcome passes once they passed for the same key; they are
    # remembered only when both ran without raising, so an expression that fails them fails every time
    key = getattr(self, "_lean_moto_key", None)
    passed = key is not None and _PASSED.get(key) is self._lean_moto_tree
    n = self.node_to_validate
    fixed_run = 0
    for processor in self.processors:
        if isinstance(processor, _FIXED_OUTCOME):
            if passed:
                continue
            n = processor.traverse(n)
            fixed_run += 1
            if fixed_run == len(_FIXED_OUTCOME) and key is not None:
                if len(_PASSED) >= 4096:
                    _PASSED.clear()
                _PASSED[key] = self._lean_moto_tree
        else:
            n = processor.traverse(n)
    return n


UpdateExpressionValidator.__init__ = _validator_init_keyed
UpdateExpressionValidator.validate = _validate_skipping_passed


_sorted_items = Table.all_items
_query = Table.query
_index_query = threading.local()  # the hash key conditions of the index query this thread is in


def _could_match(item, conditions):
    # what moto's loop tests (the attribute present, the same type and, for a string, value), so the
    # items left out are ones it skips; every other case is left for moto's own test
    for name, expected in conditions:
        value = item.attrs.get(name)
        if value is None or value.type != expected.type or (expected.type == "S" and value.value != expected.value):
            return False
    return True


def _all_items(self):
    conditions = getattr(_index_query, "conditions", None)
    if conditions is None:
        return _sorted_items(self)
    items = [item for hash_set in self.items.values() for item in hash_set.values()] if self.range_key_attr else self.items.values()
    return [item for item in items if _could_match(item, conditions)]


def _query_index_unsorted(self, *args, **kwargs):
    index_name = kwargs.get("index_name", args[7] if len(args) > 7 else None)
    if not index_name:
        return _query(self, *args, **kwargs)
    _index_query.conditions = tuple(kwargs.get("hash_key_conditions") or ())
    try:
        return _query(self, *args, **kwargs)
    finally:
        _index_query.conditions = None


Table.all_items = _all_items
Table.query = _query_index_unsorted
