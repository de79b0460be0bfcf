"""The event grammar: from a sentence's cue words to candidate events of the scenario.

For each cue (an expulsion verb, "ordered … to leave", "declared … persona non grata",
"spoke by phone" …) the rules, in order:

1. **Not an event?** A question, a conditional ("if", "unless", "should the need arise")
   anywhere in the sentence; in the cue's clause, before it: a negation ("not", "never",
   "nor", "no", "refused to"), a modal ("may", "could", "would" — except "said it would"),
   an offer or plan ("offered to", "threatened to", "plans to", "agreed to"); in the
   clause: a habit ("from time to time", "regularly") or undated history ("long before");
   a state ("remains closed", "is frozen", "has been suspended since 2014"). Each is
   *skipped* with its reason.
2. **Who acts (`by`)**: the agent after "by" in a passive; "X's decision to"; a verb
   coordinated with the one before ("suspended …, recalled …, and required …") shares
   its subject; otherwise the nearest name before the cue that is not possessive or after
   a preposition; "it"/"they" is the previous sentence's subject, "we"/"I" the speaker
   ("…, Lavrov said") or the author of a statement.
3. **What it acts on**: a channel, framework or organisation named in the cue's object, or
   a channel found by its kind and ends (:meth:`Resolver.channels_for`); an expulsion of
   "eight Russian diplomats" by NATO is the Russian post hosted by NATO. Unresolvable or
   ambiguous objects are *unresolved*, never guessed.
4. **How many, and when**: ``count`` from a number before a word for people, ``cap`` from
   "to N", "at N", "by half", "halved", "by 50 percent" (fractions of the staff, or the cap,
   just before the move), the nearest date of the sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..core.dates import PartialDate
from ..core.model import ActorKind, ChannelKind, EventType
from ..record.scenario import Scenario
from .dates import DateHit, find_dates
from .lexicon import (
    BE,
    CAUSATIVES,
    CAUSED,
    CONDITIONALS,
    CUES,
    FRACTIONS,
    HABITUAL,
    HEADS,
    HISTORY,
    MODALS,
    NEGATORS,
    NOUN_CUES,
    OFFERS,
    PEOPLE,
    RELATIONS,
    REPORTING,
    STATE_VERBS,
    VAGUE_COUNTS,
    number_value,
)
from .resolve import _MAX_KIND, KIND_NOUNS, Mention, Resolver
from .result import Candidate, Note
from .text import Article, Sentence, Token

__all__ = ["Grammar"]

# "to 10", "from 20 to 10", "at 455", "a ceiling of 30" — not "to 1 November", "by 50 percent"
_CAP_RE = re.compile(
    r" (?:to|at|below|under|(?:ceiling|maximum|limit|cap|total) of) (?:a (?:maximum|total) of )?"
    r"(\d+|[a-z]+(?:-[a-z]+)?) (?!(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|"
    r"percent|per|%|days|hours|weeks|months|years)\b)"
)
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'\-]+,\s*$")

_PREPS = {
    "with",
    "to",
    "of",
    "in",
    "at",
    "from",
    "for",
    "between",
    "against",
    "on",
    "by",
    "toward",
    "towards",
    "into",
    "through",
    "about",
    "over",
    "under",
    "after",
    "before",
    "than",
    "among",
    "including",
    "like",
    "via",
}
_ADVERBS = {
    "also",
    "reportedly",
    "officially",
    "formally",
    "temporarily",
    "already",
    "later",
    "then",
    "subsequently",
    "immediately",
    "effectively",
    "promptly",
    "finally",
    "eventually",
    "abruptly",
    "unilaterally",
    "partly",
    "fully",
    "quietly",
    "again",
    "now",
    "just",
    "swiftly",
    "de",
    "facto",
    "jure",
    "has",
    "have",
    "had",
    "will",
}
_BOUNDARY_WORDS = {
    "but",
    "while",
    "whereas",
    "although",
    "though",
    "because",
    "except",
    "however",
    "yet",
    "so",
    "when",
    "after",
}
_PRONOUNS = {"it", "they", "he", "she", "we", "i"}
_POSS_PRON = {"its", "their", "his", "her", "our", "my"}
_NOT_SUBJECT_NEXT = PEOPLE | {
    "military",
    "forces",
    "side",
    "sides",
    "government",
    "army",
    "navy",
    "troops",
    "partners",
    "allies",
    "counterparts",
    "counterpart",
}
_CHANNEL_EVENTS = {"open", "restrict", "expel", "suspend", "restore", "close", "meet", "call"}
_MEET_KINDS = frozenset(
    {ChannelKind.council, ChannelKind.format, ChannelKind.dialogue, ChannelKind.meeting_venue}
)
_CALL_KINDS = frozenset({ChannelKind.hotline})
_RESIDENT_KINDS = frozenset(
    {
        ChannelKind.embassy,
        ChannelKind.permanent_mission,
        ChannelKind.liaison_office,
        ChannelKind.information_office,
    }
)
_TREATY = {"agreement", "treaty", "accord", "memorandum", "protocol", "deal", "act", "pact"}
# strong cues: an object that cannot be resolved is listed as unresolved
_STRONG = {
    "expel",
    "suspend",
    "freeze",
    "halt",
    "sever",
    "break",
    "close",
    "shut",
    "demolish",
    "blow",
    "downgrade",
    "halve",
    "restore",
    "reopen",
    "resume",
    "reconnect",
    "recall",
    "withdraw",
    "cut",
    "declare",
    "order",
}


@dataclass
class _Trigger:
    lemma: str
    do: str
    i: int  # first token of the cue
    j: int  # one past its last token
    cue: str
    form: str = "past"
    obj: tuple[int, int] | None = None  # explicit object tokens (causatives)
    passive: bool = False
    by: str | None = None
    embedded: str | None = None  # subject of the caused verb (ordered X to leave: X)
    subject_rule: str = ""
    future: bool = False
    noun: bool = False


@dataclass
class _State:
    """What the grammar remembers from sentence to sentence."""

    last_subject: str | None = None
    last_person_actor: str | None = None
    author: str | None = None
    recent_channels: list[str] = field(default_factory=list)
    last_participants: set[str] = field(default_factory=set)
    salience: dict[str, int] = field(default_factory=dict)


class Grammar:
    """The rules, bound to one scenario and one published date."""

    def __init__(self, sc: Scenario, published: dt.date | None) -> None:
        """Bind the rules to a scenario and the article's published date (or None)."""
        self.sc = sc
        self.res = Resolver.for_scenario(sc)
        self.published = published
        self.pub_day = published.toordinal() if published else None
        self._date_cache: dict[tuple[int, bool], list[DateHit]] = {}

    # -- the article --------------------------------------------------------------------
    def run(self, art: Article) -> tuple[list[Candidate], list[Note], list[Note]]:
        """Candidates, unresolved mentions and skipped statements of an article."""
        st = _State()
        cands: list[Candidate] = []
        unresolved: list[Note] = []
        skipped: list[Note] = []
        for n, s in enumerate(art.sentences):
            mentions = self.res.scan(s.toks, art.text, 0)
            for m in mentions:
                for a in m.actors(self.pub_day):
                    st.salience[a] = st.salience.get(a, 0) + 1
            if n == 0 or st.author is None:
                st.author = st.author or self._first_actor(mentions)
            c, u, k = self._sentence(art, s, mentions, st)
            cands.extend(c)
            unresolved.extend(u)
            skipped.extend(k)
        return _merge(cands), unresolved, skipped

    def _first_actor(self, mentions: list[Mention]) -> str | None:
        for m in mentions:
            acts = m.actors(self.pub_day)
            if len(acts) == 1:
                return next(iter(acts))
        return None

    # -- one sentence -------------------------------------------------------------------
    def _sentence(
        self, art: Article, s: Sentence, mentions: list[Mention], st: _State
    ) -> tuple[list[Candidate], list[Note], list[Note]]:
        toks = s.toks
        at: dict[int, Mention] = {}
        for m in mentions:
            for k in range(m.i, m.j):
                at[k] = m
        triggers = self._triggers(toks, at)
        cands: list[Candidate] = []
        unresolved: list[Note] = []
        skipped: list[Note] = []
        first_subject: str | None = None
        first_rule = ""
        prev: _Trigger | None = None
        sentence_note_span = art.file_span(s.start, s.end)
        for t in triggers:
            reason = self._not_event(s, toks, t, at)
            self._find_by(s, toks, t, at, mentions, prev, st)
            if first_subject is None and t.by is not None:
                first_subject, first_rule = t.by, t.subject_rule
            prev = t
            if reason:
                skipped.append(Note(s.text, sentence_note_span, f"{reason} ({t.cue})"))
                continue
            made, unres = self._build(art, s, toks, t, at, mentions, st)
            cands.extend(made)
            unresolved.extend(unres)
        # the sentence's subject, for "it" and "they" in the next one
        subject = first_subject if first_rule not in ("decision", "passive", "") else None
        if subject is None:
            subject = self._last_subjectish(toks, mentions) or first_subject
        if subject is not None:
            st.last_subject = subject
        for m in mentions:
            if m.kind == "person":
                acts = m.actors(self._day_of(None))
                if acts:
                    st.last_person_actor = next(iter(sorted(acts)))
        return _merge_sentence(cands), unresolved, skipped

    def _day_of(self, hit: DateHit | None) -> int | None:
        if hit is not None and hit.date is not None:
            return hit.date.ordinal
        return self.pub_day

    def _last_subjectish(self, toks: list[Token], mentions: list[Mention]) -> str | None:
        """The sentence's subject: its first name that is not possessive, an adjective
        before a noun for people, or after a preposition."""
        for m in mentions:
            if self._subjectish(toks, m):
                acts = m.actors(self.pub_day)
                if len(acts) == 1:
                    return next(iter(acts))
        return None

    @staticmethod
    def _subjectish(toks: list[Token], m: Mention) -> bool:
        if m.kind not in ("actor", "office", "person"):
            return False
        if m.possessive:
            return False
        k = m.i - 1
        while k >= 0 and toks[k].text in ("the", "a", "an"):
            k -= 1
        if k >= 0 and toks[k].text in _PREPS:
            return False
        return not (m.j < len(toks) and toks[m.j].text in _NOT_SUBJECT_NEXT)

    # -- cues ---------------------------------------------------------------------------
    def _triggers(self, toks: list[Token], at: dict[int, Mention]) -> list[_Trigger]:
        out: list[_Trigger] = []
        used: set[int] = set()
        words = [t.text for t in toks]
        n = len(words)

        def ahead(k: int, limit: int, stop: set[str] | None = None) -> range:
            end = min(n, k + 1 + limit)
            for x in range(k + 1, end):
                if words[x] in (";", ".", "?", "!") or (stop and words[x] in stop):
                    return range(k + 1, x)
            return range(k + 1, end)

        for k, w in enumerate(words):
            if k in used:
                continue
            # causatives: "ordered X to leave", "required X to close"
            if w in CAUSATIVES:
                for x in ahead(k, 14):
                    if words[x] == "to" and x + 1 < n and words[x + 1] in CAUSED and x > k + 1:
                        v = words[x + 1]
                        out.append(
                            _Trigger(
                                "order",
                                CAUSED[v],
                                k,
                                x + 2,
                                f"{w} … to {v}",
                                obj=(k + 1, x),
                            )
                        )
                        used.update({x, x + 1})
                        break
                else:
                    pass
                if out and out[-1].i == k:
                    continue
            if w == "declared" or w in ("declare", "declares"):
                for x in ahead(k, 12):
                    if words[x] == "persona" and words[x + 1 : x + 3] == ["non", "grata"]:
                        out.append(
                            _Trigger(
                                "declare",
                                "expel",
                                k,
                                x + 3,
                                f"{w} … persona non grata",
                                obj=(k + 1, x),
                            )
                        )
                        used.update(range(x, x + 3))
                        break
                continue
            if w in NOUN_CUES:
                poss = at.get(k - 2) if k >= 2 and words[k - 1] == "'s" else None
                if poss is not None and poss.kind in ("actor", "office", "person"):
                    out.append(_Trigger(NOUN_CUES[w], NOUN_CUES[w], k, k + 1, w, "noun", noun=True))
                continue
            cue = CUES.get(w)
            if cue is None:
                continue
            lemma, form = cue
            nxt = words[k + 1] if k + 1 < n else ""
            prv = words[k - 1] if k else ""
            trig = self._cue(lemma, form, w, k, words, nxt, prv)
            if trig is not None:
                out.append(trig)
                used.update(range(k, trig.j))
        out.sort(key=lambda t: t.i)
        return out

    def _cue(
        self, lemma: str, form: str, w: str, k: int, words: list[str], nxt: str, prv: str
    ) -> _Trigger | None:
        n = len(words)
        window = words[k + 1 : k + 9]

        def T(do: str, j: int | None = None, cue: str | None = None) -> _Trigger:
            return _Trigger(lemma, do, k, j if j is not None else k + 1, cue or w, form)

        if form in ("past", "part", "ing") and prv in (
            "the",
            "a",
            "an",
            "its",
            "their",
            "his",
            "her",
            "our",
            "this",
            "that",
            "these",
            "those",
        ):
            return None
        modal_before = prv in (
            "to",
            "will",
            "would",
            "may",
            "might",
            "could",
            "must",
            "should",
            "shall",
            "did",
            "not",
            "cannot",
            "and",
            "or",
        )
        if lemma == "break":
            return T("suspend", k + 2, f"{w} off") if nxt == "off" else None
        if lemma == "blow":
            if "up" in words[k + 1 : k + 5]:
                return T("close", k + 1 + words[k + 1 : k + 5].index("up") + 1, f"{w} up")
            return None
        if lemma == "pull":
            return T("withdraw", k + 2, f"{w} out") if nxt == "out" else None
        if lemma == "hold":
            for x, v in enumerate(window[:4]):
                if v in (
                    "talks",
                    "meeting",
                    "meetings",
                    "call",
                    "conversation",
                    "conversations",
                    "session",
                ):
                    phone = any(p in window[: x + 1] for p in ("phone", "telephone", "video"))
                    return T("call" if phone or v in ("call",) else "meet", k + 2 + x, f"{w} {v}")
            return None
        if lemma in ("talk", "speak"):
            for x in range(k + 1, min(n, k + 10)):
                if words[x] in ("phone", "telephone", "video", "hotline") and words[x - 1] in (
                    "a",
                    "by",
                    "the",
                    "via",
                    "on",
                    "over",
                ):
                    return T("call", k + 1, f"{w} by {words[x]}")
                if words[x] in (".", ";"):
                    break
            return None
        if lemma in ("phone", "telephone"):
            return (
                T("call")
                if form in ("past", "s3") and prv not in ("the", "a", "by", "via", "on", "over")
                else None
            )
        if lemma == "meet":
            if form == "ing":
                return None
            if (
                nxt == "with"
                and k + 2 < n
                and words[k + 2]
                in ("criticism", "resistance", "silence", "scepticism", "skepticism")
            ):
                return None
            if (
                form == "base"
                and not modal_before
                and prv not in ("they", "we", "leaders", "chiefs", "sides")
            ):
                return None
            return T("meet")
        if lemma == "stop":
            if nxt in ("meeting", "talking", "using"):
                return T("suspend", k + 2, f"{w} {nxt}")
            return None
        if lemma == "close":
            if form == "base" and not modal_before:
                return None
            if form == "ing" and prv in ("the", "a", "its"):
                return None
            if nxt in ("to", "ties", "ally", "allies", "cooperation", "contact") and form == "base":
                return None
            return T("close", k + 2 if nxt == "down" else k + 1)
        if lemma == "shut":
            return T(
                "close", k + 2 if nxt == "down" else k + 1, f"{w} down" if nxt == "down" else w
            )
        if lemma == "open":
            if form == "ing" or (form == "base" and not modal_before):
                return None
            return T("open")
        if lemma in ("limit", "cap"):
            return T("restrict")
        if lemma in ("reduce", "halve", "downgrade"):
            return T("restrict")
        if lemma == "cut":
            if nxt == "off":
                return T("suspend", k + 2, f"{w} off")
            return T("cut")
        if lemma in ("freeze", "halt", "sever", "suspend"):
            return T("suspend")
        if lemma == "demolish":
            return T("close")
        if lemma in ("restore", "reconnect"):
            return T("restore")
        if lemma in ("reopen", "resume"):
            return T(lemma)
        if lemma == "establish":
            return T("open")
        if lemma == "expel":
            return T("expel")
        if lemma == "sign":
            return T("sign") if form != "ing" or prv not in ("the", "a") else None
        if lemma == "withdraw":
            return T("withdraw")
        if lemma == "recall":
            return T("recall")
        if lemma in ("join", "accede"):
            return T("join")
        if lemma in ("leave", "quit"):
            return T("leave")
        if lemma in ("appoint", "name", "nominate"):
            return T("appoint")
        return None

    # -- not an event -------------------------------------------------------------------
    def _clause_start(self, toks: list[Token], k: int) -> int:
        x = k - 1
        while x >= 0:
            w = toks[x].text
            if w in (";", ":", '"') or w in _BOUNDARY_WORDS:
                return x + 1
            if w == "," and x + 1 < len(toks) and toks[x + 1].text in ("and", "or", "but"):
                return x + 1
            x -= 1
        return 0

    def _clause_end(self, toks: list[Token], k: int) -> int:
        x = k
        while x < len(toks):
            w = toks[x].text
            if w in (";", ":", ".", "?", "!") or w in (
                "but",
                "while",
                "whereas",
                "although",
                "though",
                "because",
                "except",
            ):
                return x
            x += 1
        return len(toks)

    def _scan_range(self, toks: list[Token], a: int, b: int) -> list[int]:
        """Token indices of [a, b) outside parentheses and ", which … ," clauses."""
        out = []
        depth = 0
        rel = False
        for x in range(a, b):
            w = toks[x].text
            if w == "(":
                depth += 1
                continue
            if w == ")":
                depth = max(0, depth - 1)
                continue
            if w == "," and x + 1 < b and toks[x + 1].text in ("which", "who", "whom", "whose"):
                rel = True
                continue
            if rel and w == ",":
                rel = False
                continue
            if depth or rel:
                continue
            out.append(x)
        return out

    def _not_event(
        self, s: Sentence, toks: list[Token], t: _Trigger, at: dict[int, Mention]
    ) -> str | None:
        words = [x.text for x in toks]
        if s.question:
            return "a question, not a statement of fact"
        low = s.norm
        for c in CONDITIONALS:
            if re.search(rf"\b{c}\b", low):
                return f"conditional ('{c}')"
        if "should the need arise" in low or "in the event of" in low or "in case" in low:
            return "conditional"
        a = self._clause_start(toks, t.i)
        b = self._clause_end(toks, t.j)
        before = self._scan_range(toks, a, t.i)
        for x in before:
            w = words[x]
            if (
                w in NEGATORS
                or w == "nobody"
                or (w == "no" and x + 1 < len(words) and words[x + 1] == "one")
            ):
                if w == "not" and x + 1 < len(words) and words[x + 1] == "only":
                    continue
                if (
                    w == "no"
                    and x + 1 < len(words)
                    and words[x + 1] in ("longer",)
                    and t.lemma != "expel"
                ):
                    return "negated ('no longer')"
                return f"negated ('{w}')"
            if w == "'" and x + 1 < len(words) and words[x + 1] == "t":
                return 'negated ("n\'t")'
            if w in MODALS:
                if w == "may" and s.text[toks[x].start - s.start] == "M":
                    continue  # the month
                if w == "would" and any(words[y] in REPORTING for y in range(0, x)):
                    t.future = True
                    continue
                if w == "must" and t.do == "expel":
                    continue
                return f"hypothetical ('{w}')"
            if w in OFFERS:
                if w in ("called", "calls") and not (
                    x + 1 < len(words) and words[x + 1] in ("for", "on")
                ):
                    continue
                return f"an offer, plan or demand, not a move ('{w}')"
            if w in ("will", "shall") or (
                w == "to" and x > 0 and words[x - 1] in ("is", "are", "set")
            ):
                t.future = True
        clause = " " + " ".join(words[a:b]) + " "
        for h in HABITUAL:
            if f" {h} " in clause:
                return f"habitual ('{h}')"
        for h in HISTORY:
            if f" {h} " in clause:
                return f"history without a change of state ('{h}')"
        # states: "remains closed", "is still frozen", "has been suspended since"
        k = t.i - 1
        while k >= a and words[k] in _ADVERBS - {"has", "have", "had", "will"}:
            k -= 1
        if k >= a and words[k] in STATE_VERBS:
            return f"a state, not a move ('{words[k]} {words[t.i]}')"
        if t.form in ("past", "part") and k >= a and words[k] in BE | {"been"}:
            t.passive = True
            if words[k] in ("is", "are", "am") and t.do not in ("expel",):
                return f"a state, not a move ('{words[k]} {words[t.i]}')"
            if (
                words[k] == "been"
                and k - 1 >= 0
                and words[k - 1] in ("has", "have", "had")
                and " since " in clause
            ):
                return "a state since a date, not a move ('since')"
        if (
            t.form == "part"
            and not t.passive
            and not (k >= a and words[k] in ("has", "have", "had"))
        ):
            # a bare participle: "relations frozen since 2014", "officers stationed"
            return "a participle, not a move"
        return None

    # -- who acts -----------------------------------------------------------------------
    def _find_by(
        self,
        s: Sentence,
        toks: list[Token],
        t: _Trigger,
        at: dict[int, Mention],
        mentions: list[Mention],
        prev: _Trigger | None,
        st: _State,
    ) -> None:
        words = [x.text for x in toks]
        day = self.pub_day
        # passive: "by X"
        if t.passive or (
            t.form in ("past", "part") and t.i > 0 and words[t.i - 1] in BE | {"been"}
        ):
            t.passive = True
            end = self._clause_end(toks, t.j)
            for x in range(t.j, min(end, t.j + 8)):
                if words[x] == "by" and x + 1 < len(words):
                    m = at.get(x + 1) or (at.get(x + 2) if words[x + 1] in ("the", "a") else None)
                    if m is not None:
                        t.by = _one(m.actors(day))
                        t.subject_rule = "passive"
                        return
                    if words[x + 1] in _PRONOUNS:
                        t.by = self._pronoun(words[x + 1], s, toks, at, st)
                        t.subject_rule = "passive"
                        return
            # no agent: the side that announces it ("… will be suspended, Lavrov said")
            t.by = self._speaker(toks, at)
            t.subject_rule = "passive"
            return
        if t.noun:
            m = at.get(t.i - 2)
            t.by = _one(m.actors(day)) if m else None
            t.subject_rule = "decision"
            return
        # "X's decision to", "X decided to"
        k = t.i - 1
        if (
            k >= 0
            and words[k] == "to"
            and k >= 1
            and words[k - 1]
            in (
                "decision",
                "move",
                "order",
                "orders",
                "step",
                "bid",
                "decisions",
            )
        ):
            q = k - 2
            while q >= 0 and words[q] in ("surprise", "latest", "sudden", "recent", "abrupt"):
                q -= 1
            if q >= 1 and words[q] == "'s" and at.get(q - 1) is not None:
                t.by = _one(at[q - 1].actors(day))
                t.subject_rule = "decision"
                return
        # coordination with the previous cue: ", recalled", "and required", "and to cut"
        q = t.i - 1
        while q >= 0 and words[q] in _ADVERBS | {"to"}:
            q -= 1
        if prev is not None and q >= 0 and words[q] in (",", "and") and q >= prev.j - 1:
            gap = [w for w in words[prev.j : q] if w]
            if (
                not any(
                    at.get(x) is not None
                    and self._subjectish(toks, at[x])
                    and x not in range(*(prev.obj or (0, 0)))
                    for x in range(prev.j, q)
                )
                or words[q] == "and"
            ):
                t.by = prev.by
                t.subject_rule = "coordinated"
                if t.by is not None or gap is not None:
                    return
        # "Britain had identified them … and given them a week to go": the clause's subject
        a = self._clause_start(toks, t.i)
        if q >= 0 and words[q] == "and" and prev is None:
            for x in self._scan_range(toks, a, q):
                m = at.get(x)
                if m is not None and x == m.i and self._subjectish(toks, m):
                    t.by = _one(m.actors(self.pub_day))
                    if t.by is not None:
                        t.subject_rule = "coordinated"
                        return
                    break
        # nearest subject-ish name before the cue
        for lo in (a, 0):
            for x in reversed(self._scan_range(toks, lo, t.i)):
                m = at.get(x)
                if m is not None and x == m.i and (self._subjectish(toks, m) or x == a):
                    t.by = _one(m.actors(self._day_of(None)))
                    if t.by is not None:
                        t.subject_rule = "nearest"
                        return
                if words[x] in _PRONOUNS and (x == 0 or words[x - 1] not in _PREPS):
                    t.by = self._pronoun(words[x], s, toks, at, st, before=x)
                    t.subject_rule = "pronoun"
                    return
        t.subject_rule = ""

    def _pronoun(
        self,
        w: str,
        s: Sentence,
        toks: list[Token],
        at: dict[int, Mention],
        st: _State,
        before: int = 0,
    ) -> str | None:
        if w in ("it", "they"):
            # "Russia said it would …": a subject earlier in the sentence
            for x in range(before - 1, -1, -1):
                m = at.get(x)
                if m is not None and x == m.i and self._subjectish(toks, m):
                    one = _one(m.actors(self.pub_day))
                    if one is not None and m.kind == "actor":
                        return one
            return st.last_subject
        if w in ("he", "she"):
            return st.last_person_actor or st.last_subject
        speaker = self._speaker(toks, at)
        return speaker or st.author

    def _speaker(self, toks: list[Token], at: dict[int, Mention]) -> str | None:
        for x, tk in enumerate(toks):
            if tk.text in REPORTING:
                for y in (x - 1, x + 1, x + 2):
                    m = at.get(y)
                    if m is not None and m.kind in ("actor", "office", "person"):
                        return _one(m.actors(self.pub_day))
        return None

    # -- building candidates --------------------------------------------------------------
    def _build(
        self,
        art: Article,
        s: Sentence,
        toks: list[Token],
        t: _Trigger,
        at: dict[int, Mention],
        mentions: list[Mention],
        st: _State,
    ) -> tuple[list[Candidate], list[Note]]:
        words = [x.text for x in toks]
        end = self._object_end(toks, t)
        if t.obj is not None:
            region = list(range(t.obj[0], t.obj[1])) + list(range(t.j, end))
            if t.passive:
                a = self._clause_start(toks, t.i)
                region = [x for x in range(a, t.i) if words[x] not in BE] + region
            inner = _mentions_in(list(range(t.obj[0], t.obj[1])), at)
            actors = [m for m in inner if m.kind in ("actor", "office", "person")]
            if len(actors) == 1 and t.lemma == "order":
                t.embedded = _one(actors[0].actors(self.pub_day))
            if t.do == "expel" and {words[x] for x in region} & {"them", "they"}:
                a = self._clause_start(toks, t.i)
                region = list(range(a, t.i)) + region
        elif t.passive:
            a = self._clause_start(toks, t.i)
            region = [x for x in range(a, t.i) if words[x] not in BE] + list(range(t.j, end))
        else:
            region = list(range(t.j, end))
        hit = self._date(s, t, toks)
        date, exact, date_note = self._date_value(hit)
        day = date.ordinal if date is not None else None
        span = art.file_span(s.start, s.end)
        unresolved: list[Note] = []

        def unres(why: str) -> tuple[list[Candidate], list[Note]]:
            if t.lemma in _STRONG or t.do in ("expel", "suspend", "close", "restore"):
                ts = [toks[x] for x in region if words[x] not in (",",)]
                if ts:
                    a, b = art.file_span(ts[0].start, ts[-1].end)
                    text = art.text[ts[0].start : ts[-1].end]
                else:
                    a, b = span
                    text = s.text
                unresolved.append(Note(text, (a, b), f"{_verb(t)}: {why}"))
            return [], unresolved

        do = t.do
        # what the object names
        reg_mentions = _mentions_in(region, at)
        if t.do in ("join", "leave"):
            return self._membership(art, s, t, reg_mentions, hit, date, exact, date_note, span)
        if t.do == "appoint":
            return self._appoint(
                art, s, t, region, reg_mentions, toks, date, exact, date_note, span
            )
        frameworks = [m for m in reg_mentions if m.kind == "framework"]
        channels = [m for m in reg_mentions if m.kind == "channel"]
        reg_words = {words[x] for x in region}
        if t.lemma in ("withdraw", "pull") or (do == "suspend" and frameworks and not channels):
            if frameworks:
                fw = frameworks[0].refs[0].id
                kind = "suspend" if do == "suspend" else "withdraw"
                return [
                    self._cand(
                        kind, ("framework", fw), t, s, art, date, exact, date_note, None, None, span
                    )
                ], []
            if t.lemma in ("withdraw", "pull"):
                orgs = [m for m in reg_mentions if m.kind == "actor" and self._is_org(m)]
                if orgs and "from" in reg_words | {"out"} and "accreditation" not in reg_words:
                    return self._membership(
                        art, s, t, reg_mentions, hit, date, exact, date_note, span, do="leave"
                    )
                if "accreditation" in reg_words or "accreditations" in reg_words:
                    do = "expel"
                elif reg_words & PEOPLE:
                    do = "recall"
                else:
                    if reg_words & _TREATY:
                        return unres("names no framework of the scenario")
                    return [], []
        if t.lemma == "sign":
            if frameworks:
                return [
                    self._cand(
                        "sign",
                        ("framework", frameworks[0].refs[0].id),
                        t,
                        s,
                        art,
                        date,
                        exact,
                        date_note,
                        None,
                        None,
                        span,
                    )
                ], []
            if reg_words & _TREATY:
                return unres("names no framework of the scenario")
            return [], []
        if do == "recall":
            if (
                reg_words & {"staff", "personnel", "diplomats", "all", "mission", "everyone"}
                and not reg_words & HEADS
            ):
                do = "suspend"
            else:
                do = "restrict"
        if do == "cut":
            do = (
                "restrict"
                if reg_words
                & {"size", "staff", "number", "half", "personnel", "percent", "per", "%", "ceiling"}
                else "suspend"
            )
        # the channel(s)
        ids, why_target, plural = self._channels(
            t, do, region, reg_mentions, toks, at, mentions, st, day
        )
        if not ids:
            if reg_words & RELATIONS and not channels:
                return unres(
                    f"'{_phrase(toks, region, art)}' are relations in general, "
                    "not a channel of the scenario"
                )
            return unres(
                why_target or f"'{_phrase(toks, region, art)}' names no channel of the scenario"
            )
        if len(ids) > 1 and not plural:
            return unres(f"ambiguous: {', '.join(ids)}")
        out = []
        for ch in ids:
            kind = do
            if kind == "reopen":
                kind = "open" if self._status(ch, day) == "closed" else "restore"
            elif kind == "resume":
                status = self._status(ch, day)
                chan = self.sc.channels_by_id[ch]
                kind = (
                    "meet"
                    if status in ("active", "restricted") and chan.kind in _MEET_KINDS
                    else "restore"
                )
            elif kind == "restore" and self._status(ch, day) == "closed":
                kind = "open"
            elif kind == "open" and self._status(ch, day) in ("suspended", "restricted"):
                kind = "restore"
            elif kind == "meet" and self.sc.channels_by_id[ch].kind is ChannelKind.hotline:
                kind = "call"
            resident = self.sc.channels_by_id[ch].kind in _RESIDENT_KINDS
            if kind == "close" and resident and reg_words & {"consulate", "consulates"}:
                kind = "restrict"  # a consulate closed: the post goes on, smaller
            if kind == "suspend" and t.lemma == "cut" and resident:
                kind = "restrict"  # "cut the mission": its size, not its lines
            c = self._cand(
                kind, ("channel", ch), t, s, art, date, exact, date_note, None, None, span
            )
            c.record = self._record(c)
            if kind in ("expel", "restrict"):
                # a fraction is of the staff just before the move (the recorded one, if any)
                base_day = self._record_day(c.record) if c.record else day
                count, cap, notes = self._numbers(toks, region, t, ch, kind, base_day, hit)
                c.count = count if kind == "expel" else None
                c.cap = cap
                c.notes.extend(notes)
            if why_target:
                c.notes.append(why_target)
                c.confidence = round(max(0.1, c.confidence - 0.1), 2)
            out.append(c)
            st.recent_channels.append(ch)
        return out, unresolved

    def _is_org(self, m: Mention) -> bool:
        return any(
            self.sc.actors[a].kind is not ActorKind.state for a in m.actors() if a in self.sc.actors
        )

    def _status(self, ch: str, day: int | None) -> str | None:
        if day is None:
            return None
        st = self.sc.timeline.state(ch, day - 1).status
        return st.value if st else None

    def _object_end(self, toks: list[Token], t: _Trigger) -> int:
        words = [x.text for x in toks]
        x = t.j
        while x < len(words):
            w = words[x]
            if w in (";", ".", "?", "!", ":"):
                return x
            if w == "," and not (x + 1 < len(words) and words[x + 1] in ("including", "the")):
                return x
            if w == "and" and any(
                v == "to" or v in CUES or v in CAUSATIVES for v in words[x + 1 : x + 4]
            ):
                return x
            if (
                w in CUES
                and CUES[w][1] in ("past", "s3")
                and x > t.j
                and words[x - 1] in (",", "and")
            ):
                return x
            if w in (
                "but",
                "while",
                "after",
                "before",
                "because",
                "saying",
                "said",
                "citing",
                "amid",
                "following",
                "responding",
            ):
                return x
            x += 1
        return len(words)

    def _channels(
        self,
        t: _Trigger,
        do: str,
        region: list[int],
        reg_mentions: list[Mention],
        toks: list[Token],
        at: dict[int, Mention],
        mentions: list[Mention],
        st: _State,
        day: int | None,
    ) -> tuple[list[str], str | None, bool]:
        """Channel ids the object names, a note on how (None: by name), and whether the
        object is plural ("all lines")."""
        words = [x.text for x in toks]
        evt = EventType(do) if do in _CHANNEL_EVENTS else None
        named = []
        for m in reg_mentions:
            if m.kind == "channel":
                for r in m.refs:
                    if r.id not in named:
                        named.append(r.id)
        context = {a for m in mentions for a in m.actors(day)} | ({t.by} if t.by else set())
        if named:
            if len(named) > 1:
                feasible = [
                    c for c in named if evt is None or day is None or self.res.feasible(c, evt, day)
                ]
                named = feasible or named
                plural = "and" in {words[x] for x in region}
                return named, None, plural
            return named, None, False
        pronoun = {words[x] for x in region} & {"they", "them"}
        if t.passive and do == "expel" and st.recent_channels and pronoun:
            return [st.recent_channels[-1]], "the post the sentence before spoke of", False
        if do in ("meet", "call"):
            return self._use_channel(t, do, region, toks, at, mentions, day, st)
        # kind nouns in the object
        reg = set(region)
        x = region[0] if region else len(words)
        found: list[str] = []
        plural = False
        how = None
        while x < (region[-1] + 1 if region else 0):
            if x not in reg:
                x += 1
                continue
            size = 0
            kinds = None
            for sz in range(_MAX_KIND, 0, -1):
                key = tuple(words[x : x + sz])
                if key in KIND_NOUNS and all(y in reg for y in range(x, x + sz)):
                    kinds, size = KIND_NOUNS[key], sz
                    break
            if kinds is None:
                x += 1
                continue
            owner, others, military, pl = self._qualifiers(x, size, toks, at, t, st, day)
            if owner is None and t.embedded is not None:
                owner = t.embedded  # "ordered Pakistan to halve embassy staff"
            if owner is None and not others:
                # "the mission": the last channel of that kind the text spoke of
                for ch in reversed(st.recent_channels):
                    if self.sc.channels_by_id[ch].kind in kinds:
                        return [ch], None, False
                if t.by is not None and do != "expel":
                    others = {t.by}
            if do == "expel" and owner is None and t.by is not None:
                nat = self._nationality(region, toks, at, t.by, day)
                if nat:
                    owner = nat
                    others = others | {t.by}
            ids = self.res.channels_for(
                kinds, owner, others - ({owner} if owner else set()), context, day, evt, military
            )
            if len(ids) > 1 and not pl:
                recent = [c for c in reversed(st.recent_channels) if c in ids]
                ids = recent[:1] or ids  # the one the text spoke of before
            if ids:
                found = ids
                plural = pl
                how = f"resolved from '{' '.join(words[x : x + size])}' and its ends"
                break
            x += size
        if found:
            return found, how, plural
        # "expelled eight Russian diplomats": the post of that nationality hosted by `by`
        if (
            do in ("expel", "restrict", "suspend")
            and t.by is not None
            and {words[y] for y in region} & PEOPLE
        ):
            nat = self._nationality(region, toks, at, t.by, day)
            if nat is not None:
                ids = self.res.channels_for(_RESIDENT_KINDS, nat, {t.by}, context, day, evt)
                if len(ids) > 1:
                    embassies = [
                        c for c in ids if self.sc.channels_by_id[c].kind is ChannelKind.embassy
                    ]
                    ids = ids if len(embassies) != 1 else embassies
                if ids:
                    return ids, f"resolved from the staff's nationality ({nat}) and {t.by}", False
        return [], None, False

    def _nationality(
        self, region: list[int], toks: list[Token], at: dict[int, Mention], by: str, day: int | None
    ) -> str | None:
        for x in region:
            m = at.get(x)
            if m is not None and x == m.i and m.kind == "actor":
                acts = m.actors(day) - {by}
                if len(acts) == 1:
                    return next(iter(acts))
        return None

    def _qualifiers(
        self,
        x: int,
        size: int,
        toks: list[Token],
        at: dict[int, Mention],
        t: _Trigger,
        st: _State,
        day: int | None,
    ) -> tuple[str | None, set[str], bool, bool]:
        """Owner (possessor or modifier), other ends, "military", plural of a kind noun."""
        words = [tk.text for tk in toks]
        owner = None
        others: set[str] = set()
        military = False
        plural = False
        y = x - 1
        while y >= 0 and y >= x - 5:
            w = words[y]
            if w in ("all", "every", "both"):
                plural = True
            if w in ("military", "defence", "defense", "army"):
                military = True
            m = at.get(y)
            if m is not None and m.kind in ("actor", "office", "person"):
                acts = m.actors(day)
                if len(acts) == 1:
                    owner = next(iter(acts))
                break
            if w in _POSS_PRON:
                owner = (
                    t.embedded or t.by if w in ("its", "their") else (st.last_person_actor or t.by)
                )
                if w in ("our", "my"):
                    owner = t.by
                break
            if w in (",", ";", "to", "and") or w in CUES:
                break
            y -= 1
        z = x + size
        prep = False
        while z < len(words) and z < x + size + 8:
            w = words[z]
            if w in ("to", "in", "at", "with", "between", "and", "from", "of"):
                prep = True
            if (
                w == "two"
                and z + 1 < len(words)
                and words[z + 1]
                in (
                    "militaries",
                    "armies",
                    "sides",
                    "countries",
                    "states",
                    "koreas",
                    "capitals",
                    "governments",
                    "neighbours",
                    "neighbors",
                )
            ):
                pair = sorted(st.salience, key=lambda a: -st.salience[a])[:2]
                others |= set(pair)
                military = military or words[z + 1] in ("militaries", "armies")
                break
            m = at.get(z)
            if m is not None and prep and m.kind in ("actor", "office", "person"):
                others |= m.actors(day)
                z = m.j
                continue
            if w in (",", ";", ".") or (w in CUES and z > x + size):
                break
            z += 1
        if owner is not None:
            others.discard(owner)
        return owner, others, military, plural

    def _use_channel(
        self,
        t: _Trigger,
        do: str,
        region: list[int],
        toks: list[Token],
        at: dict[int, Mention],
        mentions: list[Mention],
        day: int | None,
        st: _State,
    ) -> tuple[list[str], str | None, bool]:
        words = [x.text for x in toks]
        a = self._clause_start(toks, t.i)
        b = self._object_end(toks, t)
        offices: set[str] = set()
        actors: set[str] = set()
        for x in range(a, b):
            m = at.get(x)
            if m is None or x != m.i:
                continue
            if m.kind in ("office",):
                offices |= {r.id for r in m.refs}
            elif m.kind == "person":
                held = [
                    r
                    for r in m.refs
                    if day is None
                    or ((r.since is None or r.since <= day) and (r.until is None or day < r.until))
                ]
                offices |= {r.id for r in (held or m.refs)}
            if m.kind in ("actor", "office", "person"):
                actors |= m.actors(day)
        if len(offices) < 2 and "two" in words[a:b] and st.last_participants:
            offices = set(st.last_participants)  # "the two generals" of the sentence before
        if len(offices) >= 2:
            st.last_participants = set(offices)
        kinds = _CALL_KINDS if do == "call" else _MEET_KINDS
        for x in range(a, b):
            key = (words[x],)
            if key in KIND_NOUNS and do == "meet" and KIND_NOUNS[key] & _MEET_KINDS:
                kinds = KIND_NOUNS[key]
        out = []
        if len(offices) >= 2:
            for c in self.sc.doc.channels:
                if c.kind in kinds and offices <= set(c.ends):
                    out.append(c.id)
        if not out and len(actors) >= 2:
            for c in self.sc.doc.channels:
                if c.kind in kinds and actors <= self.res.channel_actors[c.id]:
                    out.append(c.id)
            if len(out) > 1:
                return [], f"ambiguous: {', '.join(out)}", False
        if not out:
            return [], "no channel of the scenario between the participants", False
        if len(out) > 1:
            return [], f"ambiguous: {', '.join(out)}", False
        return out, "resolved from the participants", False

    def _fraction(self, toks: list[Token], region: list[int], t: _Trigger) -> float | None:
        words = [toks[x].text for x in region]
        text = " " + " ".join(words) + " "
        if t.lemma == "halve":
            return 0.5
        for k, v in FRACTIONS.items():
            if f" by {k} " in text:
                return v
        m = re.search(
            r" by (\d+(?:\.\d+)?) (?:per cent|percent|%) ", text.replace(" per cent", " percent")
        )
        if m:
            return float(m.group(1)) / 100
        return None

    def _numbers(
        self,
        toks: list[Token],
        region: list[int],
        t: _Trigger,
        ch: str,
        do: str,
        day: int | None,
        hit: DateHit | None,
    ) -> tuple[int | None, int | None, list[str]]:
        words = [toks[x].text for x in region]
        notes: list[str] = []
        count = None
        text = " " + " ".join(words) + " "
        if do == "expel":
            for vague in sorted(VAGUE_COUNTS, key=len, reverse=True):
                if f" {vague} " in text:
                    notes.append(f"count: '{vague}' gives no number")
                    break
            else:
                for k, w in enumerate(words):
                    n = number_value(w) if w not in ("a", "an") else None
                    if (
                        n is None
                        and k + 1 < len(words)
                        and w in ("a", "two")
                        and words[k + 1] == "dozen"
                    ):
                        n = number_value(f"{w} dozen")
                    if n is not None and any(v in PEOPLE for v in words[k + 1 : k + 6]):
                        count = n
                        break
        cap = None
        if t.lemma in ("reduce", "cut", "limit", "cap", "halve", "downgrade", "expel", "order"):
            for m in _CAP_RE.finditer(text):
                value = number_value(m.group(1))
                if value is not None and value != count:
                    cap = value
                    break
        frac = self._fraction(toks, region, t)
        if cap is None and frac is not None:
            base = self._base(ch, day)
            if base is None:
                notes.append("cap: a fraction of a staff the scenario does not know")
            else:
                cap = round(base * (1 - frac))
                notes.append(f"cap: {1 - frac:.0%} of {base} (the staff or cap before the move)")
        return count, cap, notes

    def _base(self, ch: str, day: int | None) -> int | None:
        if day is None:
            return None
        st = self.res.state_before(ch, day)
        if st.staff is not None:
            return st.staff
        if st.cap is not None:
            return st.cap
        return self.sc.channels_by_id[ch].staff

    def _record(self, c: Candidate) -> str | None:
        """An event of the scenario that already records this move (same type and target,
        same actor, on the candidate's date or, for an undated one, in the 60 days before)."""
        same = {"expel": {"expel", "restrict"}, "restrict": {"expel", "restrict"}}.get(c.do, {c.do})
        if c.date is None:
            return None
        day = PartialDate_ordinal(c.date)
        for e in self.res.events_on.get(c.target[1], ()):
            if e.do.value not in same:
                continue
            if c.by and e.by and e.by != c.by:
                continue
            d = e.date.ordinal
            if (c.date_exact and str(e.date) == c.date) or (
                not c.date_exact and day - 60 <= d <= day
            ):
                return e.id
        return None

    def _record_day(self, event_id: str) -> int | None:
        for e in self.sc.doc.events:
            if e.id == event_id:
                return e.date.ordinal
        return None

    def _membership(self, art, s, t, reg_mentions, hit, date, exact, date_note, span, do=None):
        orgs = [m for m in reg_mentions if m.kind == "actor" and self._is_org(m)]
        if not orgs or t.by is None:
            return [], []
        org = _one(orgs[0].actors())
        if org is None or org == t.by:
            return [], []
        c = self._cand(
            do or t.do, ("actor", t.by), t, s, art, date, exact, date_note, None, None, span
        )
        c.extra["org"] = org
        c.by = t.by
        return [c], []

    def _appoint(self, art, s, t, region, reg_mentions, toks, date, exact, date_note, span):
        offices = [r.id for m in reg_mentions for r in m.refs if r.kind == "office"]
        if not offices:
            return [], []
        office = offices[0]
        # the holder: the capitalised words of the object before "as" / "to"
        names: list[str] = []
        for x in region:
            w = art.text[toks[x].start : toks[x].end]
            if toks[x].text in ("as", "to", "the", ","):
                if names:
                    break
                continue
            if w[:1].isupper():
                names.append(w)
            elif names:
                break
        if not names:
            return [], []
        c = self._cand(
            "appoint", ("office", office), t, s, art, date, exact, date_note, None, None, span
        )
        c.extra["holder"] = " ".join(names)
        return [c], []

    # -- dates --------------------------------------------------------------------------
    def _date(self, s: Sentence, t: _Trigger, toks: list[Token]) -> DateHit | None:
        hits = [
            h
            for h in self._dates_of(s, t.future)
            if not _DATELINE.match(s.text[: h.start])  # "MOSCOW, Oct 18 —" is the dateline
        ]
        if not hits:
            return None
        pos = toks[t.i].start - s.start
        start = self._clause_start(toks, t.i)
        a = toks[start].start - s.start if start < len(toks) else 0
        b_tok = self._object_end(toks, t)
        b = (toks[b_tok].start if b_tok < len(toks) else s.end) - s.start
        inside = [h for h in hits if a <= h.start and h.end <= b + 1]
        if t.future:
            eff = [h for h in hits if h.effective]
            if eff:
                return min(eff, key=lambda h: abs(h.start - pos))
        if not inside and start > 0 and toks[start - 1].text in _BOUNDARY_WORDS:
            return None  # "a week after it cut the lines": the main clause's date is not its
        pool = inside or hits
        return min(pool, key=lambda h: abs(h.start - pos))

    def _dates_of(self, s: Sentence, future: bool) -> list[DateHit]:
        key = (s.start, future)
        hits = self._date_cache.get(key)
        if hits is None:
            hits = self._date_cache[key] = find_dates(s.text, self.published, future=future)
        return hits

    def _date_value(self, hit: DateHit | None) -> tuple[PartialDate | None, bool, str | None]:
        pub = PartialDate(self.published, "day") if self.published else None
        if hit is None:
            return pub, False, None
        if hit.date is None:
            return pub, False, f"date: '{hit.text}' is vague; the published date is used"
        return hit.date, hit.exact, None

    def _cand(self, do, target, t, s, art, date, exact, date_note, count, cap, span) -> Candidate:
        conf = 0.9
        if not exact:
            conf -= 0.15
        if t.future:
            conf -= 0.1
        if t.by is None:
            conf -= 0.2
        if t.subject_rule in ("pronoun", "coordinated"):
            conf -= 0.05
        c = Candidate(
            do=do,
            target=target,
            by=t.by,
            date=str(date) if date else None,
            date_exact=exact,
            quote=s.text,
            span=span,
            confidence=round(max(0.1, conf), 2),
            why=t.cue,
            count=count,
            cap=cap,
        )
        if date_note:
            c.notes.append(date_note)
        if t.future:
            c.notes.append("announced: the text speaks of it as still to come")
        return c


