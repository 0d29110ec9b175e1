"""Build a database exactly as the first released lawbot made it, with sample rows in every
table, for the upgrade test (a script, not a binary blob, so the fixture can be read).

The schema is frozen here as commit 99f6553 ("Organisation, roster and routing…", the first
commit in which ``lawbot init`` created every table) wrote it: the migrations
``knowledge.create_laws``, ``knowledge.create_faq``, ``org.create_org_tables`` and
``bot.create_bot_tables``. It must never be edited to follow later schema changes: it is what
an installed bot's database looks like before an upgrade.

Run ``python tests/first_release_db.py OUT.db`` to write one by hand.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

MIGRATIONS = (
    ("knowledge", "create_laws"),
    ("knowledge", "create_faq"),
    ("org", "create_org_tables"),
    ("bot", "create_bot_tables"),
)
APPLIED_AT = "2026-11-28T04:00:00+00:00"

SCHEMA = """
CREATE TABLE _migrations ( owner TEXT NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL,
    PRIMARY KEY (owner, name));
CREATE TABLE laws ( law TEXT NOT NULL, short TEXT NOT NULL, article INTEGER NOT NULL,
    article_sub INTEGER NOT NULL DEFAULT 0, article_cn TEXT NOT NULL, chapter TEXT,
    section TEXT, text TEXT NOT NULL, version_date TEXT NOT NULL DEFAULT '',
    version_note TEXT, source_file TEXT, PRIMARY KEY (law, article, article_sub));
CREATE INDEX laws_short ON laws (short);
CREATE TABLE law_sources ( fingerprint TEXT PRIMARY KEY, path TEXT NOT NULL,
    articles INTEGER NOT NULL, imported_at TEXT NOT NULL);
CREATE TABLE faq (id TEXT PRIMARY KEY, category TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL, answer TEXT NOT NULL, alternates TEXT NOT NULL DEFAULT '[]',
    legal_basis TEXT NOT NULL DEFAULT '[]', communities TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('published', 'draft', 'archived')),
    version INTEGER NOT NULL, updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '', review_by TEXT, extra TEXT NOT NULL DEFAULT '{}');
CREATE INDEX faq_status ON faq (status);
CREATE TABLE faq_history (id TEXT NOT NULL, category TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL, answer TEXT NOT NULL, alternates TEXT NOT NULL DEFAULT '[]',
    legal_basis TEXT NOT NULL DEFAULT '[]', communities TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('published', 'draft', 'archived')),
    version INTEGER NOT NULL, updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '', review_by TEXT, extra TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (id, version), FOREIGN KEY (id) REFERENCES faq (id) ON DELETE CASCADE);
CREATE TABLE faq_revision (one INTEGER PRIMARY KEY CHECK (one = 1), revision INTEGER NOT NULL);
CREATE TABLE teams (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL,
    reminder_minutes INTEGER NOT NULL, urgent_reminder_minutes INTEGER NOT NULL);
CREATE TABLE team_desks (
    team TEXT NOT NULL REFERENCES teams(id), channel TEXT NOT NULL,
    chat_id TEXT NOT NULL, PRIMARY KEY (team, channel), UNIQUE (channel, chat_id));
CREATE TABLE communities (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, street TEXT NOT NULL,
    team TEXT NOT NULL REFERENCES teams(id), position INTEGER NOT NULL);
CREATE TABLE people (
    name TEXT PRIMARY KEY, role TEXT NOT NULL,
    team TEXT NOT NULL REFERENCES teams(id), backup TEXT,
    position INTEGER NOT NULL);
CREATE TABLE person_identities (
    person TEXT NOT NULL REFERENCES people(name), channel TEXT NOT NULL,
    user_id TEXT NOT NULL, PRIMARY KEY (person, channel), UNIQUE (channel, user_id));
CREATE TABLE roster (
    position INTEGER PRIMARY KEY, person TEXT NOT NULL REFERENCES people(name),
    days TEXT NOT NULL, dates TEXT NOT NULL, start TEXT NOT NULL, "end" TEXT NOT NULL);
