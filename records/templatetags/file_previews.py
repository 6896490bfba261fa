"""Filters of the record page's file table (records/_attachment_table.html):
whether a file opens in the browser and its type in words (records.previews)."""
from django import template

from records import previews

register = template.Library()


@register.filter
def previewable(attachment):
    return previews.is_previewable(attachment)


@register.filter
def file_type_label(attachment):
    return previews.type_label(attachment)
