"""Near-duplicate (syndicated copy) detection: precision and recall on a republished corpus.

The 24 sample articles are republished as web pages by made-up outlets, each with its own
furniture (navigation, cookie banner, related stories, comments) and one of six kinds of change:
a new headline only; a dateline and credit line added; the last third cut; sentences rewritten
and words swapped; all of those at once; only the first half kept. Every page goes through
``kg.ingest.read_articles`` (trafilatura, kg's clean-up) and the fingerprints through
:class:`kg.ingest.syndication.SyndicationIndex`, in a shuffled order, as a build would see them.
Negatives: the 24 originals themselves (24 different stories) and articles recombined from the
sample paragraphs (``benchmarks/_corpus.py``), which share whole paragraphs with several
originals without being any one's copy.

Pairwise precision and recall: of the pairs of articles put in one story, how many are; of the
pairs that are one story, how many were found. Also recall per kind of change, the time per
fingerprint, and the same figures at other thresholds and shingle sizes.

    python benchmarks/bench_syndication.py
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _corpus import articles as recombined

from kg.ingest import own_text, read_articles
from kg.ingest import syndication as syn
from kg.resources import sample_corpus

OUTLETS = ["Metals Daily", "The Ore Report", "Battery Wire", "Supply Chain Post", "Asia Mining"]
FILLER = [
    "Officials did not respond to a request for comment.",
    "The figures could not be independently verified.",
    "Markets reacted calmly to the news on the day.",
    "Analysts expect more details to follow in the coming weeks.",
    "The statement gave no timetable for the next steps.",
]
SWAPS = {
    "said": "stated",
    "announced": "unveiled",
    "government": "administration",
    "company": "firm",
    "agreement": "accord",
    "percent": "per cent",
    "also": "additionally",
    "will": "would",
}
KINDS = ["headline", "dateline", "trimmed", "edited", "heavy", "half"]


def originals() -> list[dict[str, str]]:
    lines = sample_corpus().read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def edit(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Rewrite one sentence in about half the paragraphs and swap a few words."""
    out = []
    for paragraph in paragraphs:
        sentences = re.split(r"(?<=[.!?])\s+", paragraph)
        if len(sentences) > 1 and rng.random() < 0.5:
            sentences[rng.randrange(len(sentences))] = rng.choice(FILLER)
        text = " ".join(sentences)
        for old, new in SWAPS.items():
            if rng.random() < 0.5:
                text = re.sub(rf"\b{old}\b", new, text)
        out.append(text)
    return out


