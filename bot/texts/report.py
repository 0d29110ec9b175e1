"""What admins and officials read: the work log (台账), the programme report, `lawbot stats`
and data retention."""

from __future__ import annotations

# --- the work log ---------------------------------------------------------------------------

FIELD_LABELS = {
    "type": "类型(type)",
    "community": "社区(community)",
    "date": "日期(date)",
    "count": "次数/人数(count)",
    "minutes": "用时分钟(minutes)",
    "note": "摘要(note)",
    "person": "经办人(person)",
}
BAD_TYPE = "未知的服务类型「{value}」（应为：{types}）"
BAD_COMMUNITY = "未知的社区「{value}」（应为机构文件中的社区代码或社区名称）"
MISSING = "不能为空"
BAD_DATE = "日期「{value}」无法识别（应写成 2026-11-05）"
BAD_NUMBER = "应为不小于 {low} 的整数，而不是「{value}」"
TOO_LONG = "太长：最多 {limit} 个字"
ROW_ERROR = "第 {row} 行 [{field}]：{message}"
IMPORT_FAILED = "导入失败：发现 {count} 处错误，没有导入任何内容。"
LOG_IMPORTED = "已导入台账 {count} 条。"
LOG_ADDED = "已记入台账：#{id} {day} {community} {type} {count}"
LOG_INVALID = "台账记录有误，没有保存：\n{problems}"
LOG_FILE_MISSING = "找不到文件：{path}"
LOG_EMPTY = "（没有台账记录）"
LOG_COLUMNS = ("编号", "日期", "社区", "类型", "次数/人数", "用时(分钟)", "经办人", "摘要")
TICKET_NOTE = "工单 #{number}（{category}）"
TICKET_NOT_FOUND = "没有编号为 {number} 的工单"
TICKET_NOT_CLOSED = "工单 #{number} 还没有关闭（状态：{status}），关闭后再记入台账"
TICKET_ALREADY_LOGGED = "工单 #{number} 已记入台账（#{id}）"
TICKET_NO_COMMUNITY = "工单 #{number} 没有社区，无法记入台账"

HELP_LOG = "服务台账：现场咨询、电话咨询、法律意见书、人民调解、法治宣传、法律援助转介等线下工作。"
HELP_LOG_ADD = "记一条台账。"
HELP_LOG_IMPORT = (
    "从 CSV 或 XLSX 导入台账（列：type, community, date, count, note，可选 person, minutes）；"
    "有一行出错则整批不导入，并指出行号和字段。"
)
HELP_LOG_LIST = "列出台账记录。"
HELP_LOG_TICKET = "把一个已关闭的工单记为一次网上咨询（一步完成）。"
HELP_TYPE = "服务类型"
HELP_COMMUNITY = "社区代码或名称"
HELP_DATE = "日期 YYYY-MM-DD（默认今天）"
HELP_COUNT = "次数；法治宣传填参与人数（默认 1）"
HELP_MINUTES = "用时（分钟）"
HELP_NOTE = "简短摘要（不要写居民姓名、电话）"
HELP_AS = "经办人"
HELP_MONTH_FROM = "开始月份 YYYY-MM（含）"
HELP_MONTH_TO = "结束月份 YYYY-MM（含，默认同开始月份）"

# --- the report -----------------------------------------------------------------------------

HELP_REPORT = "生成月度/多月工作报表（XLSX，含图表；也可输出 CSV 或 JSON）。"
HELP_OUT = "输出文件（如 报表.xlsx）"
HELP_FORMAT = "输出格式：xlsx（默认）或 csv"
HELP_JSON = "把报表数据以 JSON 输出到屏幕"
BAD_MONTH = "月份格式应为 YYYY-MM：{value}"
MONTHS_REVERSED = "结束月份 {end} 早于开始月份 {start}"
OUT_NEEDED = "请用 --out 指定输出文件，或用 --json 输出到屏幕"
REPORT_WRITTEN = "已生成报表：{paths}（{start} 至 {end}，{communities} 个社区）"

SHEET_SUMMARY = "汇总"
SHEET_MONTHS = "按月"
SHEET_CATEGORIES = "按类别"
SHEET_NOTES = "说明"
STREET_TOTAL = "{street} 合计"
GRAND_TOTAL = "全区合计"
NO_COMMUNITY = "未填社区"
NO_STREET = "—"
UNCATEGORISED = "未分类"
CHANNEL_NAMES = {
    "onsite": "现场咨询",
    "phone": "电话咨询",
    "online": "网上咨询(台账)",
    "telegram": "Telegram",
    "matrix": "Matrix",
    "web": "网页",
    "terminal": "终端",
}

