"""Report JSON, version 1 (INTERCHANGE.md): read with errors that name the JSON path, and write.

Reading is strict about what is wrong (a wrong type, "abc" where an amount belongs) and lenient
about what is missing (defaults) or unknown (kept in ``extra`` and written back).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.model.cells import read_number, read_target
from core.model.limits import FILE_BYTES, NESTING, LimitError, check_count, check_depth, check_text, first_excess
from core.model.model import (
    AMOUNT,
    CHOICE,
    FIGURE,
    FLAG,
    FORMS,
    LINE,
    MONTH,
    NUMBER,
    TEMPLATES,
    TEXT,
    YEAR,
    Balance,
    Expenditure,
    Funds,
    FundSource,
    Indicator,
    ManagementRow,
    NodePath,
    Printed,
    PrintedFunds,
    PrintedLevel1,
    Report,
    Section,
    Target,
    TeamMember,
    field_meta,
    field_names,
    is_year,
    path_str,
)
from core.model.numbers import NumberError, fmt_plain, parse_decimal, read_figure
from core.model.textutil import NOT_CHARACTERS, clean_line, clean_text
from core.rules.rulesets import NATIONAL, RuleSetError, ruleset_of
from core.rules.rulesets import from_data as rules_from_data
from core.rules.rulesets import to_data as rules_to_data
from core.store.fileutil import OutputError, write_text_atomic

FORMAT = "jixiao-ziping"
VERSION = 1
MAX_BYTES = FILE_BYTES
NESTING_REASON = f"内容嵌套层级过深（超过 {NESTING} 层）"
NESTING_MESSAGE = f"{NESTING_REASON}，不是报告文件"


class ReportFormatError(ValueError):
    """The JSON is not a valid report. ``path`` is the JSON path of the bad field ("" for the whole)."""

    def __init__(self, path: NodePath | str, message: str):
        self.path = path if isinstance(path, str) else path_str(path)
        self.message = message
        super().__init__(f"{self.path}：{message}" if self.path else message)


def _type_name(value: Any) -> str:
    return {dict: "对象", list: "列表", str: "文本", bool: "真假值", type(None): "空值"}.get(type(value), "数字")


def keep_unknown(value: Any, path: NodePath) -> Any:
    """The value of a key this version does not know, kept as read but for what no file can hold:
    strings lose lone surrogates and noncharacters, and nesting deeper than NESTING is refused
    (written back, it would be past what a reader accepts). Iterative: no recursion to exhaust."""
    holder = [value]
    stack: list[tuple[Any, int]] = [(holder, 0)]
    while stack:
        container, depth = stack.pop()
        if depth > NESTING:
            raise ReportFormatError(path, NESTING_MESSAGE)
        if isinstance(container, dict):
            tidy = {NOT_CHARACTERS.sub("", k) if isinstance(k, str) else k: v for k, v in container.items()}
            container.clear()
            container.update(tidy)
            keys: Any = list(container)
        else:
            keys = range(len(container))
        for key in keys:
            item = container[key]
            if isinstance(item, str):
                container[key] = NOT_CHARACTERS.sub("", item)
            elif isinstance(item, (dict, list)):
                stack.append((item, depth + 1))
    return holder[0]


class _Reader:
    def __init__(self) -> None:
        self.counts = {"indicators": 0, "narrative": 0}

    def obj(self, value: Any, path: NodePath) -> dict:
        if not isinstance(value, dict):
            raise ReportFormatError(path, f"应为对象，实为{_type_name(value)}")
        return value

    def list(self, value: Any, path: NodePath, key: str) -> list:
        """A list of the report; ``key`` names its limit (indicators and sections: all levels)."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise ReportFormatError(path, f"应为列表，实为{_type_name(value)}")
        count = len(value)
        if key in self.counts:
            self.counts[key] += count
            count = self.counts[key]
        try:
            check_count(key, count)
        except LimitError as exc:
            raise ReportFormatError(path, str(exc)) from None
        return value

    def fill(self, target: Any, data: dict, path: NodePath, skip: tuple[str, ...] = ()) -> Any:
        """Set the simple fields of a dataclass from ``data``; unknown keys go to ``extra``."""
        cls = type(target)
        names = field_names(cls)
        for key, value in data.items():
            if key in skip:
                continue
            if key not in names:
                target.extra[key] = keep_unknown(value, path + (key,))
                continue
            meta = field_meta(cls, key)
            kind = meta["kind"]
            if kind in ("list", "object"):
                continue
            setattr(target, key, self.value(kind, value, path + (key,), meta))
        return target

    def value(self, kind: str, value: Any, path: NodePath, meta: dict) -> Any:
        """A simple field's value as read from JSON, by the field's kind."""
        if kind in (LINE, TEXT, MONTH):
            return self.line(value, kind, path, meta)
        if kind in (AMOUNT, NUMBER):
            return _number(value, path)
        if kind == YEAR:
            return _year(value, path)
        if kind == CHOICE:
            return _choice(value, path, meta)
        if kind == FLAG:
            return _flag(value, path, meta)
        raise AssertionError(kind)  # pragma: no cover

    def line(self, value: Any, kind: str, path: NodePath, meta: dict) -> str:
        if value is None:
            return ""
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ReportFormatError(path, f"应为文本，实为{_type_name(value)}")
        return self.text(value, kind, path, meta.get("label", ""))

    def text(self, value: str, kind: str, path: NodePath, label: str) -> str:
        text = clean_text(value) if kind in (TEXT, FIGURE) else clean_line(value)
        try:
            check_text(text, kind)
        except LimitError as exc:
            raise ReportFormatError(path, f"{label}{exc}") from None
        return text

    def report(self, data: Any) -> Report:
        data = self.obj(data, ())
        fmt = data.get("format")
        if fmt != FORMAT:
            raise ReportFormatError("format", f"不是绩效自评报告文件（format 应为 “{FORMAT}”）")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ReportFormatError("version", "版本号无效")
        if version > VERSION:
            raise ReportFormatError("version", f"文件由更新版本的程序生成（格式版本 {version}），请升级本程序")
        report = Report()
        template = data.get("template", "blank")
        report.template = self.value(CHOICE, template, ("template",), {"choices": TEMPLATES, "label": "模板"})
        report.rules = self.rules(data.get("rules"))
        if data.get("form") is not None:
            report.form = self.value(CHOICE, data["form"], ("form",), {"choices": FORMS, "label": "打印表式"})
        if data.get("printed") is not None:
            report.printed = self.printed(self.obj(data["printed"], ("printed",)))
        for key, value in data.items():
            if key not in _TOP_KEYS:
                report.extra[key] = keep_unknown(value, (key,))
        if data.get("project") is not None:
            self.fill(report.project, self.obj(data["project"], ("project",)), ("project",))
        for i, row in enumerate(self.list(data.get("team"), ("team",), "team")):
            p = ("team", i)
            report.team.append(self.fill(TeamMember(), self.obj(row, p), p))
        if data.get("funds") is not None:
            report.funds = self.funds(self.obj(data["funds"], ("funds",)))
            if "execution_base" not in data["funds"]:  # the rule set gives the default base
                report.funds.execution_base = ruleset_of(report.rules).execution_base
        else:
            report.funds.execution_base = ruleset_of(report.rules).execution_base
        report.indicators = self.indicators(data.get("indicators"), ("indicators",), 1)
        report.narrative = self.sections(data.get("narrative"), ("narrative",), 1)
        return report

    def rules(self, value: Any):
        try:
            return rules_from_data(value)
        except RuleSetError as exc:
            raise ReportFormatError(f"rules.{exc.key}" if exc.key else "rules", exc.message) from None

    def printed(self, data: dict) -> Printed:
        base = ("printed",)
        printed = self.fill(Printed(), data, base)
        for i, row in enumerate(self.list(data.get("level1"), base + ("level1",), "level1")):
            p = base + ("level1", i)
            printed.level1.append(self.fill(PrintedLevel1(), self.obj(row, p), p))
        if data.get("funds") is not None:
            p = base + ("funds",)
            printed.funds = self.fill(PrintedFunds(), self.obj(data["funds"], p), p)
        return printed

    def funds(self, data: dict) -> Funds:
        base = ("funds",)
        funds = self.fill(Funds(), data, base)
        for i, row in enumerate(self.list(data.get("sources"), base + ("sources",), "sources")):
            p = base + ("sources", i)
            funds.sources.append(self.fill(FundSource(), self.obj(row, p), p))
        for i, row in enumerate(self.list(data.get("expenditures"), base + ("expenditures",), "expenditures")):
            p = base + ("expenditures", i)
            funds.expenditures.append(self.fill(Expenditure(), self.obj(row, p), p))
        for i, row in enumerate(self.list(data.get("management"), base + ("management",), "management")):
            p = base + ("management", i)
            funds.management.append(self.fill(ManagementRow(), self.obj(row, p), p))
        if data.get("balance") is not None:
            p = base + ("balance",)
            funds.balance = self.fill(Balance(), self.obj(data["balance"], p), p)
        return funds

    def depth(self, key: str, value: Any, path: NodePath, depth: int) -> None:
        if value:
            try:
                check_depth(key, depth)
            except LimitError as exc:
                raise ReportFormatError(path, str(exc)) from None

    def indicators(self, value: Any, path: NodePath, depth: int) -> list[Indicator]:
        self.depth("indicators", value, path, depth)
        out = []
        for i, row in enumerate(self.list(value, path, "indicators")):
            p = path + (i,)
            data = self.obj(row, p)
            node = self.fill(Indicator(), data, p, skip=("target", "actual"))
            if isinstance(data.get("target"), str):
                # As printed (INTERCHANGE "Additions"): "≥90%", "100%", "达到"; written back as the object.
                tp = p + ("target",)
                node.target = read_target(self.text(data["target"], FIGURE, tp, ""))
            elif data.get("target") is not None:
                tp = p + ("target",)
                tdata = self.obj(data["target"], tp)
                node.target = self.fill(Target(), tdata, tp, skip=("value",))
                node.target.value = self.figure(tdata.get("value"), tp + ("value",), node.target)
            node.actual = self.figure(data.get("actual"), p + ("actual",), node.target)
            node.children = self.indicators(data.get("children"), p + ("children",), depth + 1)
            out.append(node)
        return out

    def figure(self, value: Any, path: NodePath, target: Target | None) -> Decimal | str | None:
        """A target value or actual: a number for a quantitative leaf, text otherwise."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ReportFormatError(path, f"应为文本或数字，实为{_type_name(value)}")
        if isinstance(value, float):
            value = repr(value)
        if target is not None and target.quantitative:
            # A figure that is not a number is kept as written (check I08), never a refused file:
            # the window can hold one (比较 changed on a 定性 leaf), so its files must read back.
            if isinstance(value, str):
                value = self.text(value, FIGURE, path, "")
            # As printed: a sign or the unit repeated (``≥120米``, ``96%``) still means the number.
            return read_number(value, target.unit) if isinstance(value, str) else read_figure(value, target.unit)
        text = self.text(value, FIGURE, path, "") if isinstance(value, str) else str(value)
        return text or None

    def sections(self, value: Any, path: NodePath, depth: int) -> list[Section]:
        self.depth("narrative", value, path, depth)
        out = []
        for i, row in enumerate(self.list(value, path, "narrative")):
            p = path + (i,)
            data = self.obj(row, p)
            section = self.fill(Section(), data, p)
            section.children = self.sections(data.get("children"), p + ("children",), depth + 1)
            out.append(section)
        return out


def _number(value: Any, path: NodePath) -> Decimal | None:
    if isinstance(value, float):
        value = repr(value)  # JSON numbers: read by their decimal text, never as binary
    try:
        return parse_decimal(value, allow_negative=True)
    except NumberError as exc:
        raise ReportFormatError(path, f"“{value}”{exc}") from None


def _year(value: Any, path: NodePath) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = parse_decimal(value if not isinstance(value, float) else repr(value))
    except NumberError:
        number = None
    if number is None or not is_year(number):
        raise ReportFormatError(path, f"“{value}”不是有效的年度")
    return int(number)


def _choice(value: Any, path: NodePath, meta: dict) -> str:
    choices = meta["choices"]
    if value is None:
        value = ""
    if not isinstance(value, str) or value not in choices:
        allowed = "、".join(repr(c) for c in choices if c)
        raise ReportFormatError(path, f"{meta.get('label', '')}“{value}”不是可选值（可选：{allowed}）")
    return value


def _flag(value: Any, path: NodePath, meta: dict) -> bool:
    """``true``/``false``; ``null`` (like an absent key) is true, the one flag's default (``applicable``)."""
    if value is None:
        return True
    if not isinstance(value, bool):
        raise ReportFormatError(path, f"{meta.get('label', '')}应为 true 或 false，实为{_type_name(value)}")
    return value


