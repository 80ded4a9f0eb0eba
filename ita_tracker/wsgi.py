"""WSGI entry point."""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")

application = get_wsgi_application()

# What a worker loads once and keeps for its life (Django, the app's settings, URLs and
# views: some 150,000 objects) is set aside from the garbage collector: its occasional full
# pass otherwise walks all of them, a pause of tens of milliseconds in the middle of some
# request. The pages' own objects are collected as before.
import_module(settings.ROOT_URLCONF)  # the URLs and every view
gc.freeze()
