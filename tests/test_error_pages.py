"""The error pages (templates/_error_page.html and 400/403/404/500 and the
CSRF failure): in the site's layout, in Chinese, saying what happened, the
next step and a way back; 500 renders without a request (issue 16, point 3)."""
import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from records.models import SecurityLevel
from tests.visible_text import assert_chinese_only, visible_text

pytestmark = pytest.mark.django_db

HOME_LINK = 'href="/"'


def page(response):
    return response.content.decode()


def test_an_unknown_address_says_so_in_chinese_with_the_menu_and_a_way_back(client, staff):
    client.force_login(staff)
    response = client.get("/no-such-page/", HTTP_REFERER="http://testserver/records/")
    html = page(response)
    assert response.status_code == 404
    text = visible_text(html)
    assert "无法显示此页面" in text and "此地址不存在，或其内容未向您开放。" in text
    assert "Not Found" not in html
    assert "main-nav" in html, "the page keeps the site's menu"
    assert HOME_LINK in html and "返回首页" in text
    assert 'href="http://testserver/records/"' in html and "返回上一页" in text
    assert "登录" not in text.split("接下来可以", 1)[1], "a signed-in user is not asked to sign in"
    assert_chinese_only(html, where="404")


def test_a_shared_link_to_a_record_the_reader_may_not_see_explains_in_words(client, outside_staff, filed_record):
    """R-ACCESS / R-LEND-4: the record's page is 404 to an outsider, and the page
    tells them why a link may not open and whom to ask, without saying the
    record exists."""
    record = filed_record(title="渠道定价策略会议纪要", security_level=SecurityLevel.CONFIDENTIAL)
    client.force_login(outside_staff)
    response = client.get(reverse("record_detail", args=[record.pk]))
    html = page(response)
    assert response.status_code == 404
    assert "渠道定价策略" not in html and record.archive_number not in html
    text = visible_text(html)
    assert "如果这是别人发给您的档案链接" in text and "档案管理员" in text
    assert_chinese_only(html, where="404 record")


def test_a_page_the_role_may_not_use_names_who_gives_access(client, staff):
    client.force_login(staff)
    response = client.get(reverse("receiving_queue"))
    html = page(response)
    assert response.status_code == 403
    text = visible_text(html)
    assert "您无权打开此页面" in text and "请向档案管理员申请权限" in text
    assert "403 Forbidden" not in html and "<h1>Forbidden" not in html
    assert HOME_LINK in html
    assert_chinese_only(html, where="403")


def test_a_signed_out_reader_of_an_unknown_address_gets_the_login_link_back_to_it(client):
    response = client.get("/records/no-such-thing/")
    html = page(response)
    assert response.status_code == 404
    assert f'href="{reverse("login")}?next=/records/no-such-thing/"' in html
    assert "已有账号？请" in visible_text(html)
    assert "main-nav" not in html, "no menu for someone not signed in"
    assert_chinese_only(html, where="404 signed out")


def test_the_server_error_page_renders_without_a_request_context():
    """django.views.defaults.server_error renders 500.html with no context
    at all: no user, no request, no context processors."""
    response = defaults.server_error(RequestFactory().get("/records/"))
    html = page(response)
    assert response.status_code == 500
    text = visible_text(html)
    assert "系统出现了问题" in text and "错误已被记录" in text and "系统管理员" in text
    assert "Server Error" not in html
    assert HOME_LINK in html
    assert_chinese_only(html, where="500")


def test_a_request_the_server_cannot_read_gets_the_chinese_400_page():
    response = defaults.bad_request(RequestFactory().get("/"), Exception("bad"))
    html = page(response)
    assert response.status_code == 400
    assert "系统无法识别此请求" in visible_text(html) and "Bad Request" not in html
    assert_chinese_only(html, where="400")


def test_a_form_sent_without_its_csrf_token_explains_what_to_do(staff):
    """Django's csrf_failure renders templates/403_csrf.html by its default
    name: no CSRF_FAILURE_VIEW setting needed."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(reverse("notices_read_all"))
    html = page(response)
    assert response.status_code == 403
    text = visible_text(html)
    assert "表单未能提交" in text and "刷新后重新提交表单" in text
    assert "CSRF verification failed" not in html
    assert HOME_LINK in html
    assert_chinese_only(html, where="csrf")
