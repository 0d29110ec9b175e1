"""The knowledge package's Chinese wording (errors advisers and admins read).

``knowledge`` may not import ``bot``, so its texts live here; advisers review them here.
"""

from __future__ import annotations

from collections.abc import Sequence

FIELD_NAMES = {
    "id": "编号(id)",
    "category": "分类(category)",
    "question": "问题(question)",
    "alternates": "其他问法(alternates)",
    "answer": "答案(answer)",
    "legal_basis": "法律依据(legal_basis)",
    "communities": "适用社区(communities)",
    "status": "状态(status)",
    "review_by": "复核日期(review_by)",
    "reviewed_by": "审核人(reviewed_by)",
    "file": "文件",
}


def field_name(field: str) -> str:
    """A field's name as people read it, e.g. ``问题(question)``."""
    return FIELD_NAMES.get(field, field)


# --- statutes and citations -------------------------------------------------------------

def citation_syntax(text: str, numeral: str | None = None) -> str:
    """A citation we cannot read; ``numeral`` when only its number is malformed."""
    if numeral is not None:
        return (
            f"法条引用「{text}」中的「{numeral}」不是规范的数字"
            "（应写成如 第七百二十二条、第一千二百六十条 或 第722条）"
        )
    return f"无法识别的法条引用「{text}」（应写成如《民法典》第七百二十二条、民法典第722条）"


def unknown_law(name: str) -> str:
    """A law that is not in the loaded statute corpus."""
    return f"法规库中没有「{name}」（请检查法律名称，或先用 lawbot laws import 导入该法）"


def unknown_article(short: str, label: str, count: int, last_label: str) -> str:
    """An article number past the end of (or missing from) a law."""
    return f"《{short}》没有{label}：{short}共 {count:,} 条（最后一条是{last_label}）"


def unknown_part(citation: str, part: str, count: int) -> str:
    """A paragraph (款) or item (项) the article does not have."""
    unit = "款" if part.endswith("款") else "项"
    return f"{citation}没有{part}（该条共 {count} {unit}）"


def not_in_force(citation: str, version_date: str, note: str) -> str:
    """A citation into a superseded text."""
    return f"{citation} 引用的是已失效的文本（{version_date} 版）：{note}"


def bad_corpus_line(line: int, detail: str) -> str:
    """A statute corpus line that cannot be loaded."""
    return f"法规库第 {line} 行无法导入（需要 law、article、text 等字段）：{detail}"


# --- FAQ entries ------------------------------------------------------------------------

def required(field: str) -> str:
    """A required field is empty."""
    return f"{field_name(field)}不能为空"


def unknown_status(value: str) -> str:
    """A status other than published/draft/archived."""
    return f"未知状态「{value}」（只能是 published、draft 或 archived）"


def too_long(field: str, length: int, limit: int) -> str:
    """A cell longer than its limit."""
    return f"{field_name(field)}太长：{length:,} 个字符，最多 {limit:,} 个"


def too_many(field: str, count: int, limit: int) -> str:
    """A list with too many items."""
    return f"{field_name(field)}条目太多：{count} 项，最多 {limit} 项"


def bad_id(value: str) -> str:
    """An id with spaces, a pipe or control characters."""
    return f"编号「{value}」不合规：不能含空格、竖线 | 或控制字符"


def pipe_in_item(field: str, value: str) -> str:
    """A list item containing the list separator."""
    return f"{field_name(field)}中的「{value}」含有竖线 |（竖线用来分隔多项）"


def control_chars(field: str) -> str:
    """A cell with invisible control characters."""
    return f"{field_name(field)}含有不可见的控制字符"


def bad_date(value: str) -> str:
    """A review-by date that is not YYYY-MM-DD."""
    return f"复核日期「{value}」格式应为 YYYY-MM-DD"


def duplicate_id(value: str, first_row: int) -> str:
    """The same id twice in one import file."""
    return f"编号「{value}」重复（第 {first_row} 行已出现）"


def duplicate_starter_id(value: str, source: str, entry: int) -> str:
    """The same id twice across the starter files."""
    return f"编号「{value}」重复（{source} 第 {entry} 条已使用）"


def id_exists(value: str) -> str:
    """Adding an entry whose id is taken."""
    return f"编号「{value}」已存在（修改请用 lawbot faq edit）"


def not_reviewed(value: str) -> str:
    """Publishing an entry no adviser has signed off."""
    return (
        f"条目「{value}」尚未经法律顾问审核，不能发布"
        f"（请法律顾问先执行 lawbot faq signoff {value} --as 姓名）"
    )


