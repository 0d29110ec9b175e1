"""Which topics real residents ask about, and how many starter FAQ entries cover each.

Reads the 2,000 real legal questions in ../shared/data/eval/legal_user_questions.jsonl
(where they lie; never copied), assigns each question to every topic whose keywords it
contains, and prints a table: questions per topic, share, and the number of published
starter entries in the matching FAQ category. Keyword topics are coarse on purpose: the
point is which topics come up most, not an exact classification.

    .venv/bin/python benchmarks/faq_coverage.py
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT.parent / "shared" / "data" / "eval" / "legal_user_questions.jsonl"
STARTER = ROOT / "knowledge" / "starter"

# topic -> (FAQ category that covers it, keywords)
TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "婚姻离婚": (
        "婚姻家庭",
        ("离婚", "结婚", "彩礼", "夫妻", "老公", "老婆", "丈夫", "妻子", "婚前", "婚后"),
    ),
    "子女抚养": ("婚姻家庭", ("抚养", "抚养费", "探望", "监护", "孩子", "小孩")),
    "继承遗嘱": ("继承", ("继承", "遗嘱", "遗产", "去世", "过世", "死亡")),
    "赡养老人": ("赡养老人", ("赡养", "老人", "父母养老", "养老")),
    "劳动工资": (
        "劳动",
        (
            "工资",
            "加班",
            "辞退",
            "开除",
            "解除劳动",
            "劳动合同",
            "社保",
            "试用期",
            "离职",
            "公司",
            "单位",
            "老板",
            "员工",
        ),
    ),
    "劳动仲裁": ("劳动", ("仲裁", "经济补偿", "赔偿金")),
    "工伤": ("工伤", ("工伤", "伤残", "职业病", "工亡")),
    "借贷欠款": (
        "借贷",
        ("借钱", "借款", "欠钱", "欠款", "借条", "欠条", "利息", "还钱", "债务", "贷款"),
    ),
    "交通事故": ("交通事故", ("车祸", "交通事故", "撞", "肇事", "交警", "驾驶", "电动车")),
    "房屋租赁": ("租房", ("租房", "房东", "租客", "押金", "租金", "租赁", "退租", "承租")),
    "房屋买卖与产权": (
        "房屋买卖",
        ("房产", "房产证", "过户", "买房", "卖房", "购房", "宅基地", "拆迁"),
    ),
    "物业与小区": ("物业", ("物业", "业主", "小区", "车位", "停车")),
    "邻里纠纷": ("相邻关系", ("邻居", "噪音", "漏水", "采光", "通道")),
    "人身伤害": ("人身损害", ("打伤", "被打", "受伤", "狗咬", "咬伤", "高空", "医药费", "伤害")),
    "消费维权": ("消费维权", ("退货", "退款", "商家", "消费", "假货", "预付", "充值", "会员卡")),
    "诈骗与个人信息": ("诈骗与个人信息", ("诈骗", "被骗", "骗子", "个人信息", "隐私", "泄露")),
    "刑事": ("刑事", ("判刑", "坐牢", "拘留", "犯罪", "刑事", "公安", "报警")),
    "诉讼与法律援助": (
        "求助途径",
        ("起诉", "法院", "诉讼", "律师", "法律援助", "调解", "执行", "判决"),
    ),
}


def load_questions() -> list[str]:
    """The real questions, one string each."""
    with QUESTIONS.open(encoding="utf-8") as handle:
        return [json.loads(line)["question"] for line in handle if line.strip()]


def starter_categories() -> Counter[str]:
    """Number of starter FAQ entries per category."""
    counts: Counter[str] = Counter()
    for path in sorted(STARTER.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        counts[data.get("category", path.stem)] += len(data.get("entries") or [])
    return counts


def main() -> None:
    """Print the topic table."""
    questions = load_questions()
    per_topic: Counter[str] = Counter()
    unmatched = 0
    for question in questions:
        hits = [t for t, (_, words) in TOPICS.items() if any(w in question for w in words)]
        per_topic.update(hits)
        unmatched += not hits
    faq = starter_categories()
    print(f"{len(questions)} real questions; {unmatched} match no topic keyword\n")
    print(f"| {'topic':<12} | questions | share | FAQ category | entries |")
    print("|---|---:|---:|---|---:|")
    for topic, count in per_topic.most_common():
        category = TOPICS[topic][0]
        share = count / len(questions)
        print(f"| {topic} | {count} | {share:.1%} | {category} | {faq.get(category, 0)} |")
    print(f"\nstarter FAQ: {sum(faq.values())} entries in {len(faq)} categories")


if __name__ == "__main__":
    main()
