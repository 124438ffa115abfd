"""The command line (INTERCHANGE.md): ``check`` (one report or many), ``export``, ``summary``,
``next`` (next year's report) and ``import`` (a filled 自评表 workbook), without a window.

Exit codes: 0 fine, 1 errors found (check), 2 FILE unreadable or invalid, 3 an output could not
be written. Errors are one Chinese sentence on stderr naming the file; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from core.document import Document
from core.export.forms import FormNameError, form_names
from core.model.model import FORMS, TEMPLATES
from core.model.numbers import fmt2
from core.rules.checks import ERROR, SEVERITY_LABELS
from core.rules.next_year import next_year
from core.rules.rulesets import label_of
from core.rules.summary import cap_text, left_out_text, totals_json
from core.store.batch import load_many
from core.store.fileutil import OutputError
from core.store.jsonio import write_json
from core.store.loading import load_report
from core.store.storage_format import LoadError, write_new_document

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_OUTPUT = 0, 1, 2, 3


_ARGPARSE_MESSAGES = (  # argparse's own sentences, in the user's language
    (re.compile(r"the following arguments are required: (.+)"), "缺少参数：{0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (\S+): invalid choice: '?([^' ]+)'? \(choose from (.+)\)"), "无效的命令“{1}”（可选：{2}）"),
    (re.compile(r"argument (\S+): expected one argument"), "{0} 后面需要一个文件名"),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and exit 2
        for pattern, chinese in _ARGPARSE_MESSAGES:
            match = pattern.search(message)
            if match:
                message = chinese.format(*match.groups())
                break
        self.print_usage(sys.stderr)
        print(f"{self.prog}：参数有误：{message}", file=sys.stderr)
        sys.exit(EXIT_INPUT)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="main.py", description="绩效自评助手：项目支出绩效自评报告的检查与导出。不带参数运行时打开窗口。"
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="检查报告，列出错误、警告和合计（可一次检查多份）")
    check.add_argument(
        "files", nargs="+", metavar="FILE_OR_DIR", help="报告文件（.jxzp 文档或 .json），或其所在文件夹；可给多个"
    )
    check.add_argument("--json", action="store_true", help="以 JSON 输出检查结果（多份时每行一个对象）")
    summary = sub.add_parser("summary", help="多份报告的汇总表（Excel）")
    summary.add_argument(
        "files", nargs="+", metavar="FILE_OR_DIR", help="报告文件（.jxzp 文档或 .json），或其所在文件夹；可给多个"
    )
    summary.add_argument("--xlsx", metavar="OUT", required=True, help="汇总表写到哪里（.xlsx）")
    nxt = sub.add_parser("next", help="以此报告为基础新建下一年度的报告")
    nxt.add_argument("file", metavar="FILE", help="本年度的报告文件（.jxzp 文档或 .json）")
    nxt.add_argument("--save", metavar="OUT", help="下一年度的报告写为绩效自评文档（.jxzp）")
    nxt.add_argument("--json", metavar="OUT", help="下一年度的报告写为报告 JSON")
    imp = sub.add_parser("import", help="导入填好的 Excel 自评表（本程序导出的，或财政部/四类评价表式样手工填写的）")
    imp.add_argument("file", metavar="TABLE.xlsx", help="填好的自评表工作簿（.xlsx）")
    imp.add_argument("--json", metavar="OUT", help="导入的报告写为报告 JSON")
    imp.add_argument("--save", metavar="OUT", help="导入的报告写为绩效自评文档（.jxzp）")
    export = sub.add_parser("export", help="导出报告")
    export.add_argument("file", metavar="FILE", help="报告文件（.jxzp 文档或 .json）")
    for option, help_text in EXPORTS.items():
        export.add_argument(f"--{option}", metavar="OUT", help=help_text)
    export.add_argument(
        "--form",
        metavar="NAME",
        help="打印哪种表式（默认为报告所设的表式）：" + "、".join(FORMS) + "；多种用逗号隔开，印在同一份 PDF 中",
    )
    return parser


def _export_json(doc: Document, out: Path) -> None:
    write_json(out, doc.report)


def _export_save(doc: Document, out: Path) -> None:
    write_new_document(out, doc.report)


def _export_xlsx(doc: Document, out: Path, forms: list[str] | None = None) -> list[str]:
    from core.export.forms.workbook import export_form_xlsx

    return export_form_xlsx(doc.report, out, doc.totals, forms)


def _export_pdf(doc: Document, out: Path, forms: list[str] | None = None) -> list[str]:
    from core.export.pdf import export_pdf

    return export_pdf(doc.report, out, doc.totals, forms)


def _export_docx(doc: Document, out: Path) -> list[str]:
    from core.export.docx import export_docx

    return export_docx(doc.report, out, doc.totals)


#: The export options on offer: option → help. Writers are looked up in _WRITERS; a writer may
#: return warnings (printed to stderr; the export still succeeds).
EXPORTS = {
    "xlsx": "导出 Excel 自评表（自评表、指标评分表、资金明细）",
    "pdf": "导出 PDF 报告（可打印、签字、盖章）",
    "docx": "导出 Word 报告（.docx，可编辑）",
    "json": "写出报告 JSON",
    "save": "写出绩效自评文档（.jxzp）",
}
NEXT_OUTPUTS = ("save", "json")  # what ``next`` writes: the new report, nothing printed
_WRITERS = {"xlsx": _export_xlsx, "pdf": _export_pdf, "docx": _export_docx, "json": _export_json, "save": _export_save}
_FORM_WRITERS = ("xlsx", "pdf")  # the writers that print forms (--form)


def _glyph_findings(doc: Document) -> list:
    """T01: characters no PDF font can print (not part of the live checks: it needs the fonts)."""
    from core.export.glyphs import check_glyphs

    return check_glyphs(doc.report)


def _print_check(doc: Document, source: Path, findings: list) -> None:
    totals = doc.totals
    p = doc.report.project
    title = p.name or source.name
    print(
        f"{title}（{p.year or '年度未填'}）  模板：{TEMPLATES.get(doc.report.template)}  "
        f"评分规则：{label_of(doc.report.rules)}"
    )
    f = totals.funds.total
    rate = "无" if f.execution_rate is None else f"{f.execution_rate}%"
    if totals.left_out and doc.report.scored:
        print(left_out_text(totals))
    if totals.score is not None:
        print(f"总分 {totals.score} / {totals.weight}  评价等级 {totals.grade}  执行率 {rate}")
        if cap := cap_text(totals):
            print(cap)
    elif doc.report.scored:
        print(f"总分 无（没有可计分的指标）  执行率 {rate}")
    else:
        print(f"执行率 {rate}（转移支付表不评分）")
    print(
        f"资金（{doc.report.funds.unit}）：全年预算数 {fmt2(f.adjusted, '无')}  实际到位数 {fmt2(f.received, '无')}  "
        f"实际支出数 {fmt2(f.spent, '无')}  结余 {fmt2(f.remaining, '无')}"
    )
    errors = sum(1 for x in findings if x.severity == ERROR)
    print(f"错误 {errors} 项，警告 {len(findings) - errors} 项")
    for x in findings:
        print(f"[{SEVERITY_LABELS[x.severity]}] {x.code} {x.path_text}：{x.message}")


def refuse_word(word: str, commands: tuple[str, ...]) -> int:
    """``main.py WORD`` where WORD is neither a command, a window option nor an existing file."""
    names = "、".join(c for c in commands if not c.startswith("-"))
    print(
        f"main.py：“{word}”既不是命令（{names}），也不是已有的文件，因此不打开窗口；用法见 python main.py --help",
        file=sys.stderr,
    )
    return EXIT_INPUT


def _check_one(doc: Document, source: Path, as_json: bool, batch: bool) -> int:
    findings = doc.findings + _glyph_findings(doc)
    if as_json:
        data = {"issues": [x.as_json() for x in findings], "totals": totals_json(doc.report, doc.totals)}
        if batch:  # one object a line, each naming its file
            sys.stdout.write(json.dumps({"file": str(source)} | data, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        if batch:
            print(f"== {source} ==")
        _print_check(doc, source, findings)
    return EXIT_FINDINGS if any(x.severity == ERROR for x in findings) else EXIT_OK


def _check_many(items: list[str], as_json: bool) -> int:
    """Each report in turn, as ``check FILE`` prints it, headed by its file; the exit code is the
    worst of them (2 unreadable > 1 errors > 0)."""
    worst = EXIT_OK
    counts = {EXIT_OK: 0, EXIT_FINDINGS: 0, EXIT_INPUT: 0}
    for entry in load_many(items):
        if entry.report is None:
            status = EXIT_INPUT
            print(entry.error, file=sys.stderr)
            if as_json:
                sys.stdout.write(json.dumps({"file": str(entry.path), "error": entry.error}, ensure_ascii=False) + "\n")
            else:
                print(f"== {entry.path} ==\n{entry.error}")
        else:
            status = _check_one(Document(entry.report), entry.path, as_json, batch=True)
        counts[status] += 1
        worst = max(worst, status)
        if not as_json:
            print()
    if not as_json:
        total = sum(counts.values())
        print(
            f"共 {total} 份：无错误 {counts[EXIT_OK]} 份，有错误 {counts[EXIT_FINDINGS]} 份，"
            f"无法读取 {counts[EXIT_INPUT]} 份"
        )
    return worst


def _summary(items: list[str], out: Path) -> int:
    """One 汇总表 over the reports; 0 written, 2 none readable, 3 not written."""
    from core.export.summary_xlsx import export_summary, summarize

    agg = summarize(items)
    for bad in agg.unreadable:
        print(bad.reason, file=sys.stderr)
    if not agg.rows:
        print(f"没有可读取的报告，未写出 {out}", file=sys.stderr)
        return EXIT_INPUT
    try:
        warnings = export_summary(agg, out)
    except OutputError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_OUTPUT
    for warning in warnings:
        print(f"警告：{warning}", file=sys.stderr)
    skipped = f"，{len(agg.unreadable)} 个文件无法读取（见“无法读取”表）" if agg.unreadable else ""
    print(f"已写出 {out}：{len(agg.rows)} 份报告{skipped}")
    return EXIT_OK


def _import(source: Path, args) -> int:
    """``import TABLE.xlsx``: 0 read and written, 2 not a 自评表 it can read, 3 not written. What
    could not be placed goes to stderr as warnings (the import still succeeds)."""
    from core.store.xlsx_import import import_workbook

    asked = [(name, Path(getattr(args, name))) for name in NEXT_OUTPUTS if getattr(args, name)]
    if not asked:
        print("import 需要至少一个输出选项（--json、--save）", file=sys.stderr)
        return EXIT_INPUT
    try:
        imported = import_workbook(source)
    except LoadError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INPUT
    for place in imported.unplaced:
        print(f"警告：未能放入报告的单元格 {place}", file=sys.stderr)
    doc = Document(imported.report)
    status = EXIT_OK
    for name, out in asked:
        try:
            _WRITERS[name](doc, out)
            print(f"已写出 {out}")
        except OutputError as exc:
            print(str(exc), file=sys.stderr)
            status = EXIT_OUTPUT
    return status


def main(argv: list[str]) -> int:
    code = EXIT_OK
    try:
        code = _run(argv)
        sys.stdout.flush()  # a reader that went away shows here, not as exit 120 at shutdown
    except BrokenPipeError:  # `check FILE | head`: the reader has all it wanted; end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that flushing stdout at exit cannot fail again
    return code


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.command == "check":
        if len(args.files) > 1 or Path(args.files[0]).is_dir():
            return _check_many(args.files, args.json)
        source = Path(args.files[0])
        try:
            doc = Document(load_report(source))
        except LoadError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_INPUT
        return _check_one(doc, source, args.json, batch=False)
    if args.command == "summary":
        return _summary(args.files, Path(args.xlsx))
    if args.command == "import":
        return _import(Path(args.file), args)
    forms = None
    if getattr(args, "form", None) is not None:
        try:
            forms = form_names(args.form)
        except FormNameError as exc:
            print(f"main.py export：{exc}", file=sys.stderr)
            return EXIT_INPUT
    source = Path(args.file)
    try:
        doc = Document(load_report(source))
    except LoadError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INPUT
    options = NEXT_OUTPUTS if args.command == "next" else EXPORTS
    asked = [(name, Path(getattr(args, name))) for name in options if getattr(args, name)]
    if not asked:
        print(f"{args.command} 需要至少一个输出选项（" + "、".join(f"--{n}" for n in options) + "）", file=sys.stderr)
        return EXIT_INPUT
    if args.command == "next":
        doc = Document(next_year(doc.report))
    status = EXIT_OK
    for name, out in asked:
        try:
            extra = {"forms": forms} if name in _FORM_WRITERS and forms else {}
            for warning in _WRITERS[name](doc, out, **extra) or []:
                print(f"警告：{warning}", file=sys.stderr)
        except OutputError as exc:
            print(str(exc), file=sys.stderr)
            status = EXIT_OUTPUT
    return status