CREATE TABLE org_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    message_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    is_group INTEGER NOT NULL DEFAULT 0,
    reply_to TEXT,
    received_at TEXT NOT NULL,
    UNIQUE (channel, message_id)
);
CREATE INDEX messages_sender ON messages (channel, sender_id, received_at);

CREATE TABLE residents (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    user_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    community TEXT,
    street TEXT,
    consent_at TEXT,
    last_buttons TEXT NOT NULL DEFAULT '[]',
    pending TEXT,
    flood_window_start TEXT,
    flood_count INTEGER NOT NULL DEFAULT 0,
    flood_warned INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (channel, user_id)
);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    resident_id INTEGER,
    channel TEXT,
    chat_id TEXT,
    community TEXT,
    team TEXT,
    category TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    assignee TEXT,
    urgent INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    claimed_at TEXT,
    first_reply_at TEXT,
    answered_at TEXT,
    closed_at TEXT,
    updated_at TEXT NOT NULL,
    last_reminded_at TEXT,
    reminders INTEGER NOT NULL DEFAULT 0,
    rating INTEGER
);
CREATE INDEX tickets_status ON tickets (status);
CREATE INDEX tickets_resident ON tickets (resident_id);

CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    at TEXT NOT NULL,
    role TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    text TEXT NOT NULL,
    buttons TEXT NOT NULL DEFAULT '[]',
    ref TEXT,
    reply_to TEXT,
    created_at TEXT NOT NULL,
    next_attempt TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT,
    channel_message_id TEXT,
    failed_at TEXT,
    error TEXT
);
CREATE INDEX outbox_due ON outbox (channel, sent_at, failed_at, next_attempt);
CREATE INDEX outbox_sent ON outbox (channel, chat_id, channel_message_id);

CREATE TABLE question_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    resident_id INTEGER,
    channel TEXT NOT NULL,
    community TEXT,
    text TEXT,
    decision TEXT NOT NULL,
    entry_id TEXT,
    score REAL,
    category TEXT NOT NULL DEFAULT '',
    ticket_id INTEGER,
    rating TEXT
);
CREATE INDEX question_log_at ON question_log (at);

CREATE TABLE channel_state (
    channel TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (channel, key)
);
"""

SAMPLE = """
INSERT INTO laws VALUES ('中华人民共和国民法典', '民法典', 722, 0, '第七百二十二条', '第三编 合同',
    NULL, '承租人无正当理由未支付或者迟延支付租金的，出租人可以请求承租人在合理期限内支付……',
    '2020-05-28', NULL, 'laws.jsonl');
INSERT INTO laws VALUES ('中华人民共和国民法典', '民法典', 703, 0, '第七百零三条', '第三编 合同',
    NULL, '租赁合同是出租人将租赁物交付承租人使用、收益，承租人支付租金的合同。',
    '2020-05-28', NULL, 'laws.jsonl');
INSERT INTO law_sources VALUES ('sha256:first', 'laws.jsonl', 2, '2026-11-28T04:00:00+00:00');
INSERT INTO faq VALUES ('tenancy-deposit', '租房', '房东不退押金怎么办', '先与房东协商，保留凭证。',
    '["押金不退","退租押金要不回来"]', '["《中华人民共和国民法典》第七百零三条"]', '[]',
    'published', 2, '王律师', '2026-11-29T08:00:00+00:00', NULL, '{}');
INSERT INTO faq_history VALUES ('tenancy-deposit', '租房', '房东不退押金怎么办', '先协商。',
    '["押金不退"]', '["《中华人民共和国民法典》第七百零三条"]', '[]', 'draft', 1, 'starter',
    '2026-11-28T04:00:00+00:00', NULL, '{}');
