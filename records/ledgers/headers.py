"""Finding a legacy sheet's header row and mapping its columns to a
resource's fields (issue 15)."""


def find_header_row(sheet, kind):
    """The Excel row number of the sheet's header row, or None."""
    raise NotImplementedError


def propose_mapping(sheet, header_row, kind, template_mapping=None):
    """One resource field name (or "") per column."""
    raise NotImplementedError


def header_labels(sheet, header_row):
    """The header texts, one per column ("" for an empty header cell)."""
    raise NotImplementedError
