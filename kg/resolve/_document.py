"""Resolution inside one article: mentions grouped into canonical entities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace

from kg.patterns import word_set
from kg.records import Analysis, Extraction, Mention, MentionRelation
from kg.resolve._agreements import Agreements
from kg.resolve._clusters import Cluster
from kg.resolve._decisions import Decision, load_decisions
from kg.resolve._names import clean_name, initials, norm, org_key, person_name, surname
from kg.resolve._output import PostLookup, build
from kg.vocab import Concept, Vocabulary

ENTITY_LABELS = {"Person", "Organization", "Country", "Mineral", "Agreement"}
Join = Callable[..., None]


class DocumentResolver:
    """Groups the mentions of one :class:`~kg.records.Analysis` into entities.

    Parameters
    ----------
    vocabulary : kg.vocab.Vocabulary
        Concepts whose IRIs and names entities take.
    decisions : dict, optional
        Overrides (:func:`~kg.resolve.load_decisions`); the shipped file by default.
    posts : callable, optional
        An officials vocabulary, ``(title, name, date) -> Post | None``
        (:data:`~kg.resolve.PostLookup`): a titled person the text ties to no country or
        organisation takes the post it returns.
    """

    def __init__(
        self,
        vocabulary: Vocabulary,
        decisions: dict[tuple[str, str], Decision] | None = None,
        posts: PostLookup | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        self.decisions = decisions if decisions is not None else load_decisions()
        self.posts = posts
        #: Full names of people seen in earlier articles of this run, by surname.
        self.people: dict[str, set[str]] = defaultdict(set)
        self.agreements = Agreements(vocabulary)
        self.by_label: dict[tuple[str, str], Concept] = {}
        for concept in vocabulary.concepts.values():
            for form, _ in concept.surface_forms():
                self.by_label.setdefault((concept.kind, norm(form)), concept)
                if concept.kind == "Organization":
                    self.by_label.setdefault((concept.kind, org_key(form)), concept)

    def resolve(self, analysis: Analysis) -> Extraction:
        """The entities, relations and quantities of one article."""
        # Names are matched and written without format characters (zero-width, bidi marks).
        mentions = list(analysis.mentions)
        for i, m in enumerate(mentions):
            name = clean_name(m.text)
            if name != m.text:
                mentions[i] = replace(m, text=name)
        cluster_of: dict[int, Cluster] = {}
        clusters: list[Cluster] = []

        def join(index: int, cluster: Cluster, reason: str | None = None) -> None:
            cluster.mentions.append(index)
            cluster_of[index] = cluster
            if reason:
                cluster.reasons.append(reason)

        labels = self._relabel(mentions, analysis.relations)
        # 1. Vocabulary concepts: one entity per concept.
        by_concept: dict[str, Cluster] = {}
        for i, m in enumerate(mentions):
            concept = self.vocabulary.get(m.concept) or self._lookup(labels[i], m.text)
            if labels[i] not in ENTITY_LABELS or concept is None:
                continue
            if labels[i] == "Agreement" and concept.kind != "Agreement":
                continue
            cluster = by_concept.get(concept.iri)
            if cluster is None:
                cluster = Cluster(labels[i], concept=concept, name=concept.label)
                by_concept[concept.iri] = cluster
                clusters.append(cluster)
            join(i, cluster, f"{m.text!r} is a name of {concept.label!r} in the vocabulary")
        # 2. Acronyms defined in the text, then people and organisations by name.
        self._acronyms(analysis, mentions, cluster_of, join)
        self._people(mentions, labels, cluster_of, clusters, join)
        short_forms = {mentions[s].text for _, s in analysis.acronyms}
        shorts = {i for i, m in enumerate(mentions) if m.text in short_forms}
        self._organisations(mentions, labels, cluster_of, clusters, join, skip=shorts)
        self._acronyms(analysis, mentions, cluster_of, join)
        defined = {mentions[s].text: cluster_of[s] for _, s in analysis.acronyms if s in cluster_of}
        for i, m in enumerate(mentions):
            if i not in cluster_of and labels[i] == "Organization" and m.text in defined:
                join(i, defined[m.text], f"{m.text!r} is an acronym defined earlier")
        self._organisations(mentions, labels, cluster_of, clusters, join, skip=set())
        self._initials(clusters, mentions, cluster_of)
        # 3. Agreements: names, descriptions, then bare "the deal" by its determiner.
        infos = self.agreements.group(
            analysis.article.text, mentions, labels, cluster_of, clusters, join, analysis.relations
        )
        self._agreement_acronyms(analysis, cluster_of, join)
        self._apply_decisions(mentions, clusters, cluster_of)
        self._unanchored_names(analysis, mentions, clusters, cluster_of)
        self._across_articles(clusters)
        return build(self, analysis, mentions, clusters, cluster_of, infos)

    def remember(self, name: str) -> None:
        """Remember a person's full name from an article this run does not resolve again (one
        already in the store), so later surnames alone can take it."""
        if len(name.split()) > 1:
            self.people[surname(name)].add(name)

    def _across_articles(self, clusters: list[Cluster]) -> None:
        """A surname alone ("Hegseth") takes the full name seen in an earlier article when only
        one person of that surname was seen; full names are remembered for later articles."""
        for cluster in clusters:
            if cluster.kind != "Person" or not cluster.mentions:
                continue
            if cluster.name == surname(cluster.name):
                known = self.people.get(cluster.name, set())
                if len(known) == 1:
                    full = next(iter(known))
                    cluster.reasons.append(f"{cluster.name!r} is {full!r} of an earlier article")
                    cluster.name = full
            else:
                self.people[surname(cluster.name)].add(cluster.name)

    def _apply_decisions(
        self, mentions: list[Mention], clusters: list[Cluster], cluster_of: dict[int, Cluster]
    ) -> None:
        """Overrides from the decisions files: merge into an IRI, rename, or reject."""
        for cluster in clusters:
            names = {norm(cluster.name)} | {norm(mentions[i].text) for i in cluster.mentions}
            decision = next(
                (
                    self.decisions[(cluster.kind, n)]
                    for n in sorted(names)
                    if (cluster.kind, n) in self.decisions
                ),
                None,
            )
            if decision is None or not cluster.mentions:
                continue
            because = f"decision for {decision.match!r}" + (
                f": {decision.why}" if decision.why else ""
            )
            if decision.reject:
                for i in cluster.mentions:
                    cluster_of.pop(i, None)
                cluster.mentions = []
                continue
            if decision.same_as:
                concept = self.vocabulary.get(decision.same_as)
                cluster.concept = concept or cluster.concept
                cluster.iri = None if concept else decision.same_as
                cluster.name = concept.label if concept else (decision.name or cluster.name)
                cluster.fixed = True
            elif decision.name:
                cluster.name, cluster.fixed = decision.name, True
            cluster.reasons.append(because)

    def _unanchored_names(
        self,
        analysis: Analysis,
        mentions: list[Mention],
        clusters: list[Cluster],
        cluster_of: dict[int, Cluster],
    ) -> None:
        """A one-word "person" never given a first name is most often something else. With a
        title or an honorific it stays a person; with a possessive ("Talga's graphite mine") or
        only a speech verb ("…, Kallanish notes") it is an organisation, a company or a source;
        otherwise a place or a thing the small model misread ("Luhansk, Zaporizhzhia")."""
        text = analysis.article.text
        titled = {r.head for r in analysis.relations if r.type in {"holds_role_in", "has_title"}}
        verbs = word_set("speech_verbs")
        honorifics = word_set("honorifics")
        role_ends = {m.end for m in mentions if m.label == "Role"}
        for cluster in clusters:
            if cluster.kind != "Person" or len(cluster.name.split()) > 1:
                continue
            # A surname of a person named in full in an earlier article stays that person.
            person, company = len(self.people.get(cluster.name, ())) == 1, False
            for i in cluster.mentions:
                m = mentions[i]
                after = text[m.end : m.end + 30].lower().split()
                before = text[max(0, m.start - 15) : m.start].lower().split()
                if (
                    i in titled
                    or (before and before[-1] in honorifics)
                    or any(m.start - end in {0, 1, 2} for end in role_ends)
                ):
                    person = True
                elif text[m.end : m.end + 2] in {"'s", "’s"} or (
                    after and after[0].strip(",.") in verbs
                ):
                    company = True
            if person:
                continue
            if company:
                cluster.kind = "Organization"
                cluster.reasons.append(
                    f"{cluster.name!r} has no first name or title: an organisation"
                )
                continue
            for i in cluster.mentions:
                cluster_of.pop(i, None)
            cluster.mentions = []

    def _lookup(self, label: str, text: str) -> Concept | None:
        if label == "Country":
            return self.by_label.get((label, norm(text)))
        if label == "Organization":
            return self.by_label.get((label, norm(text))) or self.by_label.get(
                (label, org_key(text))
            )
        return None

    def _relabel(self, mentions: list[Mention], relations: Iterable[MentionRelation]) -> list[str]:
        """Fix the model's confusions between people and organisations by name, one sense per
        name in an article: an "organisation" named like a person of the article ("Von der
        Leyen", "Pacheco") is that person; a "person" without a title whose name is elsewhere an
        organisation, or starts one's name ("Cove Kaz" of "Cove Kaz Capital"), is one."""
        labels = [m.label for m in mentions]
        titled = {r.head for r in relations if r.type in {"holds_role_in", "has_title"}}
        people = [(i, person_name(m.text)) for i, m in enumerate(mentions) if m.label == "Person"]
        titled_names = {norm(name) for i, name in people if i in titled}
        organisations = {norm(m.text) for m in mentions if m.label == "Organization"}
        starts = {
            " ".join(key.split()[:n]) for key in organisations for n in range(1, len(key.split()))
        }
        companies = (organisations | starts) - titled_names
        full = [p for _, p in people if " " in p and norm(p) not in companies]
        known = {norm(p) for p in full} | {norm(surname(p)) for p in full}
        for i, m in enumerate(mentions):
            key = norm(m.text)
            if key in known:
                if m.label == "Organization" and m.concept is None:
                    labels[i] = "Person"
            elif (
                m.label == "Person"
                and key not in titled_names
                and i not in titled
                and (key in organisations or key in starts)
            ):
                labels[i] = "Organization"
        return labels

    def _acronyms(
        self,
        analysis: Analysis,
        mentions: list[Mention],
        cluster_of: dict[int, Cluster],
        join: Join,
    ) -> None:
        """An acronym defined in the text joins its long form, and a long form whose short
        name the vocabulary knows joins that ("National Copper Corp. (Codelco)")."""
        for long_i, short_i in analysis.acronyms:
            if long_i in cluster_of and short_i not in cluster_of:
                why = f"{mentions[short_i].text!r} is defined as an acronym"
                join(short_i, cluster_of[long_i], why)
            elif short_i in cluster_of and long_i not in cluster_of:
                short = cluster_of[short_i]
                if short.concept is not None and short.kind == mentions[long_i].label:
                    why = f"{mentions[long_i].text!r} is spelled out as {short.name!r}"
                    join(long_i, short, why)

    def _agreement_acronyms(
        self, analysis: Analysis, cluster_of: dict[int, Cluster], join: Join
    ) -> None:
        """ "Indo-Pacific Economic Framework (IPEF)": the acronym of an agreement is it."""
        for long_i, short_i in analysis.acronyms:
            long = cluster_of.get(long_i)
            short = cluster_of.get(short_i)
            if long is None or long.kind != "Agreement" or short is long:
                continue
            if short is not None:
                if short.concept is not None or short.kind == "Agreement":
                    continue
                short.mentions.remove(short_i)
            join(short_i, long, "an acronym defined for the agreement")

    def _initials(
        self, clusters: list[Cluster], mentions: list[Mention], cluster_of: dict[int, Cluster]
    ) -> None:
        """An unlisted acronym that spells the initials of an organisation of the article is
        that organisation ("Kamoto Copper Company" … "KCC"), when only one spells them."""
        by_initials: dict[str, list[Cluster]] = defaultdict(list)
        for c in clusters:
            if c.kind == "Organization" and c.mentions and len(c.name.split()) >= 2:
                by_initials[initials(c.name)].append(c)
        for c in clusters:
            name = c.name
            if c.kind != "Organization" or c.concept or not name.isupper() or " " in name:
                continue
            long = by_initials.get(name, [])
            if len(long) != 1 or long[0] is c or len(name) < 2:
                continue
            target = long[0]
            for i in c.mentions:
                target.mentions.append(i)
                cluster_of[i] = target
            target.reasons.append(f"{name!r} spells the initials of {target.name!r}")
            c.mentions = []

    def _people(
        self,
        mentions: list[Mention],
        labels: list[str],
        cluster_of: dict[int, Cluster],
        clusters: list[Cluster],
        join: Join,
    ) -> None:
        full: dict[str, Cluster] = {}
        by_surname: dict[str, Cluster] = {}
        order = sorted(
            (i for i, lab in enumerate(labels) if lab == "Person" and i not in cluster_of),
            key=lambda i: -len(person_name(mentions[i].text).split()),
        )
        for i in order:
            name = person_name(mentions[i].text)
            key = norm(name)
            if key in full:
                join(i, full[key])
                continue
            if key in by_surname:
                target = by_surname[key]
                join(i, target, f"{name!r} is the surname of {target.name!r}")
                continue
            cluster = Cluster("Person", name=name)
            clusters.append(cluster)
            full[key] = cluster
            if " " in name:
                by_surname.setdefault(norm(surname(name)), cluster)
                by_surname.setdefault(norm(name.split()[-1]), cluster)
            join(i, cluster)

    def _organisations(
        self,
        mentions: list[Mention],
        labels: list[str],
        cluster_of: dict[int, Cluster],
        clusters: list[Cluster],
        join: Join,
        skip: set[int],
    ) -> None:
        by_name: dict[str, Cluster] = {
            org_key(c.name): c for c in clusters if c.kind == "Organization" and c.concept is None
        }
        candidates = (
            i
            for i, lab in enumerate(labels)
            if lab == "Organization" and i not in cluster_of and i not in skip
        )
        for i in sorted(candidates, key=lambda i: -len(mentions[i].text)):
            key = org_key(mentions[i].text)
            if key in by_name:
                join(i, by_name[key])
                continue
            text = mentions[i].text.strip()
            for prefix in ("the ", "The "):
                text = text.removeprefix(prefix)
            longer = next(
                (
                    c
                    for k, c in by_name.items()
                    if len(key.split()) >= 2 and k.startswith(key + " ")
                ),
                None,
            )
            if longer is not None:  # "Zangge Mining" for "Zangge Mining Investment"
                join(i, longer, f"{text!r} is the start of {longer.name!r}")
                by_name[key] = longer
                continue
            cluster = Cluster("Organization", name=text)
            clusters.append(cluster)
            by_name[key] = cluster
            join(i, cluster)
