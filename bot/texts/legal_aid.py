"""What residents read in the legal-aid pre-check (法律援助预评估).

The flow file's errors are in org.py, the work-log notes in report.py."""

from __future__ import annotations

KEYWORD = "法律援助"  # a question naming it is offered the pre-check
OFFER = "如果想知道自己能不能申请法律援助，可以做一个一分钟的预评估。"
BTN_START = "⚖️ 法律援助预评估"
BTN_LAW = "查看{citation}"
BTN_TICKET = "转人工咨询"
QUESTION = "【法律援助预评估】{question}\n（依据：{cites}）"
NO_STANDARD = "本地标准"
VERDICT = {"likely": "较有可能获得法律援助", "possibly": "有可能获得法律援助",
           "unlikely": "获得法律援助的可能性不大"}
RESULT = (
    "【法律援助预评估结果】{verdict}\n{text}\n"
    "这只是初步评估，是否给予法律援助由法律援助机构审查后决定（《法律援助法》第四十三条）。\n\n"
    "申请时请带上：\n{documents}\n\n{centre}"
)
CENTRE = "申请地点：{centre}，{address}，电话 {phone}。"
NO_CENTRE = "申请地点：请拨打 12348 公共法律服务热线，询问本区法律援助中心的地址。"
CHOICE_GONE = "这个选项已失效，请重新开始预评估。"
UNAVAILABLE = "法律援助预评估暂时不可用，请拨打 12348 公共法律服务热线咨询。"
TICKET_QUESTION = "居民做了法律援助预评估（结果：{verdict}），希望有人进一步说明如何申请。"
