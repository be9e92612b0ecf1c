"""Pure-function caches for moto's request path, found by profiling it under the bench's load.

Each patch memoizes a function whose answer depends only on its arguments and on moto's installed
code, which does not change while the server runs, so no response changes:
- list_of_moto_modules lists moto's package directory (a listdir and ~130 stats) and runs on every
  request, under the dispatcher's global lock, while it looks up the request's backend;
- get_backend_for_host then matches the host against every backend's URL patterns;
- method_names_from_class runs inspect.getmembers on the response class for every request;
- camelcase_to_underscores converts the same few action and attribute names over and over.
"""
import functools

import moto.backends
import moto.core.responses
import moto.core.utils
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

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
