"""The uploads' storage: a file is under its name whole, or not at all.

Django's FileSystemStorage writes an upload straight into its final name; when the disk fills up half
way, the half-written file stays there, named by nothing. Here the name is claimed first (an empty file
made with ``O_EXCL``, another name found when it is taken, as Django does), the content is written beside
it and only a complete file replaces the claim (:func:`thidua.core.files.written_whole`). On failure the
claim is removed too.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_makedirs

from thidua.core.files import written_whole


class WholeFileStorage(FileSystemStorage):
    def _save(self, name, content):
        directory = os.path.dirname(self.path(name))
        if self.directory_permissions_mode is not None:  # FILE_UPLOAD_DIRECTORY_PERMISSIONS, as Django does
            safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        else:
            os.makedirs(directory, exist_ok=True)
        while True:
            try:
                os.close(os.open(self.path(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                break
            except FileExistsError:
                name = self.get_available_name(name)
        full_path = Path(self.path(name))
        # FILE_UPLOAD_PERMISSIONS (Django's default is 0o644 too)
        mode = self.file_permissions_mode if self.file_permissions_mode is not None else 0o644
        try:
            with written_whole(full_path, mode) as partial, open(partial, "wb") as handle:
                for chunk in content.chunks():
                    handle.write(chunk.encode() if isinstance(chunk, str) else chunk)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            full_path.unlink(missing_ok=True)  # the claim: no file under the name
            raise
        self._ensure_location_group_id(full_path)
        return os.path.relpath(full_path, self.location).replace("\\", "/")