# (key, header) of the summary sheet; the same keys name the JSON fields.
SUMMARY_COLUMNS = (
    ("street", "街道"),
    ("community", "社区"),
    ("consultations", "法律咨询(人次)"),
    ("onsite", "其中：现场咨询"),
    ("phone", "其中：电话咨询"),
    ("questions", "其中：机器人受理提问"),
    ("opinions", "法律意见书(份)"),
    ("mediations", "人民调解(件)"),
    ("publicity", "法治宣传(场)"),
    ("publicity_people", "法治宣传受众(人)"),
    ("legal_aid", "法律援助转介(件)"),
    ("other", "其他服务"),
    ("hours", "线下服务时长(小时)"),
    ("answered", "机器人直接解答"),
    ("suggested", "给出相近问题"),
    ("escalated", "转人工"),
    ("urgent", "紧急情况"),
    ("tickets", "工单"),
    ("mean_reply", "首次人工答复平均用时(分钟)"),
    ("median_reply", "首次人工答复用时中位数(分钟)"),
    ("rated", "居民评价(条)"),
    ("satisfaction", "满意率"),
)
MONTH_COLUMN = ("month", "月份")
MONTH_EXTRA_COLUMNS = (
    ("consultations", "法律咨询合计"),
    ("opinions", "法律意见书"),
    ("mediations", "人民调解"),
    ("publicity", "法治宣传(场)"),
    ("legal_aid", "法律援助转介"),
    ("questions", "机器人受理提问"),
    ("answered_share", "机器人直接解答占比"),
)
CATEGORY_COLUMNS = (
    ("category", "类别"),
    ("questions", "提问"),
    ("answered", "机器人直接解答"),
    ("suggested", "给出相近问题"),
    ("escalated", "转人工"),
    ("answered_share", "直接解答占比"),
)
CHART_CHANNELS = "各月法律咨询（按渠道）"
CHART_SHARE = "各月机器人直接解答占比"
CHART_CATEGORIES = "提问最多的类别"
AXIS_MONTH = "月份"
AXIS_COUNT = "人次"
AXIS_SHARE = "占比"
NOTES = (
    ("报表期间", "{start} 至 {end}"),
    ("生成时间", "{generated}"),
    ("法律咨询", "现场咨询、电话咨询（台账）与居民向机器人提出的问题之和。"
                 "由工单记入台账的网上咨询已计在机器人受理提问中，不重复计算。"),
    ("法治宣传", "“场”为台账记录条数，“受众”为各场参与人数之和。"),
    ("首次人工答复用时", "工单创建到值班人员第一次答复居民的时间；平均值和中位数分别列出。"),
    ("满意率", "居民评价中满意的比例：答案点👍、工单评 4–5 分为满意，"
               "点👎、工单评 1–2 分为不满意，3 分为一般。"),
    ("数据保留", "居民对话原文按规定期限删除后，本表的统计数字不变。"),
)

# --- retention ------------------------------------------------------------------------------

HELP_PURGE = "删除某日期之前的居民对话原文、姓名和聊天地址（统计数字保留）。"
HELP_BEFORE = "日期 YYYY-MM-DD：删除这天之前的内容"
BAD_DAY = "日期格式应为 YYYY-MM-DD：{value}"
PURGED = (
    "已清除 {before} 之前的居民信息：消息 {messages} 条，提问原文 {questions} 条，"
    "工单 {tickets} 个，居民身份 {residents} 个，发件记录 {outbox} 条。"
)

# --- `lawbot stats` (read by the justice bureau) ----------------------------------------------
STATS_TITLE = "咨询统计（{period}{community}）"
STATS_ALL_TIME = "全部时间"
STATS_PERIOD = "{start} 至 {end}"
STATS_OPEN_END = "不限"
STATS_COMMUNITY = "，社区：{name}"
STATS_LINES = (
    ("咨询总数", "consultations"),
    ("知识库直接解答", "answered"),
    ("给出相近问题", "suggested"),
    ("转人工", "escalated"),
)
STATS_URGENT = "紧急情况"
STATS_TICKETS = "工单数"
STATS_TICKETS_ANSWERED = "已人工答复工单"
STATS_MEAN = "首次人工答复平均用时"
STATS_MEDIAN = "首次人工答复用时中位数"
STATS_MINUTES = "{minutes:.0f} 分钟"
STATS_NONE = "—"
STATS_HELPFUL = "居民评价（满意 / 不满意 / 共，含答案👍👎与工单评分）"
STATS_RATED = "{satisfied} / {unsatisfied} / {rated}"
STATS_BY_CATEGORY = "按类别"
STATS_BY_COMMUNITY = "按社区"
STATS_COLUMNS = ("", "咨询", "直接解答", "相近问题", "转人工")
STATS_UNCATEGORISED = "未分类"
STATS_NO_COMMUNITY = "未填社区"
STATS_BAD_DATE = "日期格式应为 YYYY-MM-DD：{value}"

# --- work-log rows the bot writes itself
ONSITE_LOG_NOTE = "线下预约 #{id}"
LEGAL_AID_LOG_NOTE = "机器人法律援助预评估：{verdict}"
LOG_BY_BOT = "机器人"
