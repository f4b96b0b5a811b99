"""Photos in the iPhone camera's own format (HEIC/HEIF), kept as JPG: few of the office's computers open HEIC,
and the reward dossier's reader should not need to. Decoded by pi-heif (libheif, decoding only) through Pillow."""

from __future__ import annotations

import io
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from thidua.scoring.text import format_int, format_size_over

HEIC_EXTENSIONS = (".heic", ".heif")
# An ISO base media file opens with a "ftyp" box naming its brand: these are HEIF still images
HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"mif2", b"msf1")
# The largest iPhone photo (48 megapixels, 8064 × 6048) is 48.8 million pixels, some 300 MB of memory while it
# is turned into a JPG (decoded, then copied for Pillow): beyond that is no camera's photo, and a crafted file
# would make the server decode gigapixels before anything is refused
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 90


def is_heic(head: bytes) -> bool:
    """Whether a file's first bytes are those of a HEIF still image."""
    return head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS


def _unreadable(name: str) -> ValidationError:
    return ValidationError(f"Không đọc được ảnh HEIC «{name}» (tệp hỏng hoặc chưa tải lên hết): hãy chọn lại ảnh, "
                           "hoặc gửi ảnh JPG.")


def heic_as_jpeg(upload: UploadedFile) -> SimpleUploadedFile:
    """The photo as a JPG file named like it («IMG_4021.HEIC» → «IMG_4021.jpg»), turned upright and with its
    EXIF data (the time it was taken, among them) kept; a Vietnamese ValidationError if it cannot be read or
    the JPG is over the attachment limit."""
    import pi_heif
    from PIL import Image, ImageOps

    name = upload.name or "anh.heic"
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        heif = pi_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
        width, height = heif.size
        if width * height > MAX_PIXELS:
            raise ValidationError(f"Ảnh «{name}» quá lớn ({format_int(width)} × {format_int(height)} điểm ảnh), "
                                  f"vượt {format_int(MAX_PIXELS // 1_000_000)} triệu điểm ảnh; hãy gửi ảnh nhỏ hơn.")
        image = heif.to_pillow()
        exif = heif.info.get("exif")
        upright = ImageOps.exif_transpose(image)  # libheif turns it already; an EXIF orientation left is applied
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        out = io.BytesIO()
        options = {"exif": _upright_exif(exif)} if exif else {}
        upright.save(out, "JPEG", quality=JPEG_QUALITY, **options)
    except ValidationError:
        raise
    except (ValueError, RuntimeError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _unreadable(name) from exc
    jpeg = out.getvalue()
    limit = settings.THIDUA_MAX_ATTACHMENT_BYTES
    if len(jpeg) > limit:
        size_text, limit_text = format_size_over(len(jpeg), limit)
        raise ValidationError(f"Ảnh «{name}» khi chuyển sang JPG nặng {size_text}, vượt giới hạn {limit_text}; "
                              "hãy gửi ảnh nhỏ hơn.")
    return SimpleUploadedFile(str(PurePath(name).with_suffix(".jpg")), jpeg, content_type="image/jpeg")


def _upright_exif(raw: bytes) -> bytes:
    """The photo's EXIF data with its orientation reset: the pixels are upright now."""
    from PIL import Image

    exif = Image.Exif()
    try:
        exif.load(raw)
    except Exception:  # EXIF that Pillow cannot parse is left out rather than refusing the photo
        return b""
    exif[0x0112] = 1
    return exif.tobytes()