def report_from_data(data: Any) -> Report:
    return _Reader().report(data)


def loads(text: str | bytes) -> Report:
    if len(text) > MAX_BYTES:
        raise ReportFormatError("", f"文件过大（超过 {MAX_BYTES // 1024 // 1024} MB），不是报告文件")
    try:
        # Numbers are read as exact decimals from their text, never as binary floats.
        data = json.loads(text, parse_float=Decimal, parse_constant=str)
    except RecursionError:
        raise ReportFormatError("", NESTING_MESSAGE) from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f"（第 {line} 行）" if line else ""
        raise ReportFormatError("", f"不是有效的 JSON 文件{where}") from None
    return report_from_data(data)


# --- writing ---------------------------------------------------------------------------------


_PLAIN_FIELDS: dict[tuple[type, tuple[str, ...]], tuple[tuple[str, str], ...]] = {}


def _plain_fields(cls: type, skip: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(name, kind) of the fields ``_plain`` writes, worked out once per type (every edit
    serialises a 一级 subtree for the document file, hundreds of nodes)."""
    key = (cls, skip)
    plan = _PLAIN_FIELDS.get(key)
    if plan is None:
        kinds = ((name, field_meta(cls, name)["kind"]) for name in field_names(cls) if name not in skip)
        plan = _PLAIN_FIELDS[key] = tuple((n, k) for n, k in kinds if k not in ("list", "object"))
    return plan


def _plain(obj: Any, skip: tuple[str, ...] = ()) -> dict:
    out: dict[str, Any] = {}
    for name, kind in _plain_fields(type(obj), skip):
        value = getattr(obj, name)
        if kind in (AMOUNT, NUMBER):
            out[name] = None if value is None else fmt_plain(value)
        elif kind == FLAG:
            if value is not True:  # only the exception is written (``"applicable": false``)
                out[name] = value
        else:
            out[name] = value
    out.update({k: v for k, v in obj.extra.items() if k not in out})
    return out


def _figure_out(value: Decimal | str | None) -> str | None:
    if isinstance(value, Decimal):
        return fmt_plain(value)
    return value


def _indicator(node: Indicator) -> dict:
    if node.children:
        # A parent: weight is optional (fixed when present); leaf fields are left out.
        out = {"name": node.name, **({"explanation": node.explanation} if node.explanation else {})}
        if node.weight is not None:
            out["weight"] = fmt_plain(node.weight)
        if not node.applicable:
            out["applicable"] = False
        out.update({k: v for k, v in node.extra.items() if k not in out})
        out["children"] = [_indicator(c) for c in node.children]
        return out
    out = _plain(node, skip=("actual",))
    if node.target is not None:
        t = _plain(node.target, skip=("value",))
        t["value"] = _figure_out(node.target.value)
        out["target"] = t
    out["actual"] = _figure_out(node.actual)
    return out


def _section(section: Section) -> dict:
    out = _plain(section)
    if section.children:
        out["children"] = [_section(c) for c in section.children]
    return out


def head_to_data(report: Report) -> dict:
    """The report's own keys: format, version, template, rules (left out when national, which is
    what a file without it means), form (left out when narrative, likewise), the printed figures
    of 复核 (when recorded) and unknown top-level keys."""
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "template": report.template}
    if report.rules != NATIONAL:
        data["rules"] = rules_to_data(report.rules)
    if report.form != "narrative":
        data["form"] = report.form
    if report.printed is not None:
        data["printed"] = printed_to_data(report.printed)
    data.update({k: v for k, v in report.extra.items() if k not in _TOP_KEYS})
    return data


def printed_to_data(printed: Printed) -> dict:
    out = _plain(printed)
    out["level1"] = [_plain(row) for row in printed.level1]
    out["funds"] = None if printed.funds is None else _plain(printed.funds)
    return out


def funds_to_data(funds) -> dict:
    data = {
        **_plain(funds),
        "sources": [_plain(s) for s in funds.sources],
        "expenditures": [_plain(e) for e in funds.expenditures],
        "balance": None if funds.balance is None else _plain(funds.balance),
    }
    if funds.management:  # an addition (资金管理情况): left out when empty, so such files are as before
        data["management"] = [_plain(row) for row in funds.management]
    return data


_TOP_KEYS = (
    *("format", "version", "template", "rules", "form", "printed"),
    *("project", "team", "funds", "indicators", "narrative"),
)
#: How each part of a report is written; the document file stores a report by these parts.
PART_WRITERS = {
    "project": lambda r: _plain(r.project),
    "team": lambda r: [_plain(m) for m in r.team],
    "funds": lambda r: funds_to_data(r.funds),
}
indicator_to_data = _indicator
section_to_data = _section


def report_to_data(report: Report) -> dict:
    data: dict[str, Any] = head_to_data(report)
    for key, write in PART_WRITERS.items():
        data[key] = write(report)
    data["indicators"] = [_indicator(n) for n in report.indicators]
    data["narrative"] = [_section(s) for s in report.narrative]
    data.update({k: v for k, v in report.extra.items() if k not in data})
    return data


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):  # unknown keys read with parse_float=Decimal
        return fmt_plain(value)
    raise TypeError(type(value).__name__)


def dumps(report: Report) -> str:
    return json.dumps(report_to_data(report), ensure_ascii=False, indent=2, default=_default) + "\n"


def check_writable(report: Report) -> None:
    """Refuse to write what could not be read back: the limits every reader applies (asked
    before every write; a report read or edited through the document keeps them anyway)."""
    excess = first_excess(report)
    if excess is not None:
        raise ReportFormatError(excess[0], f"{excess[1]}，写出后将无法再打开")


def write_json(path: Path | str, report: Report) -> None:
    """Write the report JSON atomically, once it is sure to be readable. Raises OutputError."""
    try:
        check_writable(report)
        text = dumps(report)
        if len(text) > MAX_BYTES or len(text.encode("utf-8")) > MAX_BYTES:
            raise ReportFormatError("", f"文件过大（超过 {MAX_BYTES // 1024 // 1024} MB），写出后将无法再打开")
    except ReportFormatError as exc:
        raise OutputError(f"无法写入 {path}：{exc}") from None
    write_text_atomic(path, text)


def dumps_compact(data: Any) -> str:
    """Compact JSON of already converted data (the document file's parts and snapshots)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_default)
