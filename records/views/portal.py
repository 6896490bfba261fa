from django.http import HttpResponse
from django.shortcuts import render

from records.selectors import newest_visible_records


def home(request):
    return render(request, "records/home.html", {"records": newest_visible_records(request.user)})


def record_list(request):
    return HttpResponse("")


def record_detail(request, pk):
    return HttpResponse("")


def attachment_download(request, pk):
    return HttpResponse("")
