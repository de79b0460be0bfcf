"""The words the event grammar looks for: cue verbs, numbers, and what makes a sentence
not an event (negation, modality, conditions, habit, offers, states).

Everything is lower case and matches normalised tokens (:func:`backchannel.draft.text.normalise`).

>>> CUES["expelled"], CUES["shut"], number_value("eight"), number_value("a number of")
(('expel', 'past'), ('shut', 'past'), 8, None)
"""

from __future__ import annotations

__all__ = [
    "CAUSATIVES",
    "CUES",
    "HABITUAL",
    "HISTORY",
    "NEGATORS",
    "OFFERS",
    "PEOPLE",
    "REPORTING",
    "STATE_VERBS",
    "number_value",
]


def _forms(lemma: str, base: str, s3: str, past: str, part: str, ing: str) -> dict[str, tuple]:
    out = {base: (lemma, "base"), s3: (lemma, "s3"), ing: (lemma, "ing")}
    out[past] = (lemma, "past")
    if part != past:
        out[part] = (lemma, "part")
    return out


CUES: dict[str, tuple[str, str]] = {}
for _row in [
    ("expel", "expel", "expels", "expelled", "expelled", "expelling"),
    ("suspend", "suspend", "suspends", "suspended", "suspended", "suspending"),
    ("freeze", "freeze", "freezes", "froze", "frozen", "freezing"),
    ("halt", "halt", "halts", "halted", "halted", "halting"),
    ("cut", "cut", "cuts", "cut", "cut", "cutting"),
    ("sever", "sever", "severs", "severed", "severed", "severing"),
    ("break", "break", "breaks", "broke", "broken", "breaking"),
    ("close", "close", "closes", "closed", "closed", "closing"),
    ("shut", "shut", "shuts", "shut", "shut", "shutting"),
    ("demolish", "demolish", "demolishes", "demolished", "demolished", "demolishing"),
    ("blow", "blow", "blows", "blew", "blown", "blowing"),
    ("downgrade", "downgrade", "downgrades", "downgraded", "downgraded", "downgrading"),
    ("reduce", "reduce", "reduces", "reduced", "reduced", "reducing"),
    ("halve", "halve", "halves", "halved", "halved", "halving"),
    ("limit", "limit", "limits", "limited", "limited", "limiting"),
    ("cap", "cap", "caps", "capped", "capped", "capping"),
    ("restore", "restore", "restores", "restored", "restored", "restoring"),
    ("reopen", "reopen", "reopens", "reopened", "reopened", "reopening"),
    ("resume", "resume", "resumes", "resumed", "resumed", "resuming"),
    ("reconnect", "reconnect", "reconnects", "reconnected", "reconnected", "reconnecting"),
    ("open", "open", "opens", "opened", "opened", "opening"),
    ("establish", "establish", "establishes", "established", "established", "establishing"),
    ("meet", "meet", "meets", "met", "met", "meeting"),
    ("hold", "hold", "holds", "held", "held", "holding"),
    ("talk", "talk", "talks", "talked", "talked", "talking"),
    ("speak", "speak", "speaks", "spoke", "spoken", "speaking"),
    ("phone", "phone", "phones", "phoned", "phoned", "phoning"),
    ("telephone", "telephone", "telephones", "telephoned", "telephoned", "telephoning"),
    ("sign", "sign", "signs", "signed", "signed", "signing"),
    ("withdraw", "withdraw", "withdraws", "withdrew", "withdrawn", "withdrawing"),
    ("pull", "pull", "pulls", "pulled", "pulled", "pulling"),
    ("recall", "recall", "recalls", "recalled", "recalled", "recalling"),
    ("join", "join", "joins", "joined", "joined", "joining"),
    ("accede", "accede", "accedes", "acceded", "acceded", "acceding"),
    ("leave", "leave", "leaves", "left", "left", "leaving"),
    ("quit", "quit", "quits", "quit", "quit", "quitting"),
    ("appoint", "appoint", "appoints", "appointed", "appointed", "appointing"),
    ("name", "name", "names", "named", "named", "naming"),
    ("nominate", "nominate", "nominates", "nominated", "nominated", "nominating"),
    ("declare", "declare", "declares", "declared", "declared", "declaring"),
    ("stop", "stop", "stops", "stopped", "stopped", "stopping"),
]:
    CUES.update(_forms(*_row))

# Nouns that name a move; they make an event only with an agent ("NATO's expulsion of").
NOUN_CUES: dict[str, str] = {
    "expulsion": "expel",
    "expulsions": "expel",
    "closure": "close",
    "suspension": "suspend",
    "reopening": "reopen",
    "restoration": "restore",
    "withdrawal": "withdraw",
    "downgrading": "downgrade",
}

# "ordered X to leave", "required X to close", "gave X 72 hours to leave"
CAUSATIVES = {
    "order",
    "ordered",
    "orders",
    "told",
    "tells",
    "tell",
    "required",
    "requires",
    "require",
    "asked",
    "asks",
    "ask",
    "instructed",
    "directed",
    "forced",
    "gave",
    "given",
    "gives",
    "give",
}
# the verb after "to" in a causative, and the move it makes
CAUSED = {
    "leave": "expel",
    "depart": "expel",
    "quit": "expel",
    "go": "expel",
    "close": "close",
    "shut": "close",
    "suspend": "suspend",
    "cut": "restrict",
    "reduce": "restrict",
    "halve": "restrict",
    "downsize": "restrict",
}

