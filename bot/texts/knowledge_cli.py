"""Wording of `lawbot init`, `lawbot faq` and `lawbot laws` (what admins and advisers read)."""

from __future__ import annotations

# --- lawbot init ----------------------------------------------------------------------------
INIT_DB = "数据库：{path}"
INIT_LAWS_IMPORTING = "正在导入法规库 {path} …"
INIT_LAWS_IMPORTED = "法规：已导入 {articles} 条（{laws} 部法律法规）"
INIT_LAWS_CURRENT = "法规：{articles} 条（{laws} 部法律法规），与 {path} 一致，无需重新导入"
INIT_LAWS_MISSING = (
    "法规：未找到法规库 {path}，暂未导入（法条引用将显示为“未核对”）。\n"
    "  导入方法：lawbot laws import 法规库路径（laws.jsonl，或 LawRefBook/Laws 仓库的文件夹），\n"
    "  或设置环境变量 LAWBOT_LAWS 后重新运行 lawbot init。"
)
INIT_FAQ = "FAQ：共 {total} 条（已发布 {published} 条；本次新增或更新 {changed} 条）"
INIT_FAQ_REVIEW = (
    "  入门问答是未经律师审核的示例内容，已存为草稿，居民暂时看不到。请本辖区的法律顾问逐条审核：\n"
    "  lawbot faq list --unreviewed 列出待审核条目，lawbot faq show 编号 查看，\n"
    "  lawbot faq signoff 编号 --as 姓名 审核，lawbot faq publish 编号 发布。"
)
INIT_FAQ_DEMO = "  演示模式：入门问答（未经律师审核的示例内容）已直接发布，仅供演示。"
INIT_FAQ_EMPTY = "FAQ：共 {total} 条（--empty：未加载入门问答）"
INIT_DEMO_LOADED = (
    "演示组织：已加载（东山街 dongshan 团队，王律师、小李 全天值班；"
    "区劳动法专家库的张律师每晚 18:00-23:00 值班；新河浦社区周二下午可预约线下咨询）"
)
INIT_DEMO_KEPT = "演示组织：数据库里已有正式导入的组织，未覆盖"
INIT_DEMO_MISSING = "演示组织：此版本尚不支持（bot.desk.org.load_demo 不存在），已跳过"
INIT_DONE = (
    "初始化完成：法规 {articles} 条（{laws} 部法律法规），FAQ {faq} 条（已发布 {published} 条）。"
)
STARTER_FAILED = "入门问答（knowledge/starter）有误，未加载：\n{errors}"

# --- lawbot laws ----------------------------------------------------------------------------
LAWS_NOT_FOUND = "找不到文件或文件夹：{path}"
LAWS_IMPORTED = "已导入 {articles} 条法条（{laws} 部法律法规），法规库现有 {total} 条。"
LAWS_NOTHING = "在 {path} 中没有找到任何法条（应为 laws.jsonl 或 LawRefBook/Laws 的 .md 文件）。"
LAWS_BAD_FILE = "无法读取法规库 {path}：{error}"
LAWS_EMPTY = "法规库为空。请先运行 lawbot laws import 法规库路径（或 lawbot init）。"
LAWS_VERSION = "版本：{date}"
LAWS_CHAPTER = "位置：{where}"
LAWS_KIND = "类别：{kind}"
LAWS_NOT_IN_FORCE = "⚠ 注意：此文本已不是现行有效的法律，不能作为现行依据引用。说明：{note}"
LAWS_LIST_ROW = "{short}\t{kind}\t{articles} 条\t{date}{note}"
LAWS_LIST_SUPERSEDED = "\t（已失效）"
LAWS_CHECK_OK = "✓ {citation}"
LAWS_CHECK_BAD = "✗ {citation}：{problem}"

