"""Helpers for data migrations (they receive historical models, never import
app code)."""


def copy_singleton_with_history(apps, *, source, target, fields):
    """Copy `fields` of the one-row model `source` ("app_label.Model") into the
    one-row model `target`, with the history of those fields: every historical
    row of the source in which one of them changed becomes a historical row of
    the target with the same date, user, type and reason. Used when an app
    takes its policy values over from another app's policy row."""
    Source = apps.get_model(source)
    Target = apps.get_model(target)
    current = Source.objects.filter(pk=1).first()
    if current is None:
        return
    Target.objects.update_or_create(pk=1, defaults={name: getattr(current, name) for name in fields})
    HistoricalTarget = apps.get_model(target.replace(".", ".Historical"))
    previous = None
    for row in apps.get_model(source.replace(".", ".Historical")).objects.filter(id=1).order_by("history_date"):
        values = {name: getattr(row, name) for name in fields}
        if values != previous:
            HistoricalTarget.objects.create(
                id=1,
                history_date=row.history_date,
                history_user_id=row.history_user_id,
                history_type=row.history_type,
                history_change_reason=row.history_change_reason,
                **values,
            )
            previous = values
