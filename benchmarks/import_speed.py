"""How fast `lawbot faq import` reads 10,000 FAQ entries from CSV and from XLSX.

Generates realistic entries, writes them once as CSV and XLSX (through the real exporter),
then imports each file into a fresh SQLite file (statutes loaded, so every citation is
checked) in its own subprocess, and prints wall time and peak memory (VmHWM of that
subprocess) next to a baseline measured in the same run: merely reading the same file with
the csv module / openpyxl. Target on the 2-core CI machine: < 10 s and < 300 MB per import.

Usage: python benchmarks/import_speed.py [--entries N] [--laws PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from child_measure import measure, peak_rss_mb  # noqa: E402

DEFAULT_LAWS = ROOT.parent / "shared" / "data" / "laws" / "laws.jsonl"
TOPICS = {
    "租房": ("房东不退押金", "提前退租要赔多少", "房子漏水谁来修", "房东突然涨租金"),
    "物业": ("物业费不交会怎样", "小区停车费谁定", "物业不管漏水怎么办", "业委会怎么成立"),
    "加装电梯": ("加装电梯要多少户同意", "低层住户反对加装电梯", "电梯费用怎么分摊"),
    "婚姻家庭": ("协议离婚怎么办", "离婚孩子归谁", "婚前房产离婚怎么分", "抚养费标准"),
    "继承": ("父母去世房子怎么继承", "遗嘱怎么写才有效", "继承人有哪些", "公证遗嘱和自书遗嘱"),
    "劳动": ("公司拖欠工资怎么办", "没签劳动合同可以要双倍工资吗", "被辞退有没有补偿"),
    "借贷": ("借钱不还怎么起诉", "借条怎么写", "民间借贷利息多少合法"),
    "交通事故": ("电动车撞人谁负责", "交通事故赔偿项目", "肇事逃逸怎么办"),
}
CITATIONS = (
    "《民法典》第七百零三条", "《民法典》第七百二十二条", "《民法典》第七百一十二条",
    "《民法典》第二百七十八条", "《民法典》第一千零七十六条", "《民法典》第一千一百二十七条",
    "《劳动合同法》第四十七条", "《劳动合同法》第八十二条", "《物业管理条例》第七条",
    "《道路交通安全法》第七十六条", "民法典第679条", "刑法第一百三十三条之一",
)
SUFFIXES = ["怎么办", "咋整", "点算", "可以吗", "要注意什么", "找谁"]
PARAGRAPH = (
    "遇到这种情况，先保留好合同、收据、聊天记录和转账记录等证据，"
    "再与对方书面协商，写清楚要求和期限。协商不成的，可以请社区或街道的人民调解委员会调解，"
    "也可以拨打12348公共法律服务热线咨询；仍然解决不了的，可以向有管辖权的人民法院起诉。"
)


def generate(n: int, seed: int = 7) -> list[dict[str, object]]:
    """``n`` realistic entries as import rows (the file fields of DESIGN.md)."""
    rng = random.Random(seed)
    categories = list(TOPICS)
    rows = []
    for i in range(n):
        category = categories[i % len(categories)]
        topic = rng.choice(TOPICS[category])
        rows.append({
            "id": f"{category}-{i:05d}",
            "category": category,
            "question": f"{topic}？（情形{i}）",
            "alternates": [
                f"{topic}{suffix}"
                for suffix in rng.sample(SUFFIXES, rng.randint(1, 4))
            ],
            "answer": "\n".join(PARAGRAPH for _ in range(rng.randint(1, 3))) + f"（第{i}条）",
            "legal_basis": rng.sample(CITATIONS, rng.randint(1, 3)),
            "communities": rng.sample(["xinhepu", "dongyuan", "baiyun"], rng.randint(0, 2)),
            "status": rng.choice(["published", "published", "published", "draft"]),
        })
    return rows


def child(case: str, path: Path, db_path: Path) -> None:
    """Run one case in this (fresh) process and print its time and peak memory as JSON."""
    start = time.perf_counter()
    if case == "csv baseline":
        import csv

        from knowledge.io import decode_csv

        count = sum(1 for _ in csv.reader(decode_csv(path.read_bytes()).splitlines())) - 1
    elif case == "xlsx baseline":
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True)) - 1
        workbook.close()
    else:
        from knowledge.db import open_db
        from knowledge.io import import_faq
        from knowledge.laws import LawStore

        db = open_db(db_path)  # already migrated, statutes loaded
        laws = LawStore(db)
        count = import_faq(db, path, by="benchmark", laws=laws if laws.count() else None)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mb": peak_rss_mb(), "rows": count}))


def main() -> None:
    """Generate the files, run every case, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--laws", type=Path, default=DEFAULT_LAWS)
    parser.add_argument("--child", nargs=3, metavar=("CASE", "FILE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return

    from bot.app import open_database
    from knowledge.io import export_faq, import_faq
    from knowledge.laws import LawStore

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "source.jsonl"
        with source.open("w", encoding="utf-8") as f:
            for row in generate(args.entries):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        template = work / "template.db"
        db = open_database(template)
        if args.laws.exists():
            LawStore(db).import_jsonl(args.laws)
        else:
            print(f"(no statute corpus at {args.laws}: citations are not checked)")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        generated = work / "generated.db"
        shutil.copy(template, generated)
        gen_db = open_database(generated)
        import_faq(gen_db, source, by="generator")
        files = {"csv": work / "faq.csv", "xlsx": work / "faq.xlsx"}
        for path in files.values():
            export_faq(gen_db, path)
        gen_db.close()

        print(f"{args.entries:,} entries; CSV {files['csv'].stat().st_size / 1e6:.1f} MB, "
              f"XLSX {files['xlsx'].stat().st_size / 1e6:.1f} MB")
        print(f"{'case':<24}{'time (s)':>10}{'peak (MB)':>12}{'× baseline time':>18}")
        for kind, path in files.items():
            base = measure(__file__, f"{kind} baseline", path, template)
            fresh = work / f"import-{kind}.db"
            shutil.copy(template, fresh)
            run = measure(__file__, f"{kind} import", path, fresh)
            assert run["rows"] == args.entries, run
            print(f"{kind + ' baseline (read only)':<24}{base['seconds']:>10.2f}"
                  f"{base['peak_mb']:>12.0f}{1:>18.1f}")
            ratio = run["seconds"] / base["seconds"] if base["seconds"] else float("inf")
            print(f"{'lawbot faq import ' + kind:<24}{run['seconds']:>10.2f}"
                  f"{run['peak_mb']:>12.0f}{ratio:>18.1f}")
        print("target: < 10 s and < 300 MB per import")


if __name__ == "__main__":
    main()
