"""Make the README's sample report from the demo data: `python docs/report_sample.py OUT_DIR`.

Runs `lawbot init --demo` into OUT_DIR/lawbot.db, lets 40 residents of the two demo
communities ask real questions (the first of ../shared/data/eval/legal_user_questions.jsonl
plus everyday ones) through the real matcher over November and December 2026, has the desk
answer and close the tickets, imports a small work log, and writes OUT_DIR/报表.xlsx.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_service, open_database  # noqa: E402
from bot.cli import cli  # noqa: E402
from bot.messages import Incoming  # noqa: E402
from bot.report import build, write_xlsx  # noqa: E402
from bot.worklog import WorkLog  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
QUESTIONS = ROOT.parent / "shared" / "data" / "eval" / "legal_user_questions.jsonl"
EVERYDAY = ("房东不退押金怎么办", "物业费不交会怎么样", "加装电梯要多少户同意",
            "公司拖欠工资怎么办", "邻居装修太吵怎么办", "离婚孩子归谁", "借钱不还怎么起诉",
            "父母去世房子怎么继承")
LOG = """type,community,date,count,note,person,minutes
现场咨询,xinhepu,2026-11-04,6,周三驻点：租赁、继承,王律师,180
现场咨询,dongyuan,2026-11-11,4,周三驻点：物业、加装电梯,王律师,150
电话咨询,xinhepu,2026-11-18,3,劳动争议,王律师,45
法律意见书,dongyuan,2026-11-20,1,业委会选聘物业合同审查,王律师,240
人民调解,xinhepu,2026-11-25,1,楼上漏水纠纷调解成功,王律师,120
法治宣传,东园新村社区,2026-11-28,55,民法典进社区讲座,王律师,90
现场咨询,xinhepu,2026-12-02,5,周三驻点,王律师,150
法律援助转介,dongyuan,2026-12-03,1,工伤赔偿转区法律援助中心,王律师,30
法治宣传,新河浦社区,2026-12-04,38,防范养老诈骗,小李,60
"""


def main() -> None:
    """Build the sample database and write the workbook."""
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "lawbot.db"
    cli.main(["init", "--demo", "--db", str(db_path)], standalone_mode=False)
    rng = random.Random(5)
    with QUESTIONS.open(encoding="utf-8") as f:
        real = [json.loads(line)["question"] for _, line in zip(range(24), f, strict=False)]
    db = open_database(db_path)
    service = build_service(db, TZ)
    start = datetime(2026, 11, 2, 1, tzinfo=UTC)
    for n, text in enumerate(real + list(EVERYDAY) * 2):
        at = start + timedelta(hours=rng.randrange(0, 33 * 24))
        channel = rng.choice(("telegram", "telegram", "web", "terminal"))
        who = f"r{n}"

        def say(words: str, when: datetime, who: str = who, channel: str = channel) -> None:
            service.handle(Incoming(channel=channel, chat_id=who, sender_id=who, text=words,
                                    message_id=f"{who}-{when.timestamp()}"), when)

        say(f"/start {rng.choice(('xinhepu', 'dongyuan'))}", at)
        say(text, at + timedelta(seconds=5))
        ticket = db.execute("SELECT max(id) FROM tickets WHERE chat_id = ?", [who]).fetchone()[0]
        if ticket is None:
            if rng.random() < 0.4:
                say(f"/rate {db.execute('SELECT max(id) FROM question_log').fetchone()[0]} up",
                    at + timedelta(minutes=1))
            continue
        replied = at + timedelta(minutes=rng.choice((8, 15, 25, 40, 90, 240)))
        answer = "您好，建议先保留证据，带材料到社区驻点面谈。"
        service.desk_command("小李", f"/reply {ticket} {answer}", replied)
        say(f"/rate t{ticket} {rng.choice((5, 5, 4, 3))}", replied + timedelta(minutes=30))
        service.desk_command("小李", f"/close {ticket}", replied + timedelta(hours=1))
        if rng.random() < 0.5:
            WorkLog(db).log_ticket(ticket, "小李", 20, TZ, replied)
    (out / "台账.csv").write_text(LOG, encoding="utf-8")
    WorkLog(db).import_file(out / "台账.csv", "sample", start)
    report = build(db, TZ, datetime(2026, 11, 1).date(), datetime(2026, 12, 1).date())
    write_xlsx(report, out / "报表.xlsx", datetime(2026, 12, 5, 9, tzinfo=TZ))
    db.close()
    print(out / "报表.xlsx")


if __name__ == "__main__":
    main()