NEGATORS = {
    "not",
    "never",
    "nor",
    "neither",
    "nothing",
    "none",
    "without",
    "refused",
    "refuses",
    "refuse",
    "declined",
    "declines",
    "denied",
    "denies",
    "deny",
    "failed",
    "fails",
    "no",
    "cannot",
}
MODALS = {"may", "might", "could", "would", "should", "can", "must", "ought"}
CONDITIONALS = {"if", "unless", "whether", "lest"}
OFFERS = {
    "offered",
    "offer",
    "offers",
    "proposed",
    "propose",
    "proposes",
    "proposal",
    "suggested",
    "suggest",
    "suggests",
    "urged",
    "urge",
    "urges",
    "invite",
    "invited",
    "invites",
    "threatened",
    "threaten",
    "threatens",
    "threat",
    "plan",
    "plans",
    "planned",
    "planning",
    "intends",
    "intend",
    "intended",
    "considering",
    "consider",
    "considers",
    "considered",
    "wants",
    "want",
    "wanted",
    "hopes",
    "hope",
    "hoped",
    "ready",
    "willing",
    "prepared",
    "seeks",
    "seek",
    "sought",
    "agreed",
    "agree",
    "agrees",
    "vowed",
    "vow",
    "promised",
    "promise",
    "expected",
    "likely",
    "demanded",
    "demand",
    "demands",
    "called",
    "calls",
    "mulling",
    "weighing",
    "idea",
    "possibility",
    "option",
    "permission",
    "allow",
    "allowed",
    "allows",
    "permit",
    "permitted",
    "authorised",
    "authorized",
}
HABITUAL = [
    "from time to time",
    "regularly",
    "routinely",
    "usually",
    "often",
    "every year",
    "each year",
    "every month",
    "each month",
    "every week",
    "twice a year",
    "once a year",
    "traditionally",
    "used to",
    "tend to",
    "tends to",
    "whenever",
    "occasionally",
    "frequently",
    "as a rule",
    "a handful of times",
    "several times",
    "many times",
    "times a year",
    "times a month",
    "every week",
    "each week",
]
HISTORY = [
    "since then",
    "long before",
    "long ago",
    "for years",
    "for decades",
    "had long",
    "in the past",
]
# a cue word after these is a state, not a move ("remains closed", "is still in force")
STATE_VERBS = {
    "remain",
    "remains",
    "remained",
    "stay",
    "stays",
    "stayed",
    "still",
    "kept",
    "keep",
    "keeps",
}
BE = {"is", "are", "was", "were", "be", "been", "being", "'s", "am", "get", "got", "gets"}
REPORTING = {
    "said",
    "says",
    "announced",
    "announces",
    "stated",
    "declared",
    "told",
    "added",
    "confirmed",
    "confirms",
    "informed",
    "notified",
    "decided",
    "decides",
    "warned",
    "insisted",
    "explained",
    "wrote",
    "reported",
}
PEOPLE = {
    "diplomat",
    "diplomats",
    "officer",
    "officers",
    "official",
    "officials",
    "staff",
    "staffers",
    "members",
    "member",
    "employees",
    "employee",
    "personnel",
    "envoy",
    "envoys",
    "ambassador",
    "ambassadors",
    "attache",
    "attaches",
    "spies",
    "agents",
    "representatives",
    "representative",
    "people",
    "workers",
}
HEADS = {"ambassador", "envoy", "ambassadors", "envoys", "chargé", "representative", "head"}
RELATIONS = {
    "relations",
    "ties",
    "relationship",
    "contacts",
    "contact",
    "cooperation",
    "engagement",
}

_NUMBERS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "a dozen": 12,
    "two dozen": 24,
    "a hundred": 100,
}
VAGUE_COUNTS = {
    "a number of",
    "several",
    "some",
    "dozens of",
    "a few",
    "many",
    "a group of",
    "scores of",
    "a couple of",
    "numerous",
    "a handful of",
    "hundreds of",
}


def number_value(word: str) -> int | None:
    """A number written in digits or words (``"35"``, ``"eight"``, ``"twenty-three"``);
    None for vague amounts ("a number of", "several")."""
    w = word.strip().lower()
    if w in VAGUE_COUNTS:
        return None
    if w.isdigit():
        return int(w)
    if w in _NUMBERS:
        return _NUMBERS[w]
    if "-" in w:
        a, _, b = w.partition("-")
        if a in _NUMBERS and b in _NUMBERS and _NUMBERS[a] >= 20 and _NUMBERS[b] < 10:
            return _NUMBERS[a] + _NUMBERS[b]
    return None


# fractions a staff is cut by: "by half", "by 50 percent", "by a third", "halved"
FRACTIONS = {
    "half": 0.5,
    "a half": 0.5,
    "a third": 1 / 3,
    "one third": 1 / 3,
    "a quarter": 0.25,
    "two thirds": 2 / 3,
    "two-thirds": 2 / 3,
}
