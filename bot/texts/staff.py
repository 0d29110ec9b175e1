"""What advisers, leads and volunteers read from /duty, /faq and /review (and `lawbot review`)."""

ROLE = {"adviser": "顾问", "lead": "负责人", "volunteer": "志愿者"}

# --- /duty ----------------------------------------------------------------------------------
DUTY_NO_TEAM = "您不属于任何团队，无法查看值班表。"
DUTY_NOW = "现在值班（{team}）：{people}"
DUTY_NOBODY = "现在没有人值班（{team}）。"
DUTY_PERSON = "{name}（{role}）"
DUTY_NEXT = "下一班：{name}（{role}），{when} 开始"
DUTY_NO_NEXT = "未来两周没有新的班次开始。"

# --- /faq -----------------------------------------------------------------------------------
FAQ_USAGE = (
    "知识库命令：\n"
    "/faq show 条目号 查看条目（问题、说法、答案、法律依据、状态、版本）\n"
    "/faq add 类别|问题|答案|法条1;法条2 新建草稿（法条可省略）\n"
    "/faq answer 条目号 新答案 修改答案（生成新版本）\n"
    "/faq alt 条目号 新说法 增加一种问法\n"
    "/faq publish 条目号 发布条目（法条须有效且现行）"
)
FAQ_ONLY_SHOW = "志愿者只能查看知识库条目（/faq show 条目号）；修改和发布请联系顾问。"
FAQ_NOT_FOUND = "没有知识库条目“{id}”。"
FAQ_SHOW = (
    "条目 {id}（{category}）  状态：{status}  第 {version} 版，{by} 修改\n"
    "问题：{question}\n"
    "其他说法：{alternates}\n"
    "答案：{answer}\n"
    "法律依据：{basis}"
)
FAQ_NONE = "无"
FAQ_STATUS = {"published": "已发布", "draft": "草稿", "archived": "已归档"}
FAQ_ADDED = "已新建草稿 {id}：{question}\n审核后发送 /faq publish {id} 发布。"
FAQ_ANSWER_SET = "条目 {id} 的答案已更新（第 {version} 版）。"
FAQ_WITHDRAWN = (
    "\n改动后的答案还没有经过法律顾问审核，条目已撤回为草稿，居民暂时看不到；"
    "法律顾问确认后发送 /faq publish {id} 重新发布。"
)
FAQ_ALT_ADDED = "已为条目 {id} 增加说法“{alternate}”（第 {version} 版）。"
FAQ_ALT_EXISTS = "条目 {id} 已有说法“{alternate}”，无需重复添加。"
FAQ_ALT_ANSWERED_ELSEWHERE = (
    "\n⚠ 注意：说法“{alternate}”已能由已发布的条目 {other} 直接回答，可能放错了条目；"
    "放错会让 {other} 更难直接回答，可在工作台的问答页删除这条说法。"
)
FAQ_PUBLISHED = "条目 {id} 已发布（第 {version} 版），居民现在可以得到这条答案。"
FAQ_UNCHANGED = "条目 {id} 没有变化。"
FAQ_INVALID = "未能保存条目：{error}"
FAQ_CITATION_REFUSED = "不能发布条目 {id}：{error}"
FAQ_QUESTION_GONE = "第 {qid} 号提问已不存在或居民已删除个人数据。"

# --- /review and `lawbot review` ------------------------------------------------------------
REVIEW_ONLY_CURATORS = "只有顾问和负责人可以整理知识库。"
REVIEW_HEAD = "最近 {days} 天需要人工处理的提问（最新在前，最多 {limit} 条）："
REVIEW_NONE = "最近 {days} 天没有需要整理的提问。"
REVIEW_LINE = "{qid}. [{when}] {reason}：{text}\n   最接近的条目：{candidate}"
REVIEW_NO_CANDIDATE = "（无）"
REVIEW_CANDIDATE = "{id} {question}"
REVIEW_REASONS = {
    "escalate": "未能回答",
    "clarify": "未能回答",
    "human": "转人工",
    "suggest": "推荐未采纳",
    "down": "居民点了👎",
}
REVIEW_HINT = "点按钮即可把居民的问法加为该条目的说法；也可发送 /faq altq 提问编号 条目号。"
BTN_ADD_ALT = "加为说法：{question}（{qid}）"
BUTTON_QUESTION_CHARS = 18
