"""Texts of `lawbot ask` and `lawbot eval`: what advisers read when they test the FAQ."""

DECISIONS = {
    "answer": "直接回答",
    "suggest": "给出候选问题（您是不是想问）",
    "escalate": "转人工",
}
RULES = {
    "confident": "第一名的判定分达到回答阈值，且明显高于第二名",
    "close_runner_up": "第一名的判定分达到回答阈值，但第二名太接近，改为给出候选",
    "medium": "第一名的判定分介于候选阈值和回答阈值之间",
    "low": "第一名的判定分低于候选阈值",
    "no_terms": "问题中没有知识库认识的词",
    "no_entries": "该社区没有适用的已发布问答",
    "low_coverage": "第一名的判定分达到回答阈值，但问题中的关键词大多不在该条目中，改为给出候选",
    "not_legal": "问题中没有法律相关的词语，不属于法律咨询，转人工",
    "unknown_words": "第一名的判定分达到回答阈值，但问题中有不少知识库从未用过的词，改为给出候选",
}
ASK_HEADER = "判定：{decision}（{rule}）"
ASK_TERMS = "问题分词：{terms}"
ASK_CANDIDATE = "{rank}. [{id}] 排序分 {score:.3f}，判定分 {confidence:.3f}  {question}"
ASK_MATCHED = "     匹配的说法：{phrasing}；共同词语：{terms}"
ASK_UNKNOWN = "知识库从未用过的词：{terms}（占问题信息量 {share:.0%}，超过 {limit:.0%} 不直接回答）"
ASK_COVERAGE = (
    "第一名条目含有问题要点的 {share:.0%}（按词语在日常中文里的信息量计，"
    "达到 {limit:.0%} 才直接回答；知识库没有、法律条文也不用的叙述性词语不计）；"
    "条目里没有的词：{terms}"
)
ASK_DOMAIN = "法律相关词语：{terms}（法律领域信号 {share:.0%}，为 0 时不作法律问题处理）"
ASK_THRESHOLD = (
    "第一名条目的回答阈值：判定分 {answer:.3f}（建库时按本库自动校准：高于其他条目的问法"
    "在该条目上能得到的最高分，且不低于本库最低回答阈值 {floor:.3f}）；"
    "给出候选阈值：{suggest:.3f}"
)
ASK_RAISED_BY = (
    "这个阈值由相近条目 {other} 的问法「{phrasing}」决定：两条太像，只有比它更像第一名条目的问题"
    "才直接回答（lawbot faq overlap 列出所有这样的条目）"
)
# Printed under the candidates of a "did you mean" list: which entries it holds.
ASK_SUGGEST_LIST = (
    "候选只列出：第一名，以及判定分达到第一名的 {within:.0%}、不低于给出候选阈值、"
    "并含有问题要点 {coverage:.0%} 以上的条目；居民最多看到前 {shown} 个"
)
# Printed under the candidates: what the two scores mean.
ASK_SCORES = (
    "排序分决定先后，含单字相似度，并更看重最相近的一个问法；"
    "是否直接回答只看判定分（按词语和双字计算）。"
)
NONE = "（无）"
NO_DATABASE = "找不到数据库 {path}。请先运行 lawbot init，或用 --db 指定数据库文件。"
BAD_EVAL_LINE = '{path} 第 {line} 行不是有效的 JSON 对象 {{"question": …, "expected": …}}：{error}'
EVAL_EMPTY = "{path} 里没有问题。"
EVAL_HEADER = "{label}：{n} 个问题"
EVAL_IN_SCOPE = "知识库覆盖的问题（expected 不为空）"
EVAL_OUT_OF_SCOPE = "知识库未覆盖的问题（expected 为空）"
EVAL_ROWS = (
    ("top1", "top-1 命中率"),
    ("top3", "top-3 命中率"),
    ("mrr", "MRR"),
    ("answered_correctly", "直接回答且正确"),
    ("answered_wrongly", "直接回答但错误"),
    ("suggested", "给出候选"),
    ("escalated", "转人工"),
)
EVAL_WROTE = "逐题结果已写入 {path}"
