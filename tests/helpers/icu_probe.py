"""Run by tests/test_installer.py in a child process (``python icu_probe.py``): everything the
product can ask of ICU through Qt (collation, converters, case mapping by locale, time-zone names),
printed as JSON, with the ICU data library the process mapped. The test runs it with PySide6's own
data and with the bundle's trimmed data (LD_PRELOAD) and compares."""

from __future__ import annotations

import functools
import json

from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTextBoundaryFinder, QTimeZone

NAMES = [
    "张伟",
    "李娜",
    "王芳",
    "赵磊",
    "阿强",
    "欧阳修",
    "曾巩",
    "单雄信",
    "Zhang",
    "abc",
    "文件10",
    "文件9",
    "绩效",
    "自评",
]
ENCODINGS = ["GB18030", "GBK", "GB2312", "EUC-CN", "Big5", "windows-936", "cp936", "windows-1252", "ISO-8859-15"]
ENCODINGS += ["IBM437", "macintosh", "Shift_JIS", "EUC-KR", "Big5-HKSCS"]


def sorted_by(collator: QCollator, words: list[str]) -> list[str]:
    return sorted(words, key=functools.cmp_to_key(collator.compare))


def main() -> None:
    out = {}
    collator = QCollator(QLocale("zh_CN"))
    out["zh_sort"] = sorted_by(collator, NAMES)
    collator.setNumericMode(True)  # as the file dialog sorts
    out["zh_numeric"] = sorted_by(collator, NAMES)
    out["en_sort"] = sorted_by(QCollator(QLocale("en_US")), ["b", "A", "a", "B", "é", "e"])
    out["de_sort"] = sorted_by(QCollator(QLocale("de_DE")), ["ä", "a", "z", "b"])
    out["tr_upper"] = QLocale("tr_TR").toUpper("istanbul")
    out["zh_upper"] = QLocale("zh_CN").toUpper("straße")
    # A converter is valid only when ICU could open its table.
    out["codecs"] = {name: QStringDecoder(name).isValid() for name in ENCODINGS}
    out["available_codecs"] = QStringDecoder.availableCodecs()
    zone = QTimeZone(b"Asia/Shanghai")
    standard, long_name = QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName
    out["tz_zh"] = zone.displayName(standard, long_name, QLocale("zh_CN"))
    out["tz_en"] = zone.displayName(standard, long_name, QLocale("en_US"))
    finder = QTextBoundaryFinder(
        QTextBoundaryFinder.BoundaryType.Line, "项目支出绩效自评报告（2024年度），总分98.74分。"
    )
    breaks = []
    while (position := finder.toNextBoundary()) != -1:
        breaks.append(position)
    out["line_breaks"] = breaks
    with open("/proc/self/maps", encoding="utf-8") as maps:
        out["icu_data_library"] = sorted({line.split()[-1] for line in maps if "libicudata" in line})
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
