from django.shortcuts import render

from records.selectors import newest_visible_records


def home(request):
    return render(request, "records/home.html", {"records": newest_visible_records(request.user)})
