"""Texts of the operations commands: run lock, backup, restore, status, upgrades."""

ALREADY_RUNNING = (
    "这个数据库已由另一个 lawbot run 进程使用（进程号 {pid}），不能再启动一个。"
    "如需重启，请先停止它：systemctl stop lawbot，或 kill {pid}。"
)
PID_UNKNOWN = "未知"

HELP_BACKUP = "在线备份数据库（机器人运行时也可执行），校验后说明写了什么。"
HELP_BACKUP_OUT = "备份文件；与 --keep 一起用时是文件夹，其中保存带日期的备份"
HELP_BACKUP_KEEP = "文件夹中只保留最新的 N 份备份，更早的删除"
HELP_RESTORE = "用备份文件替换数据库（机器人运行时拒绝执行）；被替换的数据库另存一份。"
HELP_STATUS = (
    "查看运行状况：数据库、机器人进程、各聊天渠道、待发消息、最近备份；不健康时退出码为 1。"
)
HELP_STATUS_JSON = "以 JSON 输出"

BACKUP_MISSING_DB = "数据库 {path} 不存在，没有可备份的内容。"
BACKUP_NOT_LAWBOT = "{path} 不是 lawbot 的数据库（缺少 _migrations 表）。"
BACKUP_UNREADABLE = "无法读取 {path}：{error}"
BACKUP_CORRUPT = "{path} 未通过完整性检查（PRAGMA integrity_check）：{error}"
BACKUP_COUNTS_DIFFER = (
    "{path} 的行数与备份时的数据库不一致：{table} 应为 {expected}，实为 {actual}。"
)
BACKUP_KEEP_NEEDS_FOLDER = "--keep 需要 --out 是文件夹（{path} 是一个已有文件）。"
BACKUP_KEEP_POSITIVE = "--keep 至少为 1。"
BACKUP_WROTE = "已备份到 {path}（{size}，完整性检查通过）。"
BACKUP_COUNTS = "各表行数：{counts}"
BACKUP_ROTATED = "已删除较早的备份：{names}"

RESTORE_RUNNING = (
    "机器人正在使用这个数据库（进程号 {pid}），不能恢复。"
    "请先停止它（systemctl stop lawbot），再执行 lawbot restore。"
)
RESTORE_MISSING = "备份文件 {path} 不存在。"
RESTORE_DONE = "已用 {source} 恢复数据库 {path}。"
RESTORE_ASIDE = "原数据库另存为 {aside}（确认无误后可删除）。"

UPGRADE_BACKUP = "数据库需要升级，升级前已备份到 {path}。"

STATUS_HEALTHY = "状态：正常"
STATUS_UNHEALTHY = "状态：异常"
STATUS_DB_OK = "数据库：{path} 可访问"
STATUS_DB_BAD = "数据库：{path} 无法访问（{error}）"
STATUS_BOT_RUNNING = "机器人：运行中（进程号 {pid}）"
STATUS_BOT_STOPPED = "机器人：未运行"
STATUS_CHANNEL_UP = "渠道 {channel}：已连接（自 {since} 起，{ago}）"
STATUS_CHANNEL_DOWN = "渠道 {channel}：未连接（自 {since} 起，{ago}）：{detail}"
STATUS_NO_CHANNELS = "渠道：运行中的机器人尚未记录任何渠道"
STATUS_OUTBOX = "待发消息：{backlog} 条"
STATUS_OUTBOX_OLDEST = "待发消息：{backlog} 条，最早的已等待 {ago}"
STATUS_OUTBOX_FAILED = "放弃发送的消息：{failed} 条（见日志）"
STATUS_BACKUP = "最近备份：{at}（{ago}前）{path}"
STATUS_BACKUP_NONE = "最近备份：无"
STATUS_PROBLEMS = "问题："
PROBLEMS = {
    "database_unreachable": "数据库无法访问",
    "bot_not_running": "机器人没有运行",
    "channel_disconnected": "聊天渠道 {channel} 未连接",
    "outbox_stale": "有消息超过 {minutes} 分钟仍未发出",
    "backup_stale": "超过 {hours} 小时没有成功的备份",
}

AGO_SECONDS = "{n} 秒"
AGO_MINUTES = "{n} 分钟"
AGO_HOURS = "{n} 小时"
AGO_DAYS = "{n} 天"

INTERNAL_ERROR = (
    "lawbot 内部错误（错误编号 {error_id}）。请把这个编号告诉管理员；上面一行日志有详细记录。"
)
