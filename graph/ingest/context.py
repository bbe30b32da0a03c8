"""Choosing among the entities one surface form names, from the context around it.

Cue words of each candidate's class near the mention, words of its description,
predicates whose cue words occur in the sentence and whose domain or range the
candidate fits, entities already named; and a place's name used as a subject or
possessor stands for a government, not the place. :mod:`graph.ingest.linker`
mixes these steps into :class:`~graph.ingest.linker.Linker`.
"""

from __future__ import annotations

import bisect
import re

from graph.ingest.cues import CueIndex
from graph.ingest.forms import Mention, Registry
from graph.ingest.text import fold, sentences
from graph.ontology import Ontology

#: Words before a place's name that make it a location, and words skipped to find them.
_LOCATIVE = frozenset(
    str.split(
        "in at to from near into inside outside across between within "
        "toward towards via around through throughout of on"
    )
)
_PLACE_SKIP = frozenset(str.split("the both central downtown greater"))
#: Lowercase words that may follow a place's name without making it a subject.
_NOT_A_VERB = frozenset(
    str.split(
        "and or but nor on in at to from for of with by during after "
        "before since until between as than via near area city"
    )
)


class ContextSteps:
    """The disambiguation steps of :class:`graph.ingest.linker.Linker`."""

    registry: Registry
    ontology: Ontology
    cues: CueIndex
    _class_closure: dict[str, frozenset[str]]

    def _places_for_governments(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Drop a place's name that stands for a government: "Tokyo revised its rules".

        A place is read as a place after a locative preposition ("in Tokyo", "at
        the Pentagon", "to both Tokyo and …", and what is coordinated with such a
        place). Without one, a place's name followed by a possessive ("Tokyo's
        capacity") or by a lowercase word other than a conjunction or a
        preposition ("as Tokyo continues", "Tokyo just lately revised") is the
        subject of what a government does: metonymy, not the city. The registry
        does not say whose government, so the mention is dropped rather than
        linked to the place.
        """
        kept: list[Mention] = []
        locative_end = -1  # end of the last place read as a place
        for mention in mentions:
            if mention.entity is None or "Place" not in self._classes_of(mention.entity):
                kept.append(mention)
                continue
            before = text[max(0, mention.start - 60) : mention.start]
            words = re.findall(r"[\w’']+|,", before)
            while words and words[-1].lower() in _PLACE_SKIP:
                words.pop()
            previous = words[-1].lower() if words else ""
            coordinated = previous in {"and", "or", ","} and 0 <= mention.start - locative_end < 8
            if previous in _LOCATIVE or coordinated:
                locative_end = mention.end
                kept.append(mention)
                continue
            after = re.match(r"(?:[’']s\b)|\s+([a-z]+)\b", text[mention.end : mention.end + 30])
            if after and (after.group(1) is None or after.group(1) not in _NOT_A_VERB):
                continue  # the government by its seat's name
            kept.append(mention)
        return kept

    def _class_cue_near(
        self,
        text: str,
        mention: Mention,
        candidate: str,
        bounds: tuple[tuple[int, int], ...],
        starts: list[int],
    ) -> bool:
        i = max(bisect.bisect_right(starts, mention.start) - 1, 0)
        s_start, s_end = bounds[i] if bounds else (0, len(text))
        classes = self._classes_of(candidate)
        return any(hit.classes & classes for hit in self.cues.find(fold(text[s_start:s_end])))

    def _classes_of(self, entity: str) -> frozenset[str]:
        """The entity's class and its ancestors, computed once per class."""
        cls = self.registry.types[entity]
        found = self._class_closure.get(cls)
        if found is None:
            onto = self.ontology
            found = frozenset({cls} | {onto.class_name(a) for a in onto.classes[cls].ancestors})
            self._class_closure[cls] = found
        return found

    def _resolve(self, text: str, mentions: list[Mention]) -> list[Mention]:
        if all(m.entity is not None for m in mentions):
            return mentions
        bounds = sentences(text)
        starts = [a for a, _ in bounds]
        settled = {m.entity for m in mentions if m.entity is not None}
        out: list[Mention] = []
        for mention in mentions:
            if mention.entity is not None:
                out.append(mention)
                continue
            i = max(bisect.bisect_right(starts, mention.start) - 1, 0)
            s_start, s_end = bounds[i] if bounds else (0, len(text))
            neighbours = [m for m in mentions if m.entity and s_start <= m.start < s_end]
            entity, note = self._choose(text, mention, (s_start, s_end), neighbours, settled)
            out.append(
                Mention(
                    mention.start,
                    mention.end,
                    mention.text,
                    entity,
                    mention.candidates,
                    mention.how,
                    note,
                )
            )
        return out

    def _choose(
        self,
        text: str,
        mention: Mention,
        sentence: tuple[int, int],
        neighbours: list[Mention],
        settled: set[str],
    ) -> tuple[str, str]:
        onto, reg = self.ontology, self.registry
        s_start, s_end = sentence
        window = fold(text[max(s_start, mention.start - 80) : min(s_end, mention.end + 80)])
        sentence_cues = self.cues.find(fold(text[s_start:s_end]))
        near = fold(text[max(s_start, mention.start - 40) : min(s_end, mention.end + 40)])
        near_cues = {c.cue for c in self.cues.find(near)}
        scores: dict[str, float] = {}
        reasons: dict[str, list[str]] = {}
        for cand in mention.candidates:
            score, why = 0.0, []
            cls = reg.types[cand]
            classes = self._classes_of(cand)
            for hit in sentence_cues:
                if hit.classes & classes:
                    weight = 1.0 if hit.cue in near_cues else 0.5
                    score += weight
                    why.append(f"'{hit.text}' ({', '.join(sorted(hit.classes & classes))})")
            words = set(re.findall(r"\w{4,}", window)) & reg.profiles.get(cand, frozenset())
            if words:
                score += min(0.25 * len(words), 1.0)
                why.append("description words " + ", ".join(f"'{w}'" for w in sorted(words)))
            for hit in sentence_cues:
                for pred in sorted(hit.predicates):
                    prop = onto.properties[pred]
                    fits = [
                        n
                        for n in neighbours
                        if n.entity
                        and n.entity != cand
                        and (
                            (
                                onto.class_satisfies(cls, prop.domain)
                                and onto.class_satisfies(reg.types[n.entity], prop.range)
                            )
                            or (
                                onto.class_satisfies(reg.types[n.entity], prop.domain)
                                and onto.class_satisfies(cls, prop.range)
                            )
                        )
                    ]
                    if fits and prop.domain != prop.range:
                        score += 0.25
                        why.append(f"'{hit.text}' suggests {pred} with {fits[0].entity}")
                        break
            if cand in settled:
                score += 0.75
                why.append("named elsewhere in the document")
            scores[cand], reasons[cand] = score, why
        ranked = sorted(mention.candidates, key=lambda c: -scores[c])
        best = ranked[0]
        names = ", ".join(f"{c} ({reg.types[c]})" for c in mention.candidates)
        if len(ranked) > 1 and scores[ranked[1]] == scores[best]:
            return best, (
                f"'{mention.text}' names {names}; no context decides: picked {best}, "
                "the first of a tie — check it"
            )
        because = "; ".join(reasons[best]) or "the others scored lower"
        return best, (
            f"'{mention.text}' names {names}; chose {best} by context "
            f"(score {scores[best]:.2f} vs {scores[ranked[1]]:.2f}): {because}"
        )
