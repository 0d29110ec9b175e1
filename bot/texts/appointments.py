"""Texts of on-site appointments (线下预约): what residents and advisers read."""

from __future__ import annotations

COMMAND = "预约"  # /预约, the Chinese name of /book
CANCEL = "取消"  # /预约 取消 N
BTN_BOOK = "📅 预约线下咨询"
BTN_SLOT = "{when}（{name}）"
BTN_CANCEL = "取消预约"
WHEN = "{weekday} {month}月{day}日 {start}–{end}"

COMMUNITY_FIRST = "预约前请先选择您所在的社区，选好后再发送 /预约。\n"
NO_HOURS = "{community}暂未开放线下预约。您可以直接在这里提问，或发送 /human 转人工。"
ALL_TAKEN = "{community}近两周的线下接待时段都已约满，请过几天再试，或发送 /human 转人工。"
CHOOSE = "{community}的线下法律咨询（每次 {minutes} 分钟），请选择时段："
TAKEN = "抱歉，这个时段刚刚被别人预约了（或已不可预约）。请选择其他时段："
BOOKED = (
    "✅ 已为您预约线下法律咨询（预约号 #{id}）：\n"
    "时间：{when}\n地点：{place}\n接待：{name}\n"
    "我们会在前一天和开始前一小时提醒您。不能来的话请点「取消预约」。"
)
ALREADY = "您已有一个预约（#{id}）：{when}，{place}，接待：{name}。如需改约，请先取消。"
CANCELLED = "已取消预约 #{id}（{when}）。需要时可以再发送 /预约。"
NOT_YOURS = "没有找到您的这个预约，可能已经取消或已过时间。"
REMIND_DAY = "⏰ 提醒：您预约的线下法律咨询（预约号 #{id}）在 {when}，地点：{place}，接待：{name}。"
REMIND_HOUR = "⏰ 提醒：您的线下法律咨询一小时后开始（预约号 #{id}）：{when}，地点：{place}。"

# To the adviser who receives.
DESK_BOOKED = "📅 新的线下预约 #{id}：{when}，{community}，地点：{place}。"
DESK_CANCELLED = "📅 线下预约 #{id}（{when}，{community}）已被居民取消。"

# `lawbot appointments`
HELP_GROUP = "线下预约：查看某天的预约，标记已接待（记入服务台账）。"
HELP_LIST = "列出某天（默认今天）的线下预约。"
HELP_HELD = "把预约标记为已接待，并在服务台账中记一次现场咨询。"
LIST_HEAD = "{day} 的线下预约："
LIST_NONE = "{day} 没有线下预约。"
LIST_LINE = "  #{id}  {start}–{end}  {community}  {name}  {place}  {status}"
STATUS = {"booked": "已预约", "held": "已接待", "cancelled": "已取消"}
HELD = "预约 #{id} 已标记为已接待，已在服务台账中记一次现场咨询（台账 #{log}）。"
NOT_FOUND = "没有预约 #{id}。"
NOT_BOOKED = "预约 #{id} 的状态是「{status}」，不能标记为已接待。"
UNKNOWN_PERSON = "--as：组织中没有 {name}。"
BAD_DAY = "--day：日期应写成 2026-12-08，而不是 {value}"
BAD_DAY_CHAT = "日期应写成 2026-12-08，而不是 {value}"
BTN_HELD = "#{id} 已接待"
HELD_USAGE = "用法：/held 预约号，例如 /held 3"
NOT_YOURS_DESK = "预约 #{id} 不是由您接待的，不能标记。"
LOG_NOTE = "线下预约 #{id}"
