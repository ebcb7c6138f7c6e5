"""The benchmark servers' WSGI entry: the application with "today" pinned to `BENCH_TODAY`, the seed date
(laizhou_xiaobao/bench/today.py), as the in-process measurements are. Never used outside `manage.py bench`."""

import datetime as dt
import os

from laizhou_xiaobao.bench.today import BENCH_TODAY_ENV, traveller
from laizhou_xiaobao.wsgi import application

if os.environ.get(BENCH_TODAY_ENV):
    from django.conf import settings

    traveller(dt.date.fromisoformat(os.environ[BENCH_TODAY_ENV]), settings.TIME_ZONE).start()

__all__ = ["application"]
