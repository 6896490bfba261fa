class ChineseUnlessChosen:
    """The interface is Chinese unless the user chose English with the
    language switch: the browser's Accept-Language header is ignored, so an
    English-language browser in the department still gets 中文 by default.
    Must come before django.middleware.locale.LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