def republish(article: dict[str, str], kind: str, rng: random.Random) -> tuple[str, list[str]]:
    paragraphs = [p.strip() for p in article["text"].split("\n\n") if p.strip()]
    title = f"{article['title'].split(' ', 3)[-1].capitalize()}: what we know"
    if kind in ("dateline", "heavy"):
        paragraphs[0] = f"LONDON ({rng.choice(OUTLETS)}) — {paragraphs[0]}"
        paragraphs.append("(Reporting by Ana Ruiz and Tom Berg; editing by Sam Ng)")
    if kind in ("trimmed", "heavy"):
        paragraphs = paragraphs[: max(2, (2 * len(paragraphs)) // 3)]
    if kind in ("edited", "heavy"):
        paragraphs = edit(paragraphs, rng)
    if kind == "heavy":
        paragraphs.insert(0, "Here is what you need to know about this morning's news.")
    if kind == "half":
        paragraphs = paragraphs[: max(2, len(paragraphs) // 2)]
    return title, paragraphs


def page(title: str, paragraphs: list[str], outlet: str, rng: random.Random) -> str:
    related = "".join(
        f"<li><a href='/r{n}'>{rng.choice(FILLER)[:-1]} {n}</a></li>" for n in range(4)
    )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title} | {outlet}</title>"
        f"<meta property='og:site_name' content='{outlet}'></head><body>"
        "<div class='cookie-banner'>We use cookies to improve your experience. Accept all</div>"
        f"<nav><a href='/'>{outlet}</a> <a href='/markets'>Markets</a> <a href='/m'>Metal</a></nav>"
        f"<article><h1>{title}</h1><p class='byline'>By Staff</p>{body}</article>"
        f"<aside><h2>Related stories</h2><ul>{related}</ul></aside>"
        "<section id='comments'><h2>Comments</h2><div class='comment'><p>Interesting, but "
        "what about the workers on the ground who never see any of this money?</p></div>"
        "</section><footer>All rights reserved</footer></body></html>"
    )


def corpus(folder: Path, seed: int = 11) -> dict[str, tuple[str, str]]:
    """Write the pages and JSON lines; return id → (true story, kind of change)."""
    rng = random.Random(seed)
    truth: dict[str, tuple[str, str]] = {}
    rows = []
    for article in originals():
        rows.append({k: article[k] for k in ("id", "title", "text")})
        truth[article["id"]] = (article["id"], "original")
        for kind in KINDS:
            outlet = rng.choice(OUTLETS)
            title, paragraphs = republish(article, kind, rng)
            name = f"{article['id']}--{kind}"
            (folder / f"{name}.html").write_text(page(title, paragraphs, outlet, rng), "utf-8")
            truth[name] = (article["id"], kind)
    for row in recombined(48, per_article=6, seed=5):
        rows.append({"id": row["id"], "title": row["title"], "text": row["text"]})
        truth[row["id"]] = (row["id"], "recombined")
    with (folder / "originals.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return truth


def evaluate(
    texts: dict[str, str], truth: dict[str, tuple[str, str]], order: list[str]
) -> tuple[float, float, Counter[str], float, tuple[float, str, str]]:
    index = syn.SyndicationIndex()
    story: dict[str, str] = {}
    started = time.perf_counter()
    prints = {key: syn.fingerprint(texts[key]) for key in order}
    per_print = (time.perf_counter() - started) / len(order)
    for key in order:
        story[key] = index.check(key, prints[key]) or key
    found = truth_pairs = both = 0
    closest = (0.0, "", "")  # the most similar pair of different stories
    for a, b in itertools.combinations(order, 2):
        same = story[a] == story[b]
        real = truth[a][0] == truth[b][0]
        first, second = prints[a], prints[b]
        if not real and first and second:
            closest = max(closest, (first.containment(second), a, b))
        found += same
        truth_pairs += real
        both += same and real
    linked: Counter[str] = Counter()
    for key in order:
        source, kind = truth[key]
        if kind not in ("original", "recombined") and story[key] == story.get(source):
            linked[kind] += 1
    precision = both / found if found else 1.0
    return precision, both / truth_pairs, linked, per_print, closest


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        truth = corpus(folder)
        warnings: list[str] = []
        texts = {}
        for article in read_articles([folder], warnings.append):
            texts[article.id] = own_text(article)
    assert set(texts) == set(truth), (set(truth) - set(texts), warnings)
    order = sorted(texts)
    random.Random(3).shuffle(order)
    copies = Counter(kind for _, kind in truth.values())
    print(
        f"{len(texts)} articles: {copies['original']} originals, "
        f"{sum(copies[k] for k in KINDS)} copies ({len(KINDS)} kinds of change), "
        f"{copies['recombined']} recombined articles; {syn.lsh_shape()} (bands, rows)"
    )
    default = (syn.SHINGLE, syn.THRESHOLD, syn.MIN_JACCARD)
    configs = [(s, c, j) for s in (3, 4, 5) for c in (0.6, 0.8) for j in (0.0, 0.25)]
    configs.append((5, 0.0, 0.5))  # Jaccard similarity alone, at 0.5
    for shingle, threshold, jaccard in configs:
        if True:
            syn.SHINGLE, syn.THRESHOLD, syn.MIN_JACCARD = shingle, threshold, jaccard
            precision, recall, linked, per_print, closest = evaluate(texts, truth, order)
            mark = " ← kg" if (shingle, threshold, jaccard) == default else ""
            kinds = ", ".join(f"{k} {linked[k]}/{copies[k]}" for k in KINDS)
            print(
                f"shingle {shingle}, containment {threshold:.1f}, Jaccard {jaccard:.2f}: "
                f"precision {precision:.3f}, "
                f"recall {recall:.3f}; copies linked: {kinds}; "
                f"{per_print * 1000:.1f} ms a fingerprint; highest containment between stories "
                f"{closest[0]:.2f}{mark}"
            )
    print(f"most similar different stories: {closest[1]} and {closest[2]}")
    syn.SHINGLE, syn.THRESHOLD, syn.MIN_JACCARD = default
    store_lookups(list(texts.values()))


def store_lookups(texts: list[str], stored: int = 20_000) -> None:
    """What a build pays per article: a fingerprint, and the check against a store holding
    ``stored`` articles' signatures and bands (read through Oxigraph's indexes)."""
    import pyoxigraph as ox

    from kg._syndication import BuildSyndication
    from kg.ingest import article_from_text
    from kg.rdf.syndication import syndication_quads
    from kg.store import GraphStore

    store = GraphStore(None)
    rng = random.Random(2)
    words = sorted(set(" ".join(texts).split()))
    quads: list[ox.Quad] = []
    for number in range(stored):  # other stories: 400 words drawn from the corpus's vocabulary
        article = article_from_text(f"stored-{number}", " ".join(rng.choices(words, k=400)))
        quads.extend(syndication_quads(article, syn.fingerprint(article.text), None))
    store.raw.bulk_extend(quads)
    syndication = BuildSyndication(store)
    articles = [article_from_text(f"new-{n}", text) for n, text in enumerate(texts)]
    started = time.perf_counter()
    for article in articles:
        syn.fingerprint(article.text)
    printing = (time.perf_counter() - started) / len(articles)
    started = time.perf_counter()
    copies = sum(syndication.check(article) is not None for article in articles)
    checking = (time.perf_counter() - started) / len(articles)
    print(
        f"a build's cost per article, against a store of {stored:,} articles' bands: "
        f"{printing * 1000:.2f} ms fingerprint, {(checking - printing) * 1000:.2f} ms lookups "
        f"({copies} of the {len(articles)} found to be copies, of one another)"
    )


if __name__ == "__main__":
    main()
