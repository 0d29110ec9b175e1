"""Texts the Telegram channel itself shows (everything else comes from the core)."""

APOLOGY = (
    "抱歉，系统刚才出了点问题，您的消息已记录，我们会尽快处理。"
    "紧急情况请拨打 110，法律援助热线 12348。"
)
BUTTON_EXPIRED = "这个按钮已失效，请重新发送您的问题。"
EMPTY_TEXT = "（空消息）"

# Telegram's command menu (setMyCommands): only commands the core answers. The private menu
# is every resident's, so the staff's /duty, /faq and /review are offered in desk groups only
# (they work in a staff member's private chat as well).
PRIVATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始使用（可附社区代码）"),
    ("help", "使用说明"),
    ("human", "转人工（值班律师或志愿者）"),
    ("my", "我的工单"),
    ("forget", "删除我的全部信息"),
)
GROUP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("tickets", "列出未结工单"),
    ("claim", "认领工单：/claim 工单号"),
    ("reply", "答复居民：/reply 工单号 内容（或直接回复工单消息）"),
    ("adviser", "转给顾问：/adviser 工单号"),
    ("close", "结单：/close 工单号"),
    ("duty", "现在谁值班、下一班是谁"),
    ("faq", "知识库条目：/faq show 条目号（顾问可修改、发布）"),
    ("review", "最近需要人工处理的提问（顾问）"),
    ("help", "值班台使用说明"),
)
