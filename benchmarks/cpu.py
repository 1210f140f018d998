"""CPU time per request of each page that ``benchmarks/serve.py`` serves, in one process.

    WITHUS_VAR_DIR=DIR .venv/bin/python benchmarks/cpu.py [--repeat 15] [--only "people list"]
    WITHUS_VAR_DIR=DIR .venv/bin/python benchmarks/cpu.py --profile "dashboard" [--top 40]

Uses the data built in ``DIR`` (or ``DATABASE_URL``) by ``benchmarks/national.py`` and the
same sessions, token and pages as ``serve.py``, through Django's test client with
``DEBUG`` off. CPU time (``time.process_time``) is steadier than wall time on a machine
that other work shares: it counts this process only. Prints the lowest and the median of
``--repeat`` requests and the queries of one; ``--profile`` prints cProfile's busiest
functions for one page instead. Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", action="append", help="a page's name as serve.py prints it (repeatable)")
    parser.add_argument("--profile", help="a page's name: print cProfile's busiest functions for it")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key (cumulative, tottime)")
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ["WITHUS_DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from benchmarks.serve import api_token, headers_for, pages, sign_in_cookies

    cookies = sign_in_cookies()
    token = api_token()
    listed = [(name, who, path) for name, who, path in pages() if who is not None or name.startswith("API")]
    if args.profile:
        listed = [row for row in listed if row[0] == args.profile]
    elif args.only:
        listed = [row for row in listed if row[0] in args.only]
    if not listed:
        raise SystemExit("no such page")

    def client_for(who: str | None) -> tuple[Client, dict[str, str]]:
        client = Client()
        if who in cookies:
            client.cookies["sessionid"] = cookies[str(who)]
            return client, {}
        header = headers_for(who, cookies, token)
        return client, {"HTTP_AUTHORIZATION": header["Authorization"]} if header else {}

    if args.profile:
        name, who, path = listed[0]
        client, extra = client_for(who)
        for _ in range(3):
            client.get(path, **extra)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            client.get(path, **extra)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        return

    print(f"{'page':20} {'CPU ms min':>10} {'median':>8} {'queries':>8} {'KB':>6}")
    for name, who, path in listed:
        client, extra = client_for(who)
        for _ in range(2):
            response = client.get(path, **extra)
            assert response.status_code == 200, (path, response.status_code)
        queries = 0

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(path, **extra)
        spent = []
        for _ in range(args.repeat):
            start = time.process_time()
            client.get(path, **extra)
            spent.append((time.process_time() - start) * 1000)
        print(
            f"{name:20} {min(spent):10.1f} {statistics.median(spent):8.1f} {queries:8d} "
            f"{len(response.content) / 1024:6.0f}"
        )
    print(f"(database={connection.vendor}, {args.repeat} requests each, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
