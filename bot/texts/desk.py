"""What volunteers and advisers read in the desk room, in private chats and in the CLI."""

NEW_TICKET = "🆕 新工单 #{number}（{community}，{category}）\n居民问题：{question}{context}"
NEW_URGENT = "🚨 紧急工单 #{number}（{community}，{category}）\n居民问题：{question}{context}"
CONTEXT_REPLY = "\n助手刚才的答复：{reply}"
CONTEXT_TRIGGER = "\n转人工原因：{reason}"
REMINDER = (
    "⏰ 提醒：工单 #{number} 已等待 {minutes} 分钟仍未认领（{community}）\n居民问题：{question}"
)
REMINDER_URGENT = (
    "🚨 紧急工单 #{number} 已等待 {minutes} 分钟仍未认领（{community}），请立即处理！\n{question}"
)
REMINDER_CLAIMED = (
    "⏰ 工单 #{number} 已由 {name} 认领 {minutes} 分钟，还没有答复居民。\n居民问题：{question}"
)
FOLLOW_UP = "💬 工单 #{number} 居民补充：{text}"
DIGEST_HEAD = "值班开始了。目前有 {count} 个待处理工单："
DIGEST_LINE = "#{number} {urgent}{community}：{question}"
URGENT_MARK = "【紧急】"
NO_COMMUNITY = "未知社区"
NO_CATEGORY = "未分类"

BTN_CLAIM = "认领"
BTN_ADVISER = "转顾问"
BTN_CLOSE = "结单"

CLAIMED = "{name} 认领了工单 #{number}。回复此消息或发送 /reply {number} 内容 即可答复居民。"
ALREADY_CLAIMED = "工单 #{number} 已由 {name} 认领。"
CLAIMED_NO_REPLY = (
    "工单 #{number} 已由 {name} 认领，由 {name} 答复居民，您的答复没有发出。"
    "有补充请联系 {name}，或转给顾问。"
)
REPLIED = "已把答复转给工单 #{number} 的居民。"
RESIDENT_GONE = "工单 #{number} 的居民已删除个人数据，答复无法送达。"
HANDED = "工单 #{number} 已转给顾问 {name}。"
HANDED_TO_YOU = "📨 {by} 把工单 #{number} 转给您（{community}）\n居民问题：{question}"
NO_ADVISER = "团队里没有可转交的顾问。"
NOT_AN_ADVISER = (
    "无法转给 {name}：不是可以处理这个工单的顾问（本团队的顾问，或专家库里懂这个领域的顾问）。"
)
CHOOSE_SPECIALIST = "工单 #{number} 属于{category}方面，请选择转给哪位顾问："
BTN_TO_SPECIALIST = "转给 {name}（{category}）"
CLOSED = "工单 #{number} 已结单。"
ALREADY_FINISHED = "工单 #{number} 的状态是“{status}”，不能再处理。"
FAQ_DRAFTED = (
    "已根据工单 #{number} 生成知识库草稿 {faq_id}，"
    "请顾问审核后发布（lawbot faq publish {faq_id}）。"
)
FAQ_NEEDS_REPLY = "工单 #{number} 还没有答复，无法生成知识库条目。"
FAQ_UNAVAILABLE = "知识库暂不可用，无法生成草稿。"
NOT_FOUND = "没有工单 #{number}。"
NOT_A_MEMBER = "抱歉，您不在这个值班团队的名单里，不能处理工单。如需咨询，请私聊本助手。"
NOT_YOUR_TEAM = "工单 #{number} 不属于您所在的团队，您不能查看或处理。"
USAGE_REPLY = "用法：/reply 工单号 答复内容（或直接回复工单消息）"
USAGE_NUMBER = "用法：/{command} 工单号"
DESK_HELP_HEAD = "值班台命令："
# The desk's commands in /help and in Telegram's group menu (bot/commands.py): (arguments, help).
COMMAND_HELP = {
    "tickets": ("", "查看本团队的未结工单"),
    "show": ("N", "查看工单和对话记录"),
    "claim": ("N", "认领工单"),
    "reply": ("N 内容", "答复居民（也可直接回复工单消息）"),
    "adviser": ("N", "转给顾问"),
    "close": ("N", "结单"),
    "addfaq": ("N", "把工单问答加入知识库草稿"),
    "duty": ("", "现在谁值班、下一班是谁"),
    "faq": (
        "", "知识库：/faq show 条目号 查看；顾问可 add / answer / alt / publish（发送 /faq 看用法）"
    ),
    "review": ("", "最近需要人工处理的提问，一键加为条目说法（顾问）"),
    "onsite": ("[日期]", "我某天（默认今天）的线下预约"),
    "held": ("预约号", "标记线下预约已接待，记入台账（现场咨询）"),
    "help": ("", "值班台使用说明"),
}
OPEN_TICKETS_NONE = "目前没有未结工单。"
OPEN_TICKETS_HEAD = "未结工单："
TICKET_LINE = "#{number} {status} {urgent}{community} {assignee} {question}"
UNASSIGNED = "未认领"

