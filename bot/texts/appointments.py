"""What residents read about on-site appointments (线下预约).

The receiving adviser's texts are in desk.py (ONSITE_*), the work-log note in report.py."""

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
