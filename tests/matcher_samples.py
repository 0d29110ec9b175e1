"""A small FAQ for matcher tests: a few entries in the starter FAQ's style (not its text)."""

from __future__ import annotations

from matcher import Document

DOCS = (
    Document(
        id="deposit",
        question="退租后房东不退押金怎么办？",
        alternates=("房东扣着押金不还", "租约到期按金不退"),
        answer="押金是租赁合同的担保，租期届满且无损坏、无欠租的，房东应当退还押金。",
        category="租房",
    ),
    Document(
        id="dismissal",
        question="被公司辞退有没有经济补偿金？",
        alternates=("无故被开除能要赔偿吗", "公司裁员怎么补偿"),
        answer="用人单位解除劳动合同的，应按工作年限支付经济补偿，每满一年支付一个月工资。",
        category="劳动",
    ),
    Document(
        id="custody",
        question="离婚后孩子的抚养权归谁？",
        alternates=("离婚小孩跟谁", "离婚后想要孩子抚养权"),
        answer="离婚后，不满两周岁的子女以由母亲直接抚养为原则；已满八周岁的，应尊重其真实意愿。",
        category="婚姻家庭",
    ),
    Document(
        id="wages",
        question="老板拖欠工资不发怎么办？",
        alternates=("欠薪三个月怎么讨", "工厂不给工资"),
        answer="可以向劳动监察部门投诉，或者申请劳动仲裁，要求支付拖欠的工资。",
        category="劳动",
    ),
    Document(
        id="lift",
        question="旧楼加装电梯需要多少业主同意？",
        alternates=("老小区装电梯一楼反对",),
        answer="加装电梯属于业主共同决定事项，需经专有部分面积和人数双过半参与表决并同意。",
        communities=("xinhepu",),
        category="物业",
    ),
    Document(
        id="loan",
        question="朋友借钱不还，借条还有效吗？",
        alternates=("借给别人的钱要不回来",),
        answer="借条是借贷关系的证据，诉讼时效一般为三年，从约定的还款日起算。",
        category="借贷",
    ),
)
