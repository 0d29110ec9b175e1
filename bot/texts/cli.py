"""Texts of `lawbot run`, `lawbot chat` and other commands the lead owns."""

NO_NETWORK = (
    "未配置 Telegram（TELEGRAM_BOT_TOKEN）、Matrix（MATRIX_HOMESERVER 等）"
    "或网页聊天（LAWBOT_WEB），"
    "现在在终端里以居民身份试用对话。输入问题后回车；按 Ctrl-D 结束。\n"
    "值班台可在另一个终端使用：lawbot tickets list / claim / reply / close。"
)
FAILED = "错误：{message}"  # every command's refusal, on stderr
RUNNING = "lawbot 已启动：{channels}。按 Ctrl-C 或发送 SIGTERM 停止。"
STOPPED = "lawbot 已停止。"
START_FAILED = (
    "聊天渠道无法启动：{error}。请检查 TELEGRAM_BOT_TOKEN、MATRIX_* 或 LAWBOT_WEB 的设置。"
)

# the small-talk phrase file (bot/data/smalltalk.txt), checked when `lawbot run` / `chat` start
PHRASES_BAD = "闲聊短语文件 {path} 有误：{error}。请改正后重新启动。"
PHRASE_OUTSIDE_SECTION = "第 {line} 行的短语不在任何 [分类] 之下"
UNKNOWN_SECTION = "第 {line} 行的分类 [{section}] 不存在，可用的分类：{known}"

# `lawbot chat`: a typed line that is not UTF-8
NOT_UTF8 = "这一行不是有效的 UTF-8 文字，已忽略。请把终端的编码设为 UTF-8 后重新输入。"

# `lawbot chat`: trying the bot as a resident at the terminal
CHAT_HELP = "以居民身份在终端里提问（逐行读取标准输入，可用管道）。"
CHAT_OPT_RESIDENT = "居民名字（身份）"
CHAT_OPT_COMMUNITY = "社区代码，如 xinhepu（相当于扫描社区二维码）"
CHAT_DEFAULT_RESIDENT = "居民"

# `lawbot run` with the web chat on, and `lawbot qr` (what the operator reads)
RUNNING_WEB = "网页聊天已开启（手机浏览器或微信扫码打开）："
RUNNING_WEB_COMMUNITY = "  {name}：{url}"
QR_WRITTEN = "已生成 {count} 个社区的二维码和海报，在 {out}：打开 index.html 可逐张打印。"
QR_NO_COMMUNITIES = "还没有配置社区：请先用 lawbot org import 导入机构文件。"
QR_BAD_URL = "--base-url 应以 http:// 或 https:// 开头，例如 https://fl.example.gov.cn"