def PartialDate_ordinal(text: str) -> int:
    from ..core.dates import parse_date

    return parse_date(text).ordinal


def _one(values: set[str]) -> str | None:
    return next(iter(values)) if len(values) == 1 else None


def _mentions_in(region: list[int], at: dict[int, Mention]) -> list[Mention]:
    out: list[Mention] = []
    for x in region:
        m = at.get(x)
        if m is not None and x == m.i and m not in out:
            out.append(m)
    return out


def _phrase(toks: list[Token], region: list[int], art: Article) -> str:
    if not region:
        return ""
    return art.text[toks[region[0]].start : toks[region[-1]].end]


def _verb(t: _Trigger) -> str:
    return t.cue


def _merge_sentence(cands: list[Candidate]) -> list[Candidate]:
    """An expulsion and a cut of the same post by the same actor in one sentence are one
    move (an `expel` with its `cap`)."""
    out: list[Candidate] = []
    for c in cands:
        twin = next(
            (
                o
                for o in out
                if o.target == c.target
                and o.by == c.by
                and {o.do, c.do} <= {"expel", "restrict"}
                and o.do != c.do
            ),
            None,
        )
        if twin is None:
            out.append(c)
            continue
        keep = twin if twin.do == "expel" else c
        other = c if keep is twin else twin
        keep.cap = keep.cap if keep.cap is not None else other.cap
        keep.count = keep.count if keep.count is not None else other.count
        keep.why = f"{keep.why} · {other.why}" if keep is twin else f"{other.why} · {keep.why}"
        keep.notes.extend(n for n in other.notes if n not in keep.notes)
        keep.record = keep.record or other.record
        if keep is not twin:
            out[out.index(twin)] = keep
    return out