# --- lawbot faq -----------------------------------------------------------------------------
FAQ_IMPORTED = "已导入 {count} 条（新增或更新；内容相同的条目不产生新版本），FAQ 现有 {total} 条。"
FAQ_IMPORTING = "导入中"
FAQ_EXPORTED = "已导出 {count} 条到 {path}。"
FAQ_FILE_MISSING = "找不到文件：{path}"
FAQ_LIST_EMPTY = "没有符合条件的问答。"
FAQ_LIST_ROW = "{id}\t{status}\t{category}\t{question}"
FAQ_LIST_TOTAL = "共 {count} 条"
FAQ_ADDED = "已新增 {id}（第 {version} 版，状态：{status}）。"
FAQ_EDITED = "已保存 {id}（第 {version} 版，状态：{status}）。"
FAQ_WITHDRAWN = (
    "答案或法律依据改了，原来的审核不再适用：{id} 已撤回为草稿，居民暂时看不到。"
    "请法律顾问审核（lawbot faq signoff {id} --as 姓名）后再发布（lawbot faq publish {id}）。"
)
FAQ_UNCHANGED = "{id} 没有变化（仍是第 {version} 版）。"
FAQ_INVALID = "命令 {command} 失败，{id} 未保存：\n{problems}"
FAQ_PROBLEM = "  - [{field}] {message}"
FAQ_NO_CHANGES = "请至少给出一项要修改的内容（如 --answer、--status）。"
FAQ_ADD_NOT_PUBLISHED = (
    "新条目只能先存为草稿：请法律顾问审核（lawbot faq signoff 编号 --as 姓名）后，"
    "再用 lawbot faq publish 编号 发布。"
)
FAQ_NEAR_DUPLICATE = (
    "⚠ 注意：问法「{phrasing}」已能由已发布的条目 {other} 回答，请确认是否重复"
    "（可改为给 {other} 增加问法：lawbot faq edit {other} --add-alternate \"{phrasing}\"）。"
)
FAQ_ALT_REPLACE_NEEDED = (
    "修改问法请逐条进行：--add-alternate 问法 增加一条，--remove-alternate 问法 删除一条；"
    "要整体替换全部问法，须同时给出 --replace-alternates（与 --alternate 一起用）。"
)
FAQ_ALT_NOT_FOUND = "该条目没有这些问法，未作修改：{alternates}"
FAQ_SIGNOFF_NOT_ADVISER = (
    "「{name}」不是机构名单中的法律顾问（role: adviser），不能审核签发；未作修改。"
    "请先用 lawbot org import 导入机构名单。"
)
FAQ_SIGNED_OFF = "{id} 已由 {by} 审核（第 {version} 版）。可以用 lawbot faq publish {id} 发布。"
FAQ_SIGNOFF_ALREADY = "{id} 的当前内容已由 {by} 审核，没有变化。"

SHOW_ID = "编号：{id}"
SHOW_CATEGORY = "分类：{category}"
SHOW_STATUS = "状态：{status}"
SHOW_VERSION = "版本：第 {version} 版（{by}，{at}）"
SHOW_REVIEW = "复核日期：{date}"
SHOW_REVIEWED = "审核：{by}（{at}）"
SHOW_DUPLICATE = (
    "⚠ 可能重复：已发布的条目 {other} 已能回答这个问题，请考虑改为给 {other} 增加问法。"
)
SHOW_UNREVIEWED = "审核：尚未经法律顾问审核（示例或草稿内容，发布前须审核）"
SHOW_COMMUNITIES = "适用社区：{communities}"
SHOW_ALL_COMMUNITIES = "全部社区"
SHOW_QUESTION = "问题：{question}"
SHOW_ALTERNATES = "其他问法："
SHOW_ANSWER = "答案：\n{answer}"
SHOW_BASIS = "法律依据："
SHOW_BASIS_OK = "  ✓ {citation}"
SHOW_BASIS_BAD = "  ✗ {citation}（{problem}）"
SHOW_BASIS_UNVERIFIED = "  ? {citation}（未核对）"
SHOW_ITEM = "  - {item}"
HISTORY_HEADING = "修改历史（共 {count} 版，从旧到新）："
HISTORY_ROW = "第 {version} 版  {at}  {by}  状态：{status}  {changes}"
HISTORY_CREATED = "新建"
HISTORY_CHANGED = "改动：{fields}"
HISTORY_NO_CHANGE = "无内容改动"
HISTORY_VALUE = "    {field}：{value}"
HISTORY_SIGNED = "  审核：{by}（{at}）"
HISTORY_SIGNOFF_CLEARED = "  审核已失效（答案或法律依据有改动）"

FIELD_LABELS = {
    "category": "分类",
    "question": "问题",
    "answer": "答案",
    "alternates": "其他问法",
    "legal_basis": "法律依据",
    "communities": "适用社区",
    "status": "状态",
    "review_by": "复核日期",
}
STATUS_LABELS = {"published": "已发布", "draft": "草稿", "archived": "已归档"}

