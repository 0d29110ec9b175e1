"""Texts about the files admins keep: the organisation file, the roster, `lawbot org`, and the
legal-aid pre-check's flow file (read by admins and staff)."""

from __future__ import annotations

ROLE_NAMES = {"adviser": "法律顾问", "lead": "团队负责人", "volunteer": "志愿者"}
DAY_NAMES = {
    "mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四",
    "fri": "周五", "sat": "周六", "sun": "周日",
}

# Validation messages (RowError.message).
MISSING = "必填，不能为空"
DUPLICATE = "重复：{value} 已在第 {first} 行出现"
UNKNOWN_TEAM = "未知团队 {value}（请先在 teams 中定义）"
UNKNOWN_PERSON = "未知人员 {value}（请先在 people 中定义）"
UNKNOWN_FIELD = "未知字段 {value}"
BAD_ROLE = "角色应为 adviser（法律顾问）、lead（负责人）或 volunteer（志愿者），而不是 {value}"
NO_IDENTITY = "没有任何聊天身份：请填写 telegram 或 matrix，或填写 terminal: true（只在终端值班）"
BAD_TELEGRAM_USER = "Telegram 用户 ID 应为数字，而不是 {value}"
BAD_TELEGRAM_CHAT = "Telegram 群组 ID 应为数字（群组以 - 开头），而不是 {value}"
BAD_MATRIX_USER = "Matrix 用户 ID 应形如 @name:example.org，而不是 {value}"
BAD_MATRIX_ROOM = (
    "Matrix 房间 ID 应形如 !room:example.org（新版房间为 !一串字符）"
    "或 #alias:example.org，而不是 {value}"
)
BAD_TERMINAL = "terminal 应为 true 或 false，而不是 {value}"
BAD_DESK = "值班台应写成 渠道: 群组ID，渠道为 telegram、matrix 或 terminal"
UNKNOWN_CHANNEL = "未知渠道 {value}（应为 telegram、matrix 或 terminal）"
DESK_TAKEN = "此群组已是团队 {value} 的值班台"
IDENTITY_TAKEN = "此账号已属于 {value}"
BAD_MINUTES = "应为正整数（分钟），而不是 {value}"
BAD_CODE = "社区代码只能包含字母、数字、- 和 _（最长 64 个字符），而不是 {value}"
SELF_BACKUP = "不能把自己设为备岗"
BAD_HOURS = "时间段应写成 09:00-18:00（跨夜如 18:00-09:00，全天 00:00-24:00），而不是 {value}"
BAD_DAY = "未知星期 {value}（可写 mon..sun、mon-fri、周一..周日、每天）"
BAD_DATE = "日期应写成 2026-12-05，而不是 {value}"
NO_DAYS = "请填写 days（星期）或 dates（日期）"
NOT_A_LIST = "应为列表"
BAD_SPECIALTY = "专长应为常见问题的分类名（如 劳动、婚姻家庭，最长 40 字），而不是 {value}"
UNKNOWN_COMMUNITY = "未知社区 {value}（请先在 communities 中定义）"
ONSITE_NOT_ADVISER = "{value} 不是法律顾问或团队负责人，不能安排现场接待"
ONSITE_OVERNIGHT = "现场接待时间应在同一天内，如 14:00-17:00，而不是 {value}"
SLOT_TOO_LONG = "每个预约时段 {value} 分钟，比接待时间（{length} 分钟）还长"
ONE_ROW_ONLY = "只能有一行"
BAD_INCOME = "应为每月人均收入的元数（正整数，如 2300），而不是 {value}"
POOL_WITHOUT_SPECIALTY = "专家库成员 {value} 没有填写 specialties（专长），不会被派单"
NOT_A_ROW = "每一项应为 键: 值 的映射"
MISSING_SHEET = "缺少工作表（或 YAML 键）{value}"
NOT_A_MAPPING = "文件顶层应为包含 teams、communities、people、roster 的映射"

# File-level errors (OrgFileError).
FILE_NOT_FOUND = "找不到组织文件：{path}"
BAD_EXTENSION = "不支持的文件类型 {suffix}：组织文件应为 .yaml、.yml 或 .xlsx"
BAD_YAML = "无法解析 YAML 文件 {path}：{error}"
BAD_XLSX = "无法读取 Excel 文件 {path}：{error}"

# `lawbot org import`
IMPORTED = (
    "已导入组织架构：团队 {teams} 个，社区 {communities} 个，"
    "人员 {people} 人，值班安排 {roster} 条。"
)
IMPORT_FAILED = "组织文件有 {count} 处错误，未导入任何内容："

