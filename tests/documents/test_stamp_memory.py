"""A big controlled document's copies are never whole in memory (R-CTRL-2):
the source is read from the storage as pypdf needs it, and each stamped
copy is written to a temporary file the caller streams and closes. The
Python heap's peak while three copies of a 200-page, 20 MB source are
stamped (tracemalloc) stays below one and a half times the source: pypdf
keeps the pages' content it has read (about the source's size), and
nothing more may be added to it. Reading the source into bytes and
building each copy in memory, as stamping once did, peaked at more than
four times the source (85 MB)."""
import gc
import io
import os
import tracemalloc

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from documents.models import CopyState
from documents.stamping import stamp_copies
from tests.documents.support import make_copy, make_document

PAGES = 200
# Bytes of incompressible content a page: the source is about 20 MB.
PAGE_BYTES = 100_000
COPIES = 3
# Peak of the Python heap allowed while stamping, as a multiple of the source's size.
PEAK_LIMIT = 1.5


def big_pdf():
    """PAGES pages, each with PAGE_BYTES of content that no compression
    shrinks (a comment of random hex) and a line of text."""
    writer = PdfWriter()
    for number in range(1, PAGES + 1):
        page = writer.add_blank_page(595, 842)
        content = DecodedStreamObject()
        noise = os.urandom(PAGE_BYTES // 2).hex().encode()
        content.set_data(b"%" + noise + f"\nBT /F1 12 Tf 72 720 Td (page {number}) Tj ET\n".encode())
        page[NameObject("/Contents")] = writer._add_object(content)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.mark.django_db
def test_r_ctrl_2_copies_of_a_big_document_are_stamped_without_holding_it_in_memory(private_storage):
    document = make_document(pages=1)
    source = big_pdf()
    source_size = len(source)
    document.source_file.delete(save=False)
    document.source_file.save(document.source_name, ContentFile(source))
    del source
    copies = [make_copy(document, state=CopyState.SIGNED) for _ in range(COPIES)]

    stamped_sizes = []
    gc.collect()
    tracemalloc.start()
    try:
        for copy, handle in stamp_copies(document, copies):
            with handle:
                assert handle.read(5) == b"%PDF-"
                stamped_sizes.append(os.fstat(handle.fileno()).st_size)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert len(stamped_sizes) == COPIES and all(size > source_size for size in stamped_sizes)
    assert peak < PEAK_LIMIT * source_size, f"peak {peak / 1e6:.1f} MB for a {source_size / 1e6:.1f} MB source"


@pytest.mark.django_db
def test_r_ctrl_2_a_stamped_copy_is_a_deleted_temporary_file_once_closed(private_storage):
    document = make_document(pages=2)
    [(copy, handle)] = stamp_copies(document, [make_copy(document, state=CopyState.SIGNED)])
    path = f"/proc/self/fd/{handle.fileno()}"
    # Anonymous: never linked into a folder, so nothing is left behind.
    assert os.readlink(path).endswith("(deleted)")
    reader = PdfReader(handle)
    assert len(reader.pages) == 2 and copy.control_number in reader.pages[0].extract_text()
    handle.close()
    assert handle.closed
