"""Texts the Telegram channel itself shows (everything else comes from the core)."""

APOLOGY = (
    "抱歉，系统刚才出了点问题，您的消息已记录，我们会尽快处理。"
    "紧急情况请拨打 110，法律援助热线 12348。"
)
BUTTON_EXPIRED = "这个按钮已失效，请重新发送您的问题。"
EMPTY_TEXT = "（空消息）"
