"""Texts the Telegram channel itself shows (everything else comes from the core)."""

APOLOGY = (
    "抱歉，系统刚才出了点问题，您的消息已记录，我们会尽快处理。"
    "紧急情况请拨打 110，法律援助热线 12348。"
)
BUTTON_EXPIRED = "这个按钮已失效，请重新发送您的问题。"
EMPTY_TEXT = "（空消息）"

# Shown in Telegram's command menu (setMyCommands). The core gives them their meaning.
PRIVATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始使用（可附社区代码）"),
    ("help", "使用说明"),
    ("my", "我的咨询单"),
    ("forget", "删除我的信息"),
    ("duty", "法律顾问：值班安排"),
    ("faq", "法律顾问：维护常见问题"),
    ("review", "法律顾问：待处理的未答问题"),
)
GROUP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("tickets", "列出未结的咨询单"),
    ("help", "值班台使用说明"),
)
