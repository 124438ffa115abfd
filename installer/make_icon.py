"""Draw the application icon (resources/icon.png and icon.ico) from the shipped font.

Run once when the icon should change: ``.venv/bin/python installer/make_icon.py``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"


def draw(size: int = 512) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    r = size // 6
    d.rounded_rectangle((size * 0.04, size * 0.04, size * 0.96, size * 0.96), radius=r, fill=(178, 34, 34, 255))
    font = ImageFont.truetype(str(RESOURCES / "fonts" / "wqy-zenhei.ttf"), int(size * 0.56))
    d.text((size * 0.5, size * 0.47), "绩", font=font, fill=(255, 255, 255, 255), anchor="mm")
    # a tick: the sums are right
    w = max(2, size // 22)
    d.line(
        [(size * 0.60, size * 0.80), (size * 0.69, size * 0.88), (size * 0.86, size * 0.68)],
        fill=(255, 215, 0, 255),
        width=w,
        joint="curve",
    )
    return image


def main() -> None:
    big = draw(512)
    big.resize((256, 256), Image.LANCZOS).save(RESOURCES / "icon.png")
    big.save(RESOURCES / "icon.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


if __name__ == "__main__":
    main()
