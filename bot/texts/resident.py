"""What residents read: the notice, answers, suggestions, tickets, help and errors."""

NOTICE = (
    "您好，这里是社区法律顾问助手。\n"
    "· 本助手提供的是一般性法律信息，不是律师针对您个案的法律意见；\n"
    "· 我们会保存您的提问和对话记录，用于答复和统计，发送 /forget 可随时删除；\n"
    "· 继续提问即表示您同意以上说明；\n"
    "· 紧急情况请立即拨打 110；法律咨询热线 12348。"
)

HELP_HEAD = "直接输入您的问题即可，例如“房东不退押金怎么办”。\n常用命令："
HELP_FOOT = "紧急情况请拨打 110；法律咨询热线 12348。"
# The resident's commands in /help and in Telegram's menu (bot/commands.py): (arguments, help).
COMMAND_HELP = {
    "start": ("[社区代码]", "开始使用（扫社区二维码时自动带上社区代码）"),
    "human": ("", "转人工（也可以输入“转人工”“找律师”）"),
    "my": ("", "查看我的工单"),
    "law": ("法条", "查看法条原文，例如 /law 民法典第722条"),
    "community": ("社区代码", "设置所在社区"),
    "forget": ("", "删除我的全部数据"),
    "book": ("", "预约社区的线下法律咨询"),
    "legalaid": ("", "法律援助预评估：看看自己能否申请法律援助"),
    "help": ("", "显示本帮助"),
}

# Small talk (bot/smalltalk.py): the bot answers itself, never a ticket.
CAN_DO = (
    "我可以解答租房押金、劳动工资、婚姻家庭、邻里纠纷等常见法律问题，直接输入问题即可；"
    "需要真人帮助请发“转人工”。"
)
SMALLTALK = {
    "about": (
        "我是社区法律顾问的问答助手，是机器人，不是真人：回答来自社区法律顾问审核过的常见问题，"
        "并附上法律依据；我答不好的问题会转给社区法律顾问和志愿者。" + CAN_DO
    ),
    "greeting": "您好！" + CAN_DO,
    "presence": "在的！" + CAN_DO,
    "ask": (
        "好的，请直接说说您的问题：发生了什么、您希望怎么解决。我会先从法律顾问审核过的问答库里找答案；"
        "需要真人帮助请发“转人工”。"
    ),
    "thanks": "不客气！还有问题可以随时问我；需要真人帮助请发“转人工”。",
    "bye": "好的，再见！以后遇到法律问题随时来问；需要真人帮助请发“转人工”。",
    "ack": "好的。还有其他问题可以直接输入；需要真人帮助请发“转人工”。",
    "emoji": "收到！" + CAN_DO,
    "foreign": "抱歉，我只能看懂中文的提问。" + CAN_DO,
}
ASK_STREET = "请问您住在哪个街道？请选择："
ASK_COMMUNITY = "请选择您所在的社区（{street}）："
UNKNOWN_STREET = "没有找到这个街道，请从下面选择："
UNKNOWN_COMMUNITY = "没有找到社区代码“{code}”。"
NO_ORGANISATION = "本服务还没有配置社区，暂时无法转人工。紧急情况请拨打 110；法律咨询热线 12348。"
COMMUNITY_SET = "已设置您的社区：{name}（{street}）。"
COMMUNITY_NEEDED = "为了把问题交给您所在社区的法律顾问，请先选择社区。"

ANSWER = "【{question}】\n{answer}"
ADVICE_MARK = "建议："
LEGAL_BASIS = "法律依据：{basis}"
DISCLAIMER = "（以上为一般性法律信息，不构成针对个案的法律意见。）"
BTN_UP = "👍 有帮助"
BTN_DOWN = "👎 没帮助"
BTN_HUMAN = "转人工"
BTN_LAW = "查看法条"
BTN_LAW_NAMED = "查看{citation}"

SUGGEST = "您是不是想问："
CHOOSE_BY_NUMBER = "（回复数字即可选择）"  # under buttons shown as a numbered list
RELATED = "关于“{topic}”，您可能还想了解："
CLARIFY = (
    "我还不太确定您想问什么。请选择问题的类别，或者换个说法详细说说"
    "（发生了什么、您希望怎么解决）："
)
CATEGORY_ENTRIES = "“{category}”方面的常见问题："
CATEGORY_EMPTY = "“{category}”方面暂时没有现成的答案。请详细描述您的问题，或转人工。"
CHOOSE_TICKET = "您还有未结的工单 #{number}。这条消息是对它的补充，还是一个新问题？"
BTN_JOIN = "补充到工单 #{number}"
BTN_NEW = "这是新问题"
CHOICE_GONE = "这个选择已经过期了，请直接输入您的问题。"
BTN_NONE = "都不是，转人工"
FAQ_NOT_FOUND = "这个问题的答案暂时不可用，请换个说法或转人工。"

