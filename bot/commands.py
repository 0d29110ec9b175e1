"""The one table of chat commands: who may use each one, its arguments and its help text.

:class:`bot.service.Service` routes every channel's commands by this table (a resident's
command to the conversation, a desk command to the desk, a staff command to the staff);
``/help`` and Telegram's command menus are generated from it. The wording lives in
``bot/texts`` (resident.COMMAND_HELP, desk.COMMAND_HELP).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.texts import appointments as at
from bot.texts import desk as dt
from bot.texts import resident as rt

Audience = Literal["resident", "desk", "staff"]


@dataclass(frozen=True)
class Command:
    """One command: ``audience`` says who may use it and which part of the core runs it.

    ``menu``: shown in /help and Telegram's menus (button-only commands are not).
    """

    name: str
    audience: Audience
    menu: bool = True


COMMANDS: tuple[Command, ...] = (
    # residents (private chats, the terminal, the web page)
    Command("start", "resident"),
    Command("help", "resident"),
    Command("human", "resident"),
    Command("my", "resident"),
    Command("law", "resident"),
    Command("community", "resident"),
    Command("forget", "resident"),
    Command("book", "resident"),  # on-site appointments; /预约 is the same
    Command(at.COMMAND, "resident", menu=False),  # /预约: Telegram's menus take Latin names only
    Command("legalaid", "resident"),  # the legal-aid pre-check
    Command("faq", "resident", menu=False),  # a suggestion button: /faq ID
    Command("rate", "resident", menu=False),  # 👍 / 👎 and ticket points
    Command("street", "resident", menu=False),  # choosing a community
    Command("topic", "resident", menu=False),  # a category when the bot asked to clarify
    Command("join", "resident", menu=False),  # 补充到工单 #N
    Command("new", "resident", menu=False),  # 这是新问题
    # the desk (desk rooms, staff's private chats, `lawbot tickets`): checked per ticket
    Command("tickets", "desk"),
    Command("show", "desk"),
    Command("claim", "desk"),
    Command("reply", "desk"),
    Command("adviser", "desk"),
    Command("close", "desk"),
    Command("addfaq", "desk"),
    # people of the organisation anywhere: roster, FAQ curation, review
    Command("duty", "staff"),
    Command("faq", "staff"),
    Command("review", "staff"),
    Command("onsite", "staff"),  # the day's on-site appointments
    Command("held", "staff"),  # appointment N was held (also a button of /onsite)
    Command("help", "desk"),
)

FAQ_SUBCOMMANDS = ("show", "add", "answer", "alt", "altq", "publish")


def names(audience: Audience) -> tuple[str, ...]:
    """The command names of one audience, in table order."""
    return tuple(c.name for c in COMMANDS if c.audience == audience)


def is_bare_faq_id(arg: str) -> bool:
    """``/faq ID`` without a subcommand: a resident's suggestion button."""
    words = arg.split()
    return len(words) == 1 and words[0].lower() not in FAQ_SUBCOMMANDS


def audience_of(name: str, arg: str, in_desk_room: bool) -> Audience | None:
    """Which part of the core runs ``/name arg`` from a person of the organisation.

    A bare ``/faq ID`` in a private chat stays the resident's command (a suggestion button),
    so a person trying the bot sees what residents see. None: not a desk or staff command.
    """
    if name in names("desk") and name != "help":
        return "desk"
    if name in names("staff"):
        if name == "faq" and not in_desk_room and is_bare_faq_id(arg):
            return None
        return "staff"
    return None


def _help_lines(audiences: tuple[Audience, ...], texts: dict[str, tuple[str, str]]) -> list[str]:
    lines = []
    for command in COMMANDS:
        if command.audience in audiences and command.menu and command.name in texts:
            args, about = texts[command.name]
            lines.append(f"/{command.name}{' ' + args if args else ''} {about}")
    return list(dict.fromkeys(lines))


def resident_help() -> str:
    """``/help`` for residents."""
    return "\n".join([rt.HELP_HEAD, *_help_lines(("resident",), rt.COMMAND_HELP), rt.HELP_FOOT])


def desk_help() -> str:
    """``/help`` in a desk room (and for staff): desk and staff commands."""
    return "\n".join([dt.DESK_HELP_HEAD, *_help_lines(("desk", "staff"), dt.COMMAND_HELP)])


def menu(audiences: tuple[Audience, ...]) -> tuple[tuple[str, str], ...]:
    """(name, description) pairs for Telegram's setMyCommands."""
    texts = rt.COMMAND_HELP if audiences == ("resident",) else dt.COMMAND_HELP
    found: dict[str, str] = {}
    for command in COMMANDS:
        if command.audience in audiences and command.menu and command.name in texts:
            args, about = texts[command.name]
            found.setdefault(command.name, f"{about}（/{command.name} {args}）" if args else about)
    return tuple(found.items())
