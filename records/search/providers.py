"""Text that other apps want found with a record (client names, contract
parties). records imports none of them: they register a provider here in
their AppConfig.ready(), and call records.search.index_records when
their text changes."""

_providers = []


def register_text_provider(provider):
    """`provider(record_ids) -> {record_id: [text, ...]}` for the given ids."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def provided_texts(record_ids):
    texts = {}
    for provider in _providers:
        for record_id, values in provider(record_ids).items():
            texts.setdefault(record_id, []).extend(value for value in values if value)
    return texts