INSERT INTO faq_history SELECT * FROM faq WHERE id = 'tenancy-deposit';
INSERT INTO faq_revision VALUES (1, 2);
INSERT INTO teams VALUES ('dongshan', '东山街法律顾问团队', 0, 30, 10);
INSERT INTO team_desks VALUES ('dongshan', 'telegram', '-100777');
INSERT INTO communities VALUES ('xinhepu', '新河浦社区', '东山街', 'dongshan', 0);
INSERT INTO people VALUES ('王律师', 'adviser', 'dongshan', NULL, 0);
INSERT INTO people VALUES ('小李', 'volunteer', 'dongshan', '王律师', 1);
INSERT INTO person_identities VALUES ('王律师', 'telegram', '9001');
INSERT INTO person_identities VALUES ('小李', 'telegram', '9002');
INSERT INTO roster VALUES (0, '王律师', '["mon","tue","wed","thu","fri"]', '[]', '09:00', '18:00');
INSERT INTO org_meta VALUES ('source', 'org.yaml');
INSERT INTO messages VALUES (1, 'telegram', '100001', '501', '501', '/start xinhepu', 'text', 0,
    NULL, '2026-11-30T02:00:00.000000+00:00');
INSERT INTO messages VALUES (2, 'telegram', '100002', '501', '501', '楼上漏水怎么办', 'text', 0,
    NULL, '2026-11-30T02:01:00.000000+00:00');
INSERT INTO residents VALUES (1, 'telegram', '501', '501', '居民', 'xinhepu', '东山街',
    '2026-11-30T02:00:00.000000+00:00', '[]', NULL, NULL, 0, 0, '2026-11-30T02:00:00.000000+00:00');
INSERT INTO tickets VALUES (1, 1, 'telegram', '501', 'xinhepu', 'dongshan', '相邻关系',
    '楼上漏水怎么办', 'answered', '小李', 0, '2026-11-30T02:01:00.000000+00:00',
    '2026-11-30T02:05:00.000000+00:00', '2026-11-30T02:09:00.000000+00:00',
    '2026-11-30T02:09:00.000000+00:00', NULL, '2026-11-30T02:09:00.000000+00:00', NULL, 0, 5);
INSERT INTO ticket_events VALUES (1, 1, '2026-11-30T02:01:00.000000+00:00', 'resident', '',
    '楼上漏水怎么办');
INSERT INTO ticket_events VALUES (2, 1, '2026-11-30T02:09:00.000000+00:00', 'volunteer', '小李',
    '请先拍照留证，再找物业协调。');
INSERT INTO outbox VALUES (1, 'telegram', '501', '请先拍照留证，再找物业协调。', '[]', 'ticket:1',
    NULL, '2026-11-30T02:09:00.000000+00:00', '2026-11-30T02:09:00.000000+00:00', 1,
    '2026-11-30T02:09:01.000000+00:00', '501:42', NULL, NULL);
INSERT INTO outbox VALUES (2, 'telegram', '-100777', '🆕 新工单 #1', '[]', 'ticket:1', NULL,
    '2026-11-30T02:01:00.000000+00:00', '2026-11-30T02:01:00.000000+00:00', 0, NULL, NULL,
    NULL, NULL);
INSERT INTO question_log VALUES (1, '2026-11-30T02:01:00.000000+00:00', 1, 'telegram', 'xinhepu',
    '楼上漏水怎么办', 'escalate', NULL, 0.05, '相邻关系', 1, NULL);
INSERT INTO channel_state VALUES ('telegram', 'update_offset', '17');
"""


def build(path: Path) -> None:
    """Write the first release's database with sample rows in every table to ``path``."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")  # as open_db left it
        conn.executescript(SCHEMA)
        conn.executemany(
            "INSERT INTO _migrations VALUES (?, ?, ?)",
            [(owner, name, APPLIED_AT) for owner, name in MIGRATIONS],
        )
        conn.executescript(SAMPLE)
        conn.commit()
    finally:
        conn.close()


if __name__ == "__main__":
    build(Path(sys.argv[1]))
