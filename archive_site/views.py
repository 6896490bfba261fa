"""Site-wide views that belong to no app."""
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
@never_cache
def health(request):
    """"ok" while the web process answers: for the proxy's or a monitor's
    health check and as the load benchmark's baseline. It reads no database
    and no session, so it says the process is up, not that the data is."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
