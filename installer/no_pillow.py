"""PyInstaller runtime hook: the bundle has no Pillow, and says so to the libraries that ask.

Pillow is 6 MB of the Linux bundle (its ``_imaging`` module and the JPEG, TIFF, JPEG 2000, zstd,
lzma, xcb and Xau libraries it links), and no file the product writes or reads needs it: no PDF,
workbook or Word document of ours holds a picture. Yet reportlab's ``reportlab.lib.utils`` does
``from PIL import Image`` when it loads, so without Pillow no PDF could be written at all. This
hook runs before the product and puts a ``PIL`` module whose ``Image`` is None in its place, which
is what the libraries already treat as "no Pillow":

- reportlab: ``haveImages = Image is not None`` is False; only drawing a bitmap (``drawImage``,
  ``platypus.Image``, ``ImageReader``) would need it, and nothing of ours does.
- openpyxl: ``from PIL import Image as PILImage`` gives None, and it leaves the pictures of a
  workbook being imported unread (``if not PILImage: # Pillow not installed, drop images``); the
  import reads cells only.
- pypdfium2: imports ``PIL.Image`` only in ``to_pil``; the preview and printing render to QImage.

``import PIL.Image`` still fails (this ``PIL`` is no package), as it would without Pillow.
tests/test_installer.py proves the bundled exports, an import of a workbook with a picture, the
window and printing without it.
"""

import sys
import types

_pil = types.ModuleType("PIL", "Not Pillow: the bundle leaves Pillow out (installer/no_pillow.py).")
_pil.Image = None
sys.modules["PIL"] = _pil