SHOW_HEAD = (
    "工单 #{number}  {status}{urgent}\n社区：{community}  分类：{category}\n"
    "处理人：{assignee}  创建：{created}"
)
SHOW_QUESTION = "问题：{question}"
SHOW_EVENT = "[{at}] {who}：{text}"
ROLE = {"resident": "居民", "desk": "值班", "bot": "助手"}
BOT = "助手"

# What the bot said before a ticket opened (question_log.reply, shown in the thread).
REPLY_ANSWER = "答复了知识库条目【{question}】{excerpt}"
REPLY_SUGGEST = "给出相近问题：{questions}"
REPLY_CLARIFY = "请居民说明问题类别"
REPLY_CHOOSE = "询问是补充工单还是新问题"
EXCERPT_CHARS = 60
TRIGGER = "转人工原因：{reason}"
TRIGGERS = {
    "human": "居民要求转人工",
    "button": "居民点了“都不是，转人工”",
    "down": "居民对助手的答复点了“没帮助”",
    "escalate": "知识库没有把握的答案",
    "clarified": "请居民说明后，知识库仍没有把握的答案",
    "urgent": "消息含紧急字词",
    "new": "居民说明这是新问题",
    "legal_aid": "居民做了法律援助预评估后要求转人工",
}
RATING = "居民评分：{rating}"
REDACTED = "（居民已删除）"

# `lawbot tickets` help (read by the desk at the terminal)
HELP_TICKETS = "值班台：查看、认领、答复、转顾问、结单。"
HELP_LIST = "列出未结工单（--all 列出全部）。"
HELP_SHOW = "显示一个工单和对话记录（个人号码已打码）。"
HELP_CLAIM = "认领工单。"
HELP_REPLY = "答复工单，答复会转给居民。"
HELP_ADVISER = "把工单转给顾问。"
HELP_CLOSE = "结单。"
HELP_ADDFAQ = "用工单的问答生成知识库草稿。"
HELP_INBOX = "显示终端值班台收到的新消息（新工单、补充、提醒），只显示一次。"
OPT_JSON = "输出 JSON"
OPT_ALL = "包括已结束的工单"
OPT_LIST_AS = "只列出此人所在团队的工单（默认：管理员，全部）"
OPT_SHOW_AS = "以此人身份查看（默认：管理员）"
OPT_CLAIM_AS = "认领人（组织名单里的名字）"
OPT_REPLY_AS = "答复人（组织名单里的名字）"
OPT_CLOSE_AS = "操作人（默认：管理员）"
OPT_AS = "操作人"
OPT_INBOX_AS = "也显示发给此人的私信（新工单、转交、提醒）"

ADMIN = "管理员"
INBOX_EMPTY = "没有新消息。"
CLI_UNKNOWN_PERSON = "组织名单里没有“{name}”。请用 lawbot org show 查看名单。"

# --- on-site appointments: the receiving adviser, in chat (/onsite, /held) and with
# `lawbot appointments` --------------------------------------------------------------------
ONSITE_BOOKED = "📅 新的线下预约 #{id}：{when}，{community}，地点：{place}。"
ONSITE_CANCELLED = "📅 线下预约 #{id}（{when}，{community}）已被居民取消。"
ONSITE_HELP_GROUP = "线下预约：查看某天的预约，标记已接待（记入服务台账）。"
ONSITE_HELP_LIST = "列出某天（默认今天）的线下预约。"
ONSITE_HELP_HELD = "把预约标记为已接待，并在服务台账中记一次现场咨询。"
ONSITE_LIST_HEAD = "{day} 的线下预约："
ONSITE_LIST_NONE = "{day} 没有线下预约。"
ONSITE_LIST_LINE = "  #{id}  {start}–{end}  {community}  {name}  {place}  {status}"
ONSITE_STATUS = {"booked": "已预约", "held": "已接待", "cancelled": "已取消"}
ONSITE_HELD = "预约 #{id} 已标记为已接待，已在服务台账中记一次现场咨询（台账 #{log}）。"
ONSITE_NOT_FOUND = "没有预约 #{id}。"
ONSITE_NOT_BOOKED = "预约 #{id} 的状态是「{status}」，不能标记为已接待。"
ONSITE_BAD_DAY = "--day：日期应写成 2026-12-08，而不是 {value}"
ONSITE_BAD_DAY_CHAT = "日期应写成 2026-12-08，而不是 {value}"
BTN_ONSITE_HELD = "#{id} 已接待"
ONSITE_HELD_USAGE = "用法：/held 预约号，例如 /held 3"
ONSITE_NOT_YOURS = "预约 #{id} 不是由您接待的，不能标记。"
