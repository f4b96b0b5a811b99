"""Uploaded files are under their names whole or not at all (thidua.core.storage.WholeFileStorage)."""

from __future__ import annotations

import errno
import stat

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.core.storage import WholeFileStorage


class DiskFillsUp(ContentFile):
    """A file whose second chunk no longer fits on the disk."""

    def chunks(self, chunk_size=None):
        yield b"%PDF-1.4 " + b"x" * 1000
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def storage(tmp_path):
    return WholeFileStorage(location=tmp_path, file_permissions_mode=0o600)


def test_the_uploads_storage_is_this_one():
    assert isinstance(default_storage, WholeFileStorage)


def test_a_file_is_saved_whole_with_its_permissions(storage, tmp_path):
    name = storage.save("evidence/2021/07/bien-ban.pdf", SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 noi dung"))
    assert name == "evidence/2021/07/bien-ban.pdf"
    path = tmp_path / name
    assert path.read_bytes() == b"%PDF-1.4 noi dung" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["bien-ban.pdf"]  # no temporary file left


def test_a_taken_name_gets_another_and_the_first_file_is_untouched(storage, tmp_path):
    first = storage.save("plans/ke-hoach.pdf", ContentFile(b"thu nhat"))
    second = storage.save("plans/ke-hoach.pdf", ContentFile(b"thu hai"))
    assert first != second and second.startswith("plans/ke-hoach_") and second.endswith(".pdf")
    assert (tmp_path / first).read_bytes() == b"thu nhat" and (tmp_path / second).read_bytes() == b"thu hai"


def test_a_disk_that_fills_up_half_way_leaves_no_file_behind(storage, tmp_path):
    storage.save("evidence/co-tu-truoc.pdf", ContentFile(b"da co"))
    with pytest.raises(OSError) as failure:
        storage.save("evidence/minh-chung.pdf", DiskFillsUp(b"", name="minh-chung.pdf"))
    assert failure.value.errno == errno.ENOSPC
    assert sorted(p.name for p in (tmp_path / "evidence").iterdir()) == ["co-tu-truoc.pdf"]
    with pytest.raises(OSError):  # the same name again, now taken by nothing
        storage.save("evidence/co-tu-truoc.pdf", DiskFillsUp(b"", name="co-tu-truoc.pdf"))
    assert (tmp_path / "evidence" / "co-tu-truoc.pdf").read_bytes() == b"da co"
    assert sorted(p.name for p in (tmp_path / "evidence").iterdir()) == ["co-tu-truoc.pdf"]
