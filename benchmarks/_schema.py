"""Whether a benchmark database has the schema the models declare."""
from django.apps import apps
from django.db import connection


def missing_indexes():
    """Names of indexes the models declare that the database lacks: a
    database migrated before a migration was amended (issue 11's 0014 gained
    the counts' index after a first version) would be measured without them."""
    missing = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
            missing += [index.name for index in model._meta.indexes if index.name not in present]
    return missing
