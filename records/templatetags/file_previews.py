"""Filters of the record page's file table (records/_attachment_table.html):
whether a file opens in the browser and its type in words (records.previews),
and whether the reader may start its text recognition again (records.policies)."""
from django import template

from records import policies, previews

register = template.Library()


@register.filter
def previewable(attachment):
    return previews.is_previewable(attachment)


@register.filter
def file_type_label(attachment):
    return previews.type_label(attachment)


@register.filter
def may_retry_ocr(attachment, user):
    return policies.may_retry_ocr(user, attachment)