# The answer of a draft made from a question nobody has answered yet: a placeholder that can be
# neither signed off nor published (knowledge.faq.FaqStore.signoff / check_publishable).
DRAFT_ANSWER = "（待撰写：这条草稿由待完善问题生成，请法律顾问写好答案后再审核发布。）"


def unwritten_answer(value: str) -> str:
    """Signing off or publishing a draft whose answer is still the placeholder."""
    return f"条目「{value}」的答案还没有撰写（仍是草稿的占位文字），不能审核或发布"


def import_needs_signoff(value: str) -> str:
    """Importing a row marked published that no adviser has signed off."""
    return (
        f"条目「{value}」标为 published，但答案和法律依据尚未经法律顾问审核：请法律顾问审核后用"
        f" lawbot faq import 文件 --signoff 姓名 导入，或把 status 改为 draft"
    )


def no_citation(value: str) -> str:
    """Publishing an entry without any legal basis."""
    return f"条目「{value}」没有法律依据，不能发布（至少需要一条有效、现行的法条引用）"


def faq_not_found(value: str) -> str:
    """No entry with this id."""
    return f"没有编号为「{value}」的问答"


# --- import files -----------------------------------------------------------------------

def unsupported_format(suffix: str) -> str:
    """A file extension we cannot import or export."""
    return f"不支持的文件类型「{suffix or '无扩展名'}」（支持 .csv、.xlsx、.jsonl）"


def missing_column(column: str, columns: Sequence[str]) -> str:
    """A required column is absent from the header row (``columns``: the expected header)."""
    return f"缺少列「{column}」（表头应为 {', '.join(columns)}）"


def bad_json(detail: str) -> str:
    """A JSONL line that is not a JSON object."""
    return f"不是有效的 JSON 对象：{detail}"


def bad_list(field: str) -> str:
    """A list field holding something else."""
    return f"{field_name(field)}应为文字列表或用 | 分隔的文字"


def unreadable_file(detail: str) -> str:
    """A file that cannot be opened as the format its extension says."""
    return f"无法读取文件：{detail}"


def row_error(row: int, field: str, message: str, source: str = "") -> str:
    """One bad row, as listed by an import."""
    where = f"{source} " if source else ""
    return f"{where}第 {row} 行 [{field_name(field)}]：{message}"


def import_failed(count: int) -> str:
    """Heading of an import that imported nothing."""
    return f"导入失败：发现 {count} 处错误，没有导入任何内容。"


# --- bad files (limits, encodings, types) ----------------------------------------------------

def file_too_large(size: int, limit: int) -> str:
    """A file over the size an import reads."""
    return f"文件过大（{size / 1048576:.1f} MB，上限 {limit // 1048576} MB），请拆分后再导入"


def too_many_rows(limit: int) -> str:
    """A file with more data rows than an import takes."""
    return f"行数超过上限 {limit} 行，请拆分后再导入"


def cell_too_large(limit: int) -> str:
    """A cell longer than any import accepts."""
    return f"单元格内容超过 {limit} 个字符"


def unknown_encoding() -> str:
    """Bytes that are neither UTF-8 nor readable GBK/GB18030 (e.g. Big5 or Latin-1)."""
    return (
        "无法识别文件编码（可能是繁体 Big5 或西文 Latin-1 编码）。"
        "请在 Excel 或文本编辑器中另存为「UTF-8」编码后再导入"
    )


def nested_too_deep(limit: int) -> str:
    """A JSON value nested deeper than an import reads."""
    return f"JSON 嵌套层数超过 {limit} 层"


def not_text(field: str, kind: str) -> str:
    """A field that must be text holds an object or list."""
    return f"{field_name(field)}应为文字，文件中却是{kind}"


def corpus_too_large(size: int, limit: int) -> str:
    """A statute corpus file over the size an import reads."""
    return f"法规库文件过大（{size / 1048576:.0f} MB，上限 {limit // 1048576} MB）"


def not_utf8() -> str:
    """A statute corpus line that is not UTF-8."""
    return "不是 UTF-8 编码，请另存为 UTF-8 后再导入"


def line_too_long(limit: int) -> str:
    """A line of a file longer than an import reads."""
    return f"这一行超过 {limit} 个字符"


def duplicate_key(key: str) -> str:
    """A JSON record naming one key twice."""
    return f"键「{key}」在同一条记录中出现了两次"
