"""Pure-function caches for moto's request path, found by profiling it under the bench's load.

Each patch memoizes a function whose answer depends only on its arguments and on moto's installed
code, which does not change while the server runs, so no response changes:
- list_of_moto_modules lists moto's package directory (a listdir and ~130 stats) and runs on every
  request, under the dispatcher's global lock, while it looks up the request's backend;
- get_backend_for_host then matches the host against every backend's URL patterns;
- method_names_from_class runs inspect.getmembers on the response class for every request;
- camelcase_to_underscores converts the same few action and attribute names over and over;
- UpdateExpressionParser.make tokenizes and parses an UpdateItem's expression, twice per call (the
  response handler, then the backend): the platform sends a handful of distinct expressions, and the
  tree is only read (find_clauses) or deep-copied before use (the validator works on its own copy);
- the validator's first pass (ActionCountValidator: at most one SET, REMOVE and ADD clause) depends on
  the expression alone, yet walks the tree from every nested expression node (about 25 for the
  platform's SET lists, each three walks): it runs once per distinct expression, when it is parsed,
  and its copies are marked as passed; an expression that fails it is not marked and fails where it
  always did.
One at start-up: moto's EC2 region list (which its CloudFormation imports, on a process's first
deploy) asks a new boto3 Session for the regions of three partitions; each loads botocore's endpoint
data again (0.1-0.2 s of CPU each, per emulator process and platform start). The answer is the
installed botocore's: it is computed once.
"""
import copy
import functools

import boto3.session

import moto.backends
import moto.core.responses
import moto.core.utils
from moto.dynamodb.parsing.expressions import UpdateExpressionParser
from moto.dynamodb.parsing.validators import ActionCountValidator
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

_REGION_SESSION = boto3.session.Session()
_regions = functools.lru_cache(maxsize=64)(boto3.session.Session.get_available_regions)
boto3.session.Session.get_available_regions = lambda self, *args, **kwargs: list(_regions(_REGION_SESSION, *args, **kwargs))

_MODULES = tuple(moto.backends.list_of_moto_modules())
moto.backends.list_of_moto_modules = lambda: _MODULES

_camel = functools.lru_cache(maxsize=4096)(moto.core.utils.camelcase_to_underscores)
moto.core.utils.camelcase_to_underscores = _camel
moto.core.responses.camelcase_to_underscores = _camel

_method_names = functools.lru_cache(maxsize=1024)(moto.core.utils.method_names_from_class)
moto.core.utils.method_names_from_class = _method_names
moto.core.responses.method_names_from_class = _method_names

_backend_for_host = DomainDispatcherApplication.get_backend_for_host
_HOSTS = {}


def _cached_backend_for_host(self, host):
    # the answer depends on the host alone (static module list and URL patterns); None is not cached
    # so an unknown host keeps its original behaviour (its warning) every time
    backend = _HOSTS.get(host)
    if backend is None:
        backend = _backend_for_host(self, host)
        if backend is not None:
            _HOSTS[host] = backend
    return backend


DomainDispatcherApplication.get_backend_for_host = _cached_backend_for_host

_parse_update_expression = UpdateExpressionParser.make.__func__
_COUNTS_PASSED = "_lean_moto_action_counts_passed"  # copied along by the validator's deepcopy


def _update_expression(cls, expression_str):
    tree = _parse_update_expression(cls, expression_str)
    try:
        ActionCountValidator().traverse(copy.deepcopy(tree))
    except Exception:
        pass  # not marked: the validator checks it again, and raises there as before
    else:
        setattr(tree, _COUNTS_PASSED, True)
    return tree


# a bad expression raises, and lru_cache keeps no result for it: its error comes back every time
UpdateExpressionParser.make = classmethod(functools.lru_cache(maxsize=1024)(_update_expression))

_count_actions = ActionCountValidator.traverse


def _count_actions_unless_passed(self, node):
    return node if getattr(node, _COUNTS_PASSED, False) else _count_actions(self, node)


ActionCountValidator.traverse = _count_actions_unless_passed
