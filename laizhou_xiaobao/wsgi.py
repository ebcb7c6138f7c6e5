import os

from django.core.wsgi import get_wsgi_application
from django.urls import reverse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laizhou_xiaobao.settings")
application = get_wsgi_application()

# Import every URLconf and view now, while the worker boots, rather than inside the first request it serves: a
# node added behind the load balancer (docs/operations.md「多台服务器」) answers its first requests at full speed.
reverse("login")