LAW_TEXT = "{citation}（{version}版）\n{text}"
LAW_NOT_IN_FORCE = "⚠️ 注意：此条文所在的法律文本已被修订或废止，仅供参考，请以现行有效法律为准。"
LAW_UNKNOWN = "没有找到“{citation}”。请写成“民法典第722条”这样的格式。"
LAW_UNAVAILABLE = "法条库尚未加载，暂时无法显示原文。"
LAW_USAGE = "请在 /law 后写上法条，例如：/law 民法典第722条"

THANKS_UP = "谢谢您的反馈！"
WHAT_QUESTION = "您想问的是什么？请用一两句话描述您的问题，我会连同刚才的对话转给值班人员。"
SORRY_DOWN = "抱歉没能帮到您。" + WHAT_QUESTION
NO_SUCH_CHOICE = "没有第 {n} 项可以选择。" + WHAT_QUESTION
RATE_UNKNOWN = "没有找到要评价的内容。"

TICKET_CREATED = "已为您转人工，工单号 #{number}。"
TICKET_URGENT = "您的情况已标记为紧急，工单号 #{number}，值班人员会优先处理。"
EXPECT_ON_DUTY = "现在由{names}值班，通常 {minutes} 分钟内回复。"
EXPECT_NEXT_DUTY = "现在不在值班时间，下一个值班时间 {when} 开始（{name}），届时会尽快回复您。"
EXPECT_UNKNOWN = "值班人员会尽快回复您。"
EXPECT_SPECIALIST = "您的问题属于{category}方面，{pool}的{name}正在值班，也已收到通知。"
EXPECT_SPECIALIST_ONLY = "社区团队现在不在值班时间。"
EXPECT_FOLLOW_UP = "有补充可以直接回复这条消息，会加到这个工单里。"
FOLLOW_UP_ADDED = "已补充到工单 #{number}，值班人员会看到。"

EMERGENCY = (
    "如果您或他人正面临危险，请立即拨打：\n"
    "· 报警 110 · 急救 120\n"
    "· 妇女维权热线 12338\n"
    "· 心理援助热线 12356\n"
    "· 法律援助热线 12348"
)

DESK_REPLY = "工单 #{number} 的回复（{name}）：\n{text}"
RATE_TICKET = "这次答复对您有帮助吗？可以打分（1–5 分）："
BTN_STAR = "{n} 分"
TICKET_CLOSED = "您的工单 #{number} 已结束。如还有问题，欢迎继续提问。"
TICKET_EXPIRED = (
    "抱歉，工单 #{number} 长时间未得到处理，已自动关闭。"
    "您可以重新提问或拨打法律咨询热线 12348。"
)
TICKET_RATED = "谢谢您为工单 #{number} 打分！"

MY_TICKETS_NONE = "您目前没有工单。"
MY_TICKETS_HEAD = "您的工单："
MY_TICKET_LINE = "#{number} {status} {created} {question}"
STATUS = {
    "open": "待认领",
    "claimed": "处理中",
    "answered": "已答复",
    "closed": "已结束",
    "expired": "已过期",
}

FORGOTTEN = "已删除您的全部对话记录和个人信息。统计中只保留不含个人信息的数量。欢迎随时再来提问。"

SLOW_DOWN = (
    "您发送的消息有点多，我们都已收到并保存，请稍等片刻再继续发送。"
    "如果是紧急情况，请直接拨打 110。"
)
APOLOGY = (
    "抱歉，系统出了点问题，已通知管理员（错误编号 {error_id}）。"
    "请稍后再试；紧急情况请拨打 110，法律咨询热线 12348。"
)
UNSUPPORTED = "抱歉，目前只能处理文字消息，请用文字描述您的问题。"
EMPTY = "请输入您的问题。"
UNKNOWN_COMMAND = "没有这个命令。发送 /help 查看可用的命令。"

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WHEN = "{weekday} {month}月{day}日 {hm}"
