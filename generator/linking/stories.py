"""Stories: articles that report the same event, grouped.

Two stages, so the expensive part is cached with the rest of an article's analysis:

- ``story_features`` (per article, pure): counted keys of a few kinds (content words,
  capitalized names, numbers, years and dates) and a MinHash signature of its word shingles.
- ``cluster`` (whole corpus): keys are weighted by rarity (sublinear tf times idf, names and
  figures boosted), similarities are one sparse product of the vectors over rare keys (the
  pairs that share one, never all pairs), pairs whose known publication dates lie far apart are damped, and
  average-link agglomeration over that sparse graph stops at a fixed similarity.

Same-kind events (two earthquakes) share their vocabulary but not their names, places,
figures or dates. Those kinds are boosted, and before two clusters merge their average
similarity is damped by their conflict: how much each side has characteristic facts (names,
figures, years most of its articles mention) that the other side's articles do not.

A merge also needs a specific fact both sides state as their event's: one in a member's lead
(a report says who, where and when in its first sentences; commentary on the same theme does
not) or characteristic of the cluster. In a large corpus rarity already keeps themes apart;
in a small one of a single theme (five pieces on Russia and China) idf cannot tell the
event's facts from the theme's, and this is what keeps an essay out of a meeting's story.
Near-duplicates (MinHash over word shingles) always share a story.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain

import numpy as np
from scipy import sparse

from generator.analysis.story_keys import BAND_MIX, KIND_BITS, KIND_CODES, LEAD_BIT, MINHASH_BANDS, MINHASH_ROWS, MINHASH_SIZE
from generator.models import Story, StoryFeatures

# --- parameters (few and general; chosen on the ECB+ dev topics 1-25) -------------------------
NAME_BOOST = 2.0  # capitalized names tell events of one kind apart
NUMBER_BOOST = 1.5  # figures: magnitudes, death tolls, sums
YEAR_BOOST = 1.5  # years and month-day dates mentioned in the text
MERGE_SIMILARITY = 0.07  # average-link stops when the closest clusters are less similar
DATE_GAP_DAYS = 365  # publication dates further apart than this make a pair less likely one event
DATE_GAP_FACTOR = 0.5  # ... by this factor
PAIR_FLOOR = MERGE_SIMILARITY / 2  # pairs less similar than this stay out of the graph (speed; average-link reads them as 0)
NEIGHBOURS = 30  # a pair stays when among the strongest this many of one of its articles (0: all)
DF_CAP_MIN = 40  # keys in more than max(DF_CAP_MIN, DF_CAP_SHARE * N) articles build no candidate pairs
DF_CAP_SHARE = 0.005
CONFLICT_WEIGHT = 0.8  # a merge's average similarity shrinks by this share of the clusters' conflict
FACT_KINDS = "ndy"  # key kinds that distinguish events: names, figures, years and dates
CONFLICT_FACTS = 2  # a side's conflict is the mean gap of its this many most exclusive facts (one alone is often noise)
CHARACTERISTIC_SHARE = 0.5  # a fact is characteristic of a cluster when at least this share of it mentions the fact
NEAR_DUPLICATE_JACCARD = 0.8
SPECIFIC_SHARE = 0.8  # a fact more than this share of the texts state is background, not one event's (size-aware)

Item = tuple[str, StoryFeatures, date | None, str | None]


# --- whole corpus --------------------------------------------------------------------------------


def cluster(items: Sequence[Item]) -> tuple[Story, ...]:
    """Group articles ``(id, features, published, source)`` into stories; every article in exactly one.

    Deterministic and independent of input order (items are sorted by id first). Stories come
    ordered by slug; a story's slug is the id of its earliest member (by publication date when
    known, then id), members the most central first. The source is not used: one outlet reports
    many events, and many outlets one.
    """
    return clustered(items)[0]


Clustered = tuple[tuple[Story, ...], tuple[tuple[str, ...], ...]]  # stories; near-duplicate groups (as near_duplicates)


def clustered(items: Sequence[Item]) -> Clustered:
    """``cluster`` and ``near_duplicates`` of ``items`` at once: both start from the same near-duplicate pass.

    Only numbers and ids go in and out, so a run clusters in a worker process while it links.
    """
    ordered = sorted(items, key=lambda item: item[0])
    if not ordered:
        return (), ()
    versions = _near_duplicate_indexes([item[1] for item in ordered])
    vectors = _weighted_vectors([item[1] for item in ordered], versions)
    similarities = _similarities(vectors, len(ordered))
    _damp_date_gaps(similarities, [item[2] for item in ordered])
    for group in versions:
        for a in group:
            for b in group:
                if a < b:
                    similarities[a, b] = 1.0
    groups = _average_link(len(ordered), similarities, vectors, MERGE_SIMILARITY, versions)
    stories = [_story(group, ordered, similarities) for group in groups]
    return tuple(sorted(stories, key=lambda s: s.slug)), _named(versions, [item[0] for item in ordered])


def assign(existing: Sequence[Story], items: Sequence[Item]) -> tuple[Story, ...]:
    """Stories of ``items`` (all articles, old and new) that keep the slugs of ``existing`` where they can.

    Clustering is cheap and order-independent, so this reclusters everything (its memberships
    equal ``cluster(items)``) and then hands each old slug to the new story that holds most of
    that old story's members, when those make up more than half of both (a story whose
    membership is mostly the same keeps its slug).
    """
    fresh = cluster(items)
    return inherit_slugs(existing, fresh)


def inherit_slugs(existing: Sequence[Story], fresh: Sequence[Story]) -> tuple[Story, ...]:
    """``fresh`` stories renamed to the ``existing`` slug whose membership each mostly keeps."""
    owner = {member: story.slug for story in existing for member in story.members}
    sizes = {story.slug: len(story.members) for story in existing}
    candidates: list[tuple[int, str, int]] = []  # (-overlap, old slug, index of the fresh story)
    for index, story in enumerate(fresh):
        overlap: dict[str, int] = defaultdict(int)
        for member in story.members:
            if member in owner:
                overlap[owner[member]] += 1
        for slug, shared in overlap.items():
            if 2 * shared > sizes[slug] and 2 * shared > len(story.members):
                candidates.append((-shared, slug, index))
    renamed: dict[int, str] = {}
    used: set[str] = set()
    for _, slug, index in sorted(candidates):
        if index not in renamed and slug not in used:
            renamed[index] = slug
            used.add(slug)
    taken = used | {s.slug for i, s in enumerate(fresh) if i not in renamed}
    out: list[Story] = []
    for index, story in enumerate(fresh):
        slug = renamed.get(index, story.slug)
        if index not in renamed and story.slug in used:
            slug = _free_slug(story, taken)  # its natural slug went to an older story
            taken.add(slug)
        out.append(Story(slug=slug, members=story.members))
    return tuple(sorted(out, key=lambda s: s.slug))


def _free_slug(story: Story, taken: set[str]) -> str:
    for member in sorted(story.members):
        if member not in taken:
            return member
    suffix = 2
    while f"{story.slug}-{suffix}" in taken:
        suffix += 1
    return f"{story.slug}-{suffix}"


def near_duplicates(items: Sequence[tuple[str, StoryFeatures]]) -> tuple[tuple[str, ...], ...]:
    """Groups (two or more, ids sorted, groups sorted) of articles that are versions of one text.

    Candidates share a MinHash band (locality-sensitive hashing, never all pairs); a pair counts
    when its estimated shingle Jaccard similarity reaches NEAR_DUPLICATE_JACCARD, and groups are
    the connected components of those pairs.
    """
    ordered = sorted(items, key=lambda item: item[0])
    return _named(_near_duplicate_indexes([features for _, features in ordered]), [slug for slug, _ in ordered])


def _named(groups: Sequence[list[int]], ids: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Index groups as id groups: ids sorted in each, groups sorted."""
    return tuple(sorted(tuple(sorted(ids[i] for i in group)) for group in groups))