def _merge(cands: list[Candidate]) -> list[Candidate]:
    """The same move told twice (a headline and its lede): the dated telling is kept."""
    out: list[Candidate] = []
    for c in cands:
        if c.do in ("expel", "restrict"):
            twin = next(
                (
                    o
                    for o in out
                    if {o.do, c.do} == {"expel", "restrict"}
                    and o.target == c.target
                    and (o.by == c.by or not o.by or not c.by)
                    # an undated cut joins the dated expulsion it follows
                    and {o.do: o, c.do: c}["restrict"].date_exact is False
                    and {o.do: o, c.do: c}["expel"].date_exact is True
                ),
                None,
            )
            if twin is not None:
                c.by = c.by or twin.by
                twin.by = twin.by or c.by
                merged = _merge_sentence([twin, c])[0]
                if not merged.date_exact:  # keep the dated one's date
                    dated = c if c.date_exact else twin
                    merged.date, merged.date_exact = dated.date, dated.date_exact
                merged.by = twin.by or c.by
                out[out.index(twin)] = merged
                continue
        same = [
            o
            for o in out
            if o.do == c.do
            and o.target == c.target
            and o.extra == c.extra
            and (o.by == c.by or not o.by or not c.by)
        ]
        dup = next(
            (o for o in same if o.date == c.date or not o.date_exact or not c.date_exact), None
        )
        if dup is None:
            out.append(c)
            continue
        if (not dup.date_exact and c.date_exact) or (
            dup.date_exact == c.date_exact and c.confidence > dup.confidence
        ):
            c.count = c.count if c.count is not None else dup.count
            c.cap = c.cap if c.cap is not None else dup.cap
            c.by = c.by or dup.by
            out[out.index(dup)] = c
        else:
            dup.count = dup.count if dup.count is not None else c.count
            dup.cap = dup.cap if dup.cap is not None else c.cap
            dup.by = dup.by or c.by
    return out
