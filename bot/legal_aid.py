"""Legal-aid pre-check (法律援助预评估): a few button questions from a YAML flow advisers
edit (``bot/data/legal_aid.yaml``), ending in likely / possibly / unlikely — never a decision —
with the documents to bring, the district centre from the organisation file, and buttons to
book an on-site appointment or open a ticket. A likely or possible result given to a resident
of a known community is logged in the work log as 法律援助转介.

The buttons carry the step and the option (``/legalaid STEP N``), so nothing is kept between
presses. Composed into :class:`bot.conversation.Conversation` by ``bot.app``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from bot.booking import has_onsite
from bot.desk.org import Organisation
from bot.escalation import Escalation
from bot.messages import Button
from bot.replies import Turn
from bot.residents import Resident, Residents
from bot.texts import appointments as at
from bot.texts import legal_aid as lt
from bot.texts import org as ot
from bot.texts import report as rpt
from bot.worklog import WorkEntry, WorkLog

log = logging.getLogger(__name__)

FLOW_FILE = Path(__file__).resolve().parent / "data" / "legal_aid.yaml"
VERDICTS = ("likely", "possibly", "unlikely")
MAX_LAW_BUTTONS = 2
TICKET = "ticket"
CATEGORY = "法律援助"


class FlowError(Exception):
    """The flow file is not a valid flow (the message says where, in Chinese)."""


@dataclass(frozen=True)
class Option:
    """One button of a step: its label and the step or result it leads to."""

    label: str
    next: str


@dataclass(frozen=True)
class Step:
    """One question with the articles it rests on."""

    question: str
    cites: tuple[str, ...]
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Result:
    """An end of the flow: likely / possibly / unlikely, with what to tell the resident."""

    verdict: str
    text: str


@dataclass(frozen=True)
class Flow:
    """The whole pre-check."""

    start: str
    steps: dict[str, Step]
    results: dict[str, Result]
    documents: tuple[str, ...]


def load_flow(path: Path = FLOW_FILE) -> Flow:
    """Read and check the flow: every ``next`` leads somewhere, every verdict is known.

    Raises:
        FlowError: naming the step, option or key that is wrong.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FlowError(ot.FLOW_UNREADABLE.format(path=path, error=exc)) from exc
    if not isinstance(data, dict):
        raise FlowError(ot.FLOW_UNREADABLE.format(path=path, error=ot.FLOW_NOT_A_MAPPING))
    try:
        steps = {
            str(key): Step(
                str(step["question"]), tuple(str(c) for c in step.get("cites") or ()),
                tuple(Option(str(o["label"]), str(o["next"])) for o in step["options"]),
            )
            for key, step in (data.get("steps") or {}).items()
        }
        results = {
            str(key): Result(str(r["verdict"]), str(r["text"]))
            for key, r in (data.get("results") or {}).items()
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise FlowError(ot.FLOW_MISSING_KEY.format(path=path, key=exc)) from exc
    flow = Flow(str(data.get("start", "")), steps, results,
                tuple(str(d) for d in data.get("documents") or ()))
    problems = _problems(flow)
    if problems:
        raise FlowError(ot.FLOW_INVALID.format(path=path, problems="；".join(problems)))
    return flow


def _problems(flow: Flow) -> list[str]:
    found = []
    if flow.start not in flow.steps:
        found.append(ot.FLOW_NO_START.format(start=flow.start))
    for key, step in flow.steps.items():
        if not step.options:
            found.append(ot.FLOW_NO_OPTIONS.format(step=key))
        if not step.cites:
            found.append(ot.FLOW_NO_CITES.format(step=key))
        for option in step.options:
            if option.next not in flow.steps and option.next not in flow.results:
                found.append(
                    ot.FLOW_BAD_NEXT.format(step=key, label=option.label, next=option.next)
                )
    for key, result in flow.results.items():
        if result.verdict not in VERDICTS:
            found.append(ot.FLOW_BAD_VERDICT.format(result=key, verdict=result.verdict))
    return found


def citations(flow: Flow) -> list[str]:
    """Every article the flow cites, once each (checked against the statute corpus)."""
    return list(dict.fromkeys(c for step in flow.steps.values() for c in step.cites))


class LegalAidCheck:
    """Runs the pre-check for residents."""

    def __init__(self, tz: ZoneInfo, escalation: Escalation, worklog: WorkLog,
                 residents: Residents, path: Path = FLOW_FILE) -> None:
        self.tz = tz
        self.escalation = escalation
        self.worklog = worklog
        self.residents = residents
        self.path = path

    def offer(self, turn: Turn) -> None:
        """Offer the pre-check (the question was about legal aid)."""
        turn.say(lt.OFFER, ((Button(lt.BTN_START, "/legalaid"),),))

    def command(self, turn: Turn, r: Resident, org: Organisation, arg: str,
                now: datetime) -> None:
        """``/legalaid`` starts; ``/legalaid STEP N`` answers; ``/legalaid ticket V`` hands over."""
        try:
            flow = load_flow(self.path)
        except FlowError as exc:
            log.warning("legal-aid flow: %s", exc)
            turn.say(lt.UNAVAILABLE)
            return
        words = arg.split()
        if words[:1] == [TICKET]:
            verdict = words[1] if len(words) > 1 and words[1] in VERDICTS else ""
            question = lt.TICKET_QUESTION.format(verdict=lt.VERDICT.get(verdict, ""))
            self.escalation.open_ticket(turn, r, org, question, [], CATEGORY, False,
                                        "legal_aid", now)
            return
        if not words:
            self.ask(turn, org, flow, flow.start)
            return
        step = flow.steps.get(words[0])
        number = words[1] if len(words) == 2 else ""
        if step is None or not number.isdecimal() or not 1 <= int(number) <= len(step.options):
            turn.say(lt.CHOICE_GONE, ((Button(lt.BTN_START, "/legalaid"),),))
            return
        target = step.options[int(number) - 1].next
        if target in flow.steps:
            self.ask(turn, org, flow, target)
        else:
            self.conclude(turn, r, org, flow, flow.results[target], now)

    def ask(self, turn: Turn, org: Organisation, flow: Flow, key: str) -> None:
        """One question with its options and the articles it rests on."""
        step = flow.steps[key]
        standard = org.legal_aid.income_standard if org.legal_aid else lt.NO_STANDARD
        text = step.question.replace("{income_standard}", str(standard))
        text = lt.QUESTION.format(question=text, cites="、".join(step.cites))
        rows: list[tuple[Button, ...]] = [
            (Button(o.label, f"/legalaid {key} {n}"),) for n, o in enumerate(step.options, 1)
        ]
        rows.append(tuple(Button(lt.BTN_LAW.format(citation=c), f"/law {c}")
                          for c in step.cites[:MAX_LAW_BUTTONS]))
        turn.say(text, tuple(rows))

    def conclude(self, turn: Turn, r: Resident, org: Organisation, flow: Flow,
                 result: Result, now: datetime) -> None:
        """The result, documents, the centre, and buttons to book or open a ticket."""
        centre = (
            lt.CENTRE.format(centre=org.legal_aid.centre, address=org.legal_aid.address,
                             phone=org.legal_aid.phone)
            if org.legal_aid else lt.NO_CENTRE
        )
        documents = "\n".join(f"· {d}" for d in flow.documents)
        text = lt.RESULT.format(
            verdict=lt.VERDICT[result.verdict], text=result.text, documents=documents,
            centre=centre,
        )
        buttons: list[Button] = []
        if has_onsite(org, r.community):
            buttons.append(Button(at.BTN_BOOK, f"/{at.COMMAND}"))
        buttons.append(Button(lt.BTN_TICKET, f"/legalaid {TICKET} {result.verdict}"))
        turn.say(text, (tuple(buttons),))
        self.log_referral(r, org, result, now)

    def log_referral(self, r: Resident, org: Organisation, result: Result, now: datetime) -> None:
        """Log a likely or possible result as one 法律援助转介, once per resident and day: a
        resident who runs the check again the same day is still one referral."""
        day = now.astimezone(self.tz).date()
        if result.verdict == "unlikely" or not r.community or org.legal_aid is None:
            return
        if r.legal_aid_referred_on == day.isoformat():
            return
        note = rpt.LEGAL_AID_LOG_NOTE.format(verdict=lt.VERDICT[result.verdict])
        self.worklog.add_all([WorkEntry("法律援助转介", r.community, day, 1, note=note)],
                             rpt.LOG_BY_BOT, now)
        self.residents.set(r.id, legal_aid_referred_on=day.isoformat())