def _near_duplicate_indexes(features: Sequence[StoryFeatures]) -> list[list[int]]:
    """Indexes of near-duplicate groups: pairs sharing a band, verified on the whole signature."""
    signed = [index for index, f in enumerate(features) if f.minhash]
    if len(signed) < 2:
        return []
    signatures = np.frombuffer(b"".join(features[i].minhash for i in signed), dtype="<u8").reshape(len(signed), MINHASH_SIZE)
    rows = np.array(signed, dtype=np.int64)
    candidates: list[np.ndarray] = []
    for band in range(MINHASH_BANDS):
        # One number per band (collisions only cost a check below), then equal runs after sorting.
        block = signatures[:, band * MINHASH_ROWS : (band + 1) * MINHASH_ROWS]
        keys = (block * BAND_MIX[None, :]).sum(axis=1)  # wraps modulo 2**64 on purpose
        order = np.argsort(keys, kind="stable")
        ranked = keys[order]
        same = np.flatnonzero(ranked[1:] == ranked[:-1])
        candidates.append(np.stack((order[same], order[same + 1]), axis=1))  # neighbours in a run chain the run
    pairs = np.unique(np.sort(np.concatenate(candidates), axis=1), axis=0)
    agree = (signatures[pairs[:, 0]] == signatures[pairs[:, 1]]).sum(axis=1)
    parent = list(range(len(features)))
    for a, b in pairs[agree >= NEAR_DUPLICATE_JACCARD * MINHASH_SIZE].tolist():
        parent[_find(parent, int(rows[a]))] = _find(parent, int(rows[b]))
    components: dict[int, list[int]] = defaultdict(list)
    for index in range(len(features)):
        components[_find(parent, index)].append(index)
    return sorted(group for group in components.values() if len(group) > 1)


