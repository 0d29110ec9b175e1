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
    "uncovered_topic": "问题更接近知识库未覆盖的话题，转人工",
    "near_uncovered_topic": (
        "第一名仍领先，但知识库未覆盖的话题几乎同样接近，改为给出候选，居民可点“都不是，转人工”"
    ),
}
ASK_HEADER = "判定：{decision}（{rule}）"
ASK_TERMS = "问题分词：{terms}"
ASK_CANDIDATE = "{rank}. [{id}] 排序分 {score:.3f}，判定分 {confidence:.3f}  {question}"
ASK_MATCHED = "     匹配的说法：{phrasing}；共同词语：{terms}"
ASK_TOPIC = "最接近的未覆盖话题：{topic}（判定分 {score:.3f}）"
# Printed under the candidates: what the two scores mean.
ASK_SCORES = "排序分决定先后，含单字相似度；是否直接回答只看判定分（按词语和双字计算）。"
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