# `lawbot org show`
EMPTY_ORG = (
    "尚未导入组织架构。请运行 lawbot org import FILE"
    "（或 lawbot init --demo 载入演示组织）。"
)
HEAD_TEAMS = "团队"
HEAD_COMMUNITIES = "社区"
HEAD_PEOPLE = "人员"
HEAD_ROSTER = "值班安排"
HEAD_DUTY = "当前值班（{now}）"
TEAM_LINE = "  {id}  {name}  值班台：{desk}  提醒：{minutes} 分钟（紧急 {urgent} 分钟）"
NO_DESK = "（未设置）"
STREET_LINE = "  {street}"
COMMUNITY_LINE = "    {code}  {name}  → 团队 {team}"
PERSON_LINE = "  {name}  {role}  团队 {team}  {identities}"
BACKUP = "备岗：{name}"
SPECIALTIES = "专长：{fields}"
HEAD_POOLS = "专家库"
POOL_LINE = "  {id}  {name}  成员：{people}"
TERMINAL_ONLY = "仅终端"
SHIFT_LINE = "  {person}  {when}  {hours}"
EVERY_DAY = "每天"
DUTY_LINE = "  {team}：{people}"
NOBODY = "无人值班"
NEXT_DUTY = "下一班 {when} {person}"
NO_NEXT_DUTY = "14 天内没有值班安排"
BAD_TZ = "LAWBOT_TZ：未知时区 {name!r}（例如 Asia/Shanghai）"
BAD_AT = "--at：时间应写成 2026-12-05T10:00，而不是 {value}"
WEEKDAY_CN = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def row_error(sheet: str, row: int, field: str, message: str) -> str:
    """One validation error as a line: where (sheet, row, field) and what."""
    where = f"{sheet} 第 {row} 行" if row else sheet
    if field:
        where += f" {field}"
    return f"{where}：{message}"

# Bad files: limits, YAML tricks, encodings, types (OrgFileError / RowError).
FILE_TOO_LARGE = "组织文件过大（{size} 字节，上限 {limit} 字节）：{path}"
YAML_ALIAS = (
    "YAML 文件 {path} 第 {line} 行使用了锚点引用（*{name}）："
    "组织文件不支持 & 和 *，请把内容直接写出"
)
YAML_DUPLICATE_KEY = "YAML 文件 {path} 第 {line} 行：键 {key} 重复出现（同一层只能写一次）"
YAML_TOO_DEEP = "YAML 文件 {path} 嵌套层数过多，无法读取"
TOO_MANY_ROWS = "行数超过上限 {limit} 行"
TOO_LONG = "内容过长（{length} 个字符，上限 {limit}）"
NOT_TEXT = "应为文字，而不是列表或映射"
MINUTES_TOO_LARGE = "分钟数过大：{value}（上限 {limit}，即 7 天）"

# `lawbot org import` without --replace
NEEDS_REPLACE = "此次导入会造成以下情况，如确认请加 --replace 重新运行（未导入任何内容）："
TEAM_WITHOUT_PEOPLE = "  团队 {team} 没有任何人员"
NO_COMMUNITIES_LEFT = "  现有的 {count} 个社区将全部被删除"
# warnings after a successful import
WARNING = "注意：{message}"
ZERO_SHIFT = (
    "值班表第 {row} 项（{person} {hours}）开始与结束时间相同，视为跨夜 24 小时；"
    "如为全天请写 00:00-24:00"
)
OVERLAPPING_SHIFTS = "{person} 的值班安排有重叠：{first} 与 {second}"

# --- the legal-aid pre-check's flow file (bot/data/legal_aid.yaml), for who edits it
FLOW_UNREADABLE = "无法读取法律援助预评估文件 {path}：{error}"
FLOW_NOT_A_MAPPING = "文件顶层应为包含 start、steps、results、documents 的映射"
FLOW_MISSING_KEY = "法律援助预评估文件 {path} 缺少字段 {key}"
FLOW_INVALID = "法律援助预评估文件 {path} 有错误：{problems}"
FLOW_NO_START = "start 指向的问题 {start} 不存在"
FLOW_NO_OPTIONS = "问题 {step} 没有选项"
FLOW_NO_CITES = "问题 {step} 没有注明依据的法条（cites）"
FLOW_BAD_NEXT = "问题 {step} 的选项“{label}”指向不存在的 {next}"
FLOW_BAD_VERDICT = "结果 {result} 的 verdict 应为 likely、possibly 或 unlikely，而不是 {verdict}"