# --- options (help texts) -------------------------------------------------------------------
HELP_INIT = "创建/升级数据库，导入法规库和入门问答。"
HELP_DEMO = "同时加载演示组织（东山街，全天有人值班）"
HELP_EMPTY = "只导入法规，不加载入门问答"
HELP_LAWS_PATH = "法规库路径（默认取 LAWBOT_LAWS，或 ../shared/data/laws/laws.jsonl）"
HELP_LAWS = "法规库：导入、查看法条。"
HELP_LAWS_IMPORT = "导入法规库：laws.jsonl，或 LawRefBook/Laws 仓库文件夹 / 单个 .md 文件。"
HELP_LAWS_SHOW = "显示一条法条，例如：lawbot laws show 民法典第722条"
HELP_LAWS_LIST = "列出已导入的法律法规。"
HELP_LAWS_CHECK = "核对法条引用是否存在且现行有效（有问题时退出状态为 1）。"
HELP_FAQ = "常见问答（FAQ）维护：导入、导出、查看、新增、修改、发布、归档。"
HELP_FAQ_IMPORT = "从 CSV / XLSX / JSONL 导入（全部成功才写入）。"
HELP_FAQ_EXPORT = "导出全部问答到 CSV / XLSX / JSONL（按扩展名）。"
HELP_FAQ_LIST = "列出问答。"
HELP_FAQ_OVERLAP = (
    "相近的条目：哪些已发布条目因为别的条目的问法太像而更难直接回答（回答阈值被抬高），"
    "是哪条问法抬高的；可据此合并条目或改写问法。"
)
HELP_OVERLAP_LIMIT = "最多列出几条（按回答阈值从高到低）"
OVERLAP_NONE = "没有被相近条目抬高回答阈值的条目：每条都按本库最低回答阈值 {floor:.3f} 直接回答。"
OVERLAP_HEADER = (
    "{count} 条已发布条目的回答阈值被相近条目的问法抬高（本库最低回答阈值 {floor:.3f}），"
    "从高到低："
)
OVERLAP_ROW = (
    "  {id}（{question}）回答阈值 {at:.3f}：条目 {other} 的问法「{phrasing}」在它上面得分 {at:.3f}"
)
HELP_FAQ_SHOW = "显示一条问答。"
HELP_FAQ_ADD = "新增一条问答。"
HELP_FAQ_EDIT = "修改一条问答（只改给出的项，生成新版本）。"
HELP_FAQ_PUBLISH = "发布一条问答（须经法律顾问审核，且至少有一条存在、现行有效的法律依据）。"
HELP_FAQ_SIGNOFF = "法律顾问审核一条问答的答案和法律依据（之后答案或依据一改，审核即失效）。"
HELP_IMPORT_SIGNOFF = (
    "审核了本文件的法律顾问姓名：标为 published 的新条目或改了答案、法律依据的条目由其签发后上线"
    "（不给时，这类行会报错，整个文件不导入）"
)
HELP_AS_ADVISER = "审核人姓名（须是机构名单中的法律顾问）"
HELP_UNREVIEWED = "只列出尚未经法律顾问审核的问答"
HELP_ADD_ALTERNATE = "增加一条其他问法（可多次给出）"
HELP_REMOVE_ALTERNATE = "删除一条其他问法（可多次给出）"
HELP_REPLACE_ALTERNATES = "用 --alternate 给出的问法整体替换全部其他问法"
HELP_FAQ_ARCHIVE = "归档（下架）一条问答。"
HELP_HISTORY = "同时显示修改历史"
HELP_BY = "操作人（默认：系统用户名）"
HELP_STATUS = "状态：published / draft / archived"
HELP_CATEGORY = "分类，例如 租房"
HELP_COMMUNITY = "社区代码（可多次给出；不给表示全部社区）"
HELP_ID = "编号（不给则自动生成）"
HELP_QUESTION = "问题"
HELP_ALTERNATE = "其他问法（可多次给出；修改时须配合 --replace-alternates）"
HELP_ANSWER = "答案"
HELP_LEGAL_BASIS = "法律依据，例如 《民法典》第七百二十二条（可多次给出）"
HELP_REVIEW_BY = "复核日期 YYYY-MM-DD"

# --- lawbot review --------------------------------------------------------------------------
REVIEW_HINT = (
    "把某个提问加为已有条目的问法：lawbot faq edit 条目号 --add-alternate \"提问原文\"；"
    "加完后条目的答案不变，无须重新审核。"
)