def _find(parent: list[int], index: int) -> int:
    while parent[index] != index:
        parent[index] = parent[parent[index]]
        index = parent[index]
    return index


@dataclass(frozen=True)
class _Vectors:
    """Sparse, L2-normalized article vectors over the indexed keys (articles by keys), and per article its facts.

    ``facts`` holds, per article, the ids of its indexed names, figures and years; ``leads`` those
    of its specific facts its lead states.
    """

    matrix: sparse.csr_matrix
    facts: list[frozenset[int]]
    leads: list[frozenset[int]]


WORD_BOOST = 1.0
_BOOST = np.array([WORD_BOOST, NAME_BOOST, NUMBER_BOOST, YEAR_BOOST, 0.0], dtype=np.float64)  # by KIND_CODES, then any other
_KIND_FACT = np.array([kind in FACT_KINDS for kind in KIND_CODES] + [False], dtype=bool)


def _weighted_vectors(features: Sequence[StoryFeatures], versions: Sequence[list[int]] = ()) -> _Vectors:
    """Sublinear tf times smoothed idf times the kind's boost, normalized per article."""
    n = len(features)
    # The corpus's key codes as one array, and key ids by one sort of them: no Python step per key.
    codes = np.frombuffer(b"".join(f.keys for f in features), dtype="<u8")
    counts = np.frombuffer(b"".join(f.counts for f in features), dtype="<u4").astype(np.float64)
    article_of = np.repeat(np.arange(n, dtype=np.int64), [len(f.keys) // 8 for f in features])
    vocabulary = np.unique(codes)
    key_ids = np.searchsorted(vocabulary, codes)  # five times as fast as np.unique's return_inverse here
    kind = np.minimum(vocabulary >> np.uint64(KIND_BITS), np.uint64(len(KIND_CODES))).astype(np.int64)
    # Lead codes ("l" + key) only mark which of an article's keys its lead states: split them off.
    lead_code = (vocabulary & np.uint64(LEAD_BIT)) != 0
    is_lead = lead_code[key_ids]
    lead_articles, lead_keys = article_of[is_lead], key_ids[is_lead]
    key_ids, article_of, counts = key_ids[~is_lead], article_of[~is_lead], counts[~is_lead]
    stated_code = vocabulary[lead_keys] & ~np.uint64(LEAD_BIT)
    found = np.minimum(np.searchsorted(vocabulary, stated_code), len(vocabulary) - 1)
    lead_keys = np.where(vocabulary[found] == stated_code, found, -1)  # the key a lead code marks, if any article has it
    df = np.bincount(key_ids, minlength=len(vocabulary))
    weights = (1.0 + np.log(counts)) * (np.log((1 + n) / (1 + df[key_ids])) + 1.0) * _BOOST[kind][key_ids]
    norms = np.sqrt(np.bincount(article_of, weights=weights * weights, minlength=n))
    weights = weights / np.where(norms > 0, norms, 1.0)[article_of]
    # Keys in one article build no pair, and very common keys too many: neither enters the index.
    cap = max(DF_CAP_MIN, DF_CAP_SHARE * n)
    indexed = (df[key_ids] >= 2) & (df[key_ids] <= cap)
    matrix = sparse.csr_matrix(
        (weights[indexed], (article_of[indexed], key_ids[indexed])), shape=(n, len(vocabulary)), dtype=np.float64
    )
    is_fact = _KIND_FACT[kind]
    fact_rows = indexed & is_fact[key_ids]
    facts = _sets_by_article(article_of[fact_rows], key_ids[fact_rows], n)
    # A fact is specific when at most SPECIFIC_SHARE of the texts state it (two always may), versions
    # of one text counting once: three copies of one wire story do not make its facts background.
    texts, text_df = n, df
    if versions:
        text_of = np.arange(n, dtype=np.int64)
        for group in versions:
            text_of[group] = group[0]
        texts -= sum(len(group) - 1 for group in versions)
        rows = np.isin(article_of, list(chain.from_iterable(versions)))  # rows of versioned articles only
        per_text = np.unique(text_of[article_of[rows]] * len(vocabulary) + key_ids[rows]) % len(vocabulary)
        text_df = df - np.bincount(key_ids[rows], minlength=len(vocabulary)) + np.bincount(per_text, minlength=len(vocabulary))
    specific = (df >= 2) & (text_df <= max(2.0, SPECIFIC_SHARE * texts)) & is_fact
    stated = lead_keys >= 0
    stated[stated] = specific[lead_keys[stated]]
    return _Vectors(matrix, facts, _sets_by_article(lead_articles[stated], lead_keys[stated], n))


def _sets_by_article(articles: np.ndarray, keys: np.ndarray, n: int) -> list[frozenset[int]]:
    """Per article (0 to n - 1), the set of its ``keys`` (rows given as parallel arrays)."""
    order = np.argsort(articles, kind="stable")
    bounds = np.searchsorted(articles[order], np.arange(1, n))
    return [frozenset(part.tolist()) for part in np.split(keys[order], bounds)]


class _Similarities:
    """Pair similarities of a sparse graph: (a, b) with a < b -> cosine over the indexed keys."""

    def __init__(self, pairs: dict[tuple[int, int], float]) -> None:
        self.pairs = pairs

    def __setitem__(self, pair: tuple[int, int], value: float) -> None:
        self.pairs[pair] = value

    def get(self, a: int, b: int) -> float:
        return self.pairs.get((a, b) if a < b else (b, a), 0.0)


def _similarities(vectors: _Vectors, n: int) -> _Similarities:
    """Cosines of the pairs that share an indexed key: one sparse product of the vectors with themselves.

    Its cost is the sum of the indexed keys' df squared, which the df cap bounds: pairs come from
    the inverted index the product walks, never from all pairs.
    """
    products = (vectors.matrix @ vectors.matrix.T).tocoo()
    # Faint pairs barely move an average but make most of the graph: they are left out.
    keep = (products.row < products.col) & (products.data >= PAIR_FLOOR)
    codes = products.row[keep].astype(np.int64) * n + products.col[keep]
    order = np.argsort(codes, kind="stable")
    codes, sums = _strongest(codes[order], products.data[keep][order], n, NEIGHBOURS)
    return _Similarities(dict(zip(zip((codes // n).tolist(), (codes % n).tolist(), strict=True), sums.tolist(), strict=True)))


def _strongest(codes: np.ndarray, sums: np.ndarray, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Keep a pair when it is among the k strongest of either of its articles (ties by code)."""
    if k <= 0 or len(codes) == 0:
        return codes, sums
    left, right = codes // n, codes % n
    ends = np.concatenate((left, right))
    strength = np.concatenate((sums, sums))
    which = np.concatenate((np.arange(len(codes)), np.arange(len(codes))))
    order = np.lexsort((which, -strength, ends))  # by article, strongest first
    ranked_ends = ends[order]
    first = np.searchsorted(ranked_ends, ranked_ends, side="left")
    rank = np.arange(len(order)) - first
    keep = np.zeros(len(codes), dtype=bool)
    keep[which[order][rank < k]] = True
    return codes[keep], sums[keep]


def _damp_date_gaps(similarities: _Similarities, published: Sequence[date | None]) -> None:
    """Pairs whose known dates lie more than DATE_GAP_DAYS apart are less likely one event."""
    for (a, b), value in similarities.pairs.items():
        da, db = published[a], published[b]
        if da is not None and db is not None and abs((da - db).days) > DATE_GAP_DAYS:
            similarities.pairs[a, b] = value * DATE_GAP_FACTOR


def _average_link(
    n: int, similarities: _Similarities, vectors: _Vectors, threshold: float, versions: Sequence[list[int]] = ()
) -> list[list[int]]:
    """Average-link agglomeration over the sparse graph (absent pairs count as similarity 0).

    Keeps, for each pair of clusters joined by an edge, the sum of their pair similarities; the
    merge with the highest average (sum / size product) goes first, ties by the smaller indexes.
    Before a merge its average is damped by the clusters' conflict (see ``_conflict``) and the
    merge waits its turn again at the damped value; a merge without a shared event fact (see
    ``_shared_event``) waits until one side grows. ``versions`` (near-duplicate groups) are
    merged first.
    """
    state = _Agglomeration(n, similarities, vectors)
    heap = [(-value, a, b, 0, 0, False) for (a, b), value in similarities.pairs.items() if value >= threshold]
    heapq.heapify(heap)
    for group in versions:  # versions of one text share a story whatever their leads say
        for other in group[1:]:
            for entry in state.merge(group[0], other, threshold):
                heapq.heappush(heap, entry)
    while heap:
        negative, a, b, version_a, version_b, checked = heapq.heappop(heap)
        if state.version.get(a) != version_a or state.version.get(b) != version_b:
            continue  # stale entry: a cluster changed since it was pushed
        if not _shared_event(state, a, b):
            continue  # no specific fact in common where both sides state their event (it may come after another merge)
        if not checked:
            damped = -negative * (1.0 - CONFLICT_WEIGHT * _conflict(state, a, b))
            if damped < -negative - 1e-12:
                if damped >= threshold:
                    heapq.heappush(heap, (-damped, a, b, version_a, version_b, True))
                continue
        for entry in state.merge(a, b, threshold):
            heapq.heappush(heap, entry)
    return sorted(sorted(group) for group in state.members.values())


class _Agglomeration:
    """Clusters being merged: members, summed similarities to neighbours, fact counts, versions."""

    def __init__(self, n: int, similarities: _Similarities, vectors: _Vectors) -> None:
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}
        self.version: dict[int, int] = dict.fromkeys(range(n), 0)
        self.single = vectors.facts  # an article's facts, each mentioned once
        self.facts: dict[int, dict[int, int]] = {}  # a merged cluster's facts and how many of its articles mention each
        self.leads: dict[int, set[int]] = {i: set(vectors.leads[i]) for i in range(n)}
        self.stated: frozenset[int] = frozenset().union(*vectors.leads)  # the specific facts some article leads with
        self.links: dict[int, dict[int, float]] = {i: {} for i in range(n)}
        for (a, b), value in similarities.pairs.items():
            self.links[a][b] = self.links[a].get(b, 0.0) + value
            self.links[b][a] = self.links[b].get(a, 0.0) + value

    def counts(self, cluster: int) -> dict[int, int]:
        """A cluster's facts and how many of its articles mention each; a lone article's made when first asked for."""
        found = self.facts.get(cluster)
        if found is None:
            found = self.facts[cluster] = dict.fromkeys(self.single[cluster], 1)
        return found

    def merge(self, a: int, b: int, threshold: float) -> list[tuple[float, int, int, int, int, bool]]:
        """Fold the higher-numbered cluster into the lower; return heap entries for its new averages."""
        keep, gone = min(a, b), max(a, b)
        members, version, links = self.members, self.version, self.links
        members[keep].extend(members.pop(gone))
        del version[gone]
        version[keep] += 1
        self.leads[keep] |= self.leads.pop(gone)
        counts = self.counts(keep)
        for key, count in self.counts(gone).items():
            counts[key] = counts.get(key, 0) + count
        kept = links[keep]
        kept.pop(gone, None)
        for other, value in links.pop(gone).items():
            if other != keep:
                theirs = links[other]
                del theirs[gone]
                total = kept.get(other, 0.0) + value
                kept[other] = total
                theirs[keep] = total
        del self.facts[gone]
        size = len(members[keep])
        mine = version[keep]
        entries = []
        for other, value in kept.items():
            average = value / (size * len(members[other]))
            if average >= threshold:
                if keep < other:
                    entries.append((-average, keep, other, mine, version[other], False))
                else:
                    entries.append((-average, other, keep, version[other], mine, False))
        return entries


def _shared_event(state: _Agglomeration, a: int, b: int) -> bool:
    """Whether two clusters share a specific fact that each states as its event's.

    A report states its event's facts (who, where, when) in its lead; commentary on the same
    theme leads with none of them, or with others. So a merge needs a specific fact (a name,
    figure or date at most SPECIFIC_SHARE of the articles state) that each side has in a
    member's lead or as a characteristic fact (see ``_exclusive``). In a large corpus rarity
    alone keeps themes apart and this rarely binds; in a small one of a single theme, where
    idf cannot tell background from an event, it is what does.
    """
    if not state.leads[a].isdisjoint(state.leads[b]):
        return True
    return not _evidence(state, a).isdisjoint(_evidence(state, b))


def _evidence(state: _Agglomeration, a: int) -> set[int]:
    """A cluster's event facts: its members' lead facts and its specific characteristic facts."""
    size = len(state.members[a])
    if size < 2:
        return state.leads[a]
    stated = state.stated
    least = max(2.0, CHARACTERISTIC_SHARE * size)
    return state.leads[a] | {key for key, count in state.counts(a).items() if count >= least and key in stated}


def _conflict(state: _Agglomeration, a: int, b: int) -> float:
    """How clearly two clusters report different events, from 0 to 1.

    Each side's characteristic facts (rare names, figures, years found in at least two of its
    articles and half of them) are compared with how often the other side mentions them; the
    conflict is the smaller of the two sides' scores (``_exclusive``), so it is high only when each
    side has facts of its own (Rahman against Thompson), not when one side merely says more.
    """
    return min(_exclusive(state, a, b), _exclusive(state, b, a))


def _exclusive(state: _Agglomeration, a: int, b: int) -> float:
    """How much ``a`` says that ``b`` does not: the mean of its CONFLICT_FACTS largest fact gaps.

    A fact's gap is the share of ``a``'s articles that mention it less the share of ``b``'s. Only
    ``a``'s characteristic facts count, those at least CHARACTERISTIC_SHARE of its articles
    mention (two at least): a lone article has none, as one report's details prove nothing yet.
    Missing gaps count as 0, so one exclusive fact alone weighs half.
    """
    size_a, size_b = len(state.members[a]), len(state.members[b])
    mentioned = state.counts(b)
    gaps = [
        count / size_a - mentioned.get(key, 0) / size_b
        for key, count in state.counts(a).items()
        if count >= 2 and count >= CHARACTERISTIC_SHARE * size_a
    ]
    return sum(heapq.nlargest(CONFLICT_FACTS, gaps)) / CONFLICT_FACTS


def _story(group: list[int], ordered: Sequence[Item], similarities: _Similarities) -> Story:
    """Slug from the earliest member (dated before undated, then by id); members by centrality."""
    earliest = min(group, key=lambda i: (ordered[i][2] is None, ordered[i][2] or date.min, ordered[i][0]))
    centrality = {i: sum(similarities.get(i, j) for j in group if j != i) for i in group}
    best = sorted(group, key=lambda i: (-centrality[i], ordered[i][0]))
    return Story(slug=ordered[earliest][0], members=tuple(ordered[i][0] for i in best))


def story_of(stories: Iterable[Story]) -> Mapping[str, str]:
    """Article id -> the slug of its story."""
    return {member: story.slug for story in stories for member in story.members}
