"""Build `resources/icon.ico` (Windows) and `resources/icon.icns` (macOS) from `resources/icon.png`, with Qt only.

Both containers are written here by hand with PNG payloads, so neither Pillow nor Apple's `iconutil` is needed and the
same script runs on every build machine:
- ICO: ICONDIR + one ICONDIRENTRY per size, each image a PNG (Windows reads PNG entries since Vista).
- ICNS: 'icns' + total length, then one chunk per size ('ic07' 128, 'ic08' 256, 'ic09' 512, 'ic10' 1024 px), each a PNG.

Usage: `.venv/bin/python packaging/make_icons.py [SOURCE_PNG]` (build.spec calls `make_icons()` when they are missing).
"""

from __future__ import annotations

import logging
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icon.png"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = {b"ic07": 128, b"ic08": 256, b"ic09": 512, b"ic10": 1024}

log = logging.getLogger(__name__)


def png_bytes(source: Path, size: int) -> bytes:
    """`source` scaled to `size` x `size` (smooth, aspect kept), as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage

    image = QImage(str(source))
    if image.isNull():
        raise ValueError(f"{source} is not an image Qt can read")
    if image.width() != size or image.height() != size:
        image = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError(f"Qt could not encode {source} as PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file holding one PNG per size (sizes up to 256; 256 is stored as 0 in the one-byte fields)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries = b""
    payload = b""
    for size in sizes:
        data = images[size]
        side = 0 if size >= 256 else size
        # width, height, colours, reserved, planes, bits per pixel, bytes, offset
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset + len(payload))
        payload += data
    return header + entries + payload


def icns_bytes(chunks: dict[bytes, bytes]) -> bytes:
    """An ICNS file: big-endian lengths that include each 8-byte header."""
    body = b"".join(kind + struct.pack(">I", len(data) + 8) + data for kind, data in chunks.items())
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def make_icons(source: Path = SOURCE, out_dir: Path | None = None) -> tuple[Path, Path]:
    """Write icon.ico and icon.icns next to `source` (or into `out_dir`); return their paths."""
    from PySide6.QtGui import QGuiApplication

    # QImage needs a Gui application for its image plugins; offscreen works without a display (CI, SSH).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    target = out_dir or source.parent
    target.mkdir(parents=True, exist_ok=True)
    ico = target / "icon.ico"
    icns = target / "icon.icns"
    ico.write_bytes(ico_bytes({size: png_bytes(source, size) for size in ICO_SIZES}))
    icns.write_bytes(icns_bytes({kind: png_bytes(source, size) for kind, size in ICNS_TYPES.items()}))
    log.info("Wrote %s and %s from %s", ico, icns, source)
    return ico, icns


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    make_icons(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
