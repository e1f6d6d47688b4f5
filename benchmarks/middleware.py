"""Server time and SQL queries of each response, in its headers, for the benchmark only."""

import time

from django.db import connections


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class ServerTiming:
    """``Server-Timing: app;dur=<ms>`` and ``X-Queries: <n>`` on every response: the time from
    the request entering the middleware to the response leaving it, and the queries it ran."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        start = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        elapsed = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = f"app;dur={elapsed:.2f}"
        response["X-Queries"] = str(counter.count)
        return response
