#!/usr/bin/env python3
"""Deterministic markdown corpus generator for static-site-generator benchmarks.

Writes N pages (plus one index page per section) in nested sections, in the
directory layout a given generator expects. The markdown BODY of every page is
byte-identical across layouts; only the front matter (YAML, TOML or none) and
the surrounding files (config, templates, SUMMARY.md) differ.

Structure (independent of N unless --section-size is given):
  10 top-level sections  sec-00 .. sec-09
  9 subsections each     sec-XX/sub-1 .. sec-XX/sub-9
  page i goes to section i % 10; within it, slot (i // 10) % 10:
  slot 0 -> the section's own folder, slot k -> sub-k.
  So at N=1000 each leaf folder holds 10 pages, at N=10000 100 pages.

Each page: front matter (title, description, weight, tags, date); a lead
paragraph, 3-6 h2 sections (some with h3), a table, a list, one footnote,
3 relative links to other pages (`../sub-2/p00042-foo-bar.md`), a fenced
code block (rust or bash) in about 1 page in 5; ~600-1200 words in all.

This copy (benches/) of the team generator (shared/bench/gen_corpus.py) keeps
its bodies and structure and adds, for benches/compare.py:
  - plain layout (marrow): a site.yaml (title "Bench corpus", base_url,
    marrow's disclaimer, search on or off);
  - hugo layout: a hugo.toml and templates that render marrow's default page
    shape (head, header with search box, navigation tree, breadcrumbs, "On
    this page", heading links, resolved .md links, topics, related pages,
    review dates, previous/next, footer; tag pages, 404, robots.txt, sitemap,
    Atom feed), working with Hugo 0.111 and current Hugo; see benches/README.md;
  - --reviewed: every page and section (plain and hugo) carries
    `reviewed: 2026-11-01` and `reviewer: "Bench reviewer"`, so marrow treats
    it as medically reviewed and indexes it for site search.

Usage:
  gen_corpus.py --layout {hugo,zola,mdbook,plain} -n N -o OUTDIR [--seed S]
                [--nav {full,sections}] [--reviewed] [--no-search]
                [--section-size K] [--force]

--section-size K: bounded sections for scaling runs. The number of top-level
sections becomes ceil(N / 10K) (each still with 9 subsections, page i in
section i % S), so every folder holds about K pages whatever N is; sections
past the tenth repeat the topic names with a number ("Templates 3"). At
N = 100K it is the default shape, byte for byte.

--nav (hugo and zola only): 'full' (default) renders on every page a nav of
the 10 top-level sections with the sections on the way to the page open
(listing their pages); 'sections' renders the top-level sections only. (In
Zola a page template can only list its siblings through get_section(), which
serializes every sibling page in full on every call, so 'full' is quadratic
in section size there.)
--no-search: plain: `search: false` in site.yaml; hugo: no search box.

OUTDIR must not exist or be empty (use --force to wipe it first).
Only the Python standard library is used.
"""

import argparse
import os
import random
import re
import shutil
import sys

NUM_SECTIONS = 10
NUM_SUBS = 9  # subsections per section, named sub-1 .. sub-9

# ---------------------------------------------------------------- vocabulary

NOUNS = """
cache buffer index parser renderer template section page module crate
function closure iterator channel thread worker queue scheduler token lexer
grammar schema record field table column row shard partition replica leader
follower snapshot journal segment block frame packet socket stream pipeline
stage filter reducer mapper handler router endpoint request response header
payload cookie session credential policy role permission quota budget metric
counter gauge histogram span trace event log sink source adapter driver
backend frontend bundle asset stylesheet script image font manifest lockfile
dependency version release tag branch commit patch diff merge rebase review
build target profile feature flag option setting default override fallback
heuristic estimate threshold limit bound ceiling floor window interval epoch
deadline timeout retry backoff jitter latency throughput bandwidth capacity
allocator arena heap stack pointer reference borrow lifetime trait generic
macro attribute annotation comment docstring heading paragraph footnote link
anchor slug permalink sitemap feed taxonomy term category archive search
watcher notifier listener callback promise future executor runtime reactor
""".split()

VERBS = """
parses renders caches indexes validates serializes compresses streams merges
splits sorts filters transforms resolves loads stores flushes evicts
schedules dispatches spawns joins awaits polls wakes blocks retries logs
traces measures reports exports imports bundles minifies hashes signs
verifies rewrites expands collapses normalizes escapes encodes decodes
""".split()

VERBS_BASE = """
parse render cache index validate serialize compress stream merge split sort
filter transform resolve load store flush evict schedule dispatch spawn join
await poll wake block retry log trace measure report export import bundle
minify hash sign verify rewrite expand collapse normalize escape encode decode
configure tune profile benchmark inspect audit document publish deploy
""".split()

ADJS = """
fast slow small large stable unstable lazy eager incremental partial full
shallow deep nested flat ordered unordered sorted stale fresh warm cold hot
shared private public internal external optional mandatory explicit implicit
static dynamic strict lenient concurrent parallel sequential atomic durable
volatile bounded unbounded cheap expensive predictable deterministic noisy
robust fragile portable minimal verbose terse careful naive clever modest
""".split()

ADVS = """
quickly slowly rarely often usually eventually immediately lazily eagerly
carefully silently explicitly implicitly safely roughly exactly partly
""".split()

CONNECTORS = [
    "However,", "In practice,", "As a rule,", "By contrast,", "For example,",
    "In most setups,", "Under load,", "On a cold start,", "Meanwhile,",
    "In the common case,", "Surprisingly,", "To be fair,", "Historically,",
    "On small sites,", "On large sites,", "Once warmed up,", "Conversely,",
]

TAGS = """
performance caching rendering markdown templates search navigation
configuration deployment testing security networking storage concurrency
memory profiling logging tracing metrics i18n accessibility theming
taxonomies feeds sitemaps links images assets css javascript rust bash
tooling ci release packaging plugins shortcodes highlighting toc footnotes
tables math diagrams versioning redirects drafts archives
""".split()

SECTION_TOPICS = [
    "Getting Started", "Core Concepts", "Configuration", "Content Authoring",
    "Templates", "Deployment", "Performance", "Extensions", "Reference",
    "Troubleshooting",
]

SUB_TOPICS = [
    "Basics", "Advanced Usage", "Internals", "Recipes", "Migration",
    "Best Practices", "Examples", "Edge Cases", "FAQ",
]

TITLE_PATTERNS = [
    "{V} the {A} {N}",
    "{V} {N} {N2}s",
    "How the {N} {Vs} {N2}s",
    "Understanding {A} {N}s",
    "{A} {N} and {N2} Tuning",
    "When to {v} the {N}",
    "A Guide to {A} {N}s",
    "{N} vs {N2}",
    "Working with {A} {N}s",
    "Why the {N} {Vs} {A}",
]


def cap(w):
    return w[:1].upper() + w[1:]


def slugify(s):
    out = []
    prev_dash = False
    for ch in s.lower():
        if ch.isalnum():
            out.append(ch)
            prev_dash = False
        elif not prev_dash:
            out.append("-")
            prev_dash = True
    return "".join(out).strip("-")


# ---------------------------------------------------------------- prose

def sentence(rng):
    pat = rng.randrange(9)
    n1, n2, n3 = rng.choice(NOUNS), rng.choice(NOUNS), rng.choice(NOUNS)
    a1, a2 = rng.choice(ADJS), rng.choice(ADJS)
    v1, vb = rng.choice(VERBS), rng.choice(VERBS_BASE)
    adv = rng.choice(ADVS)
    if pat == 0:
        s = f"The {a1} {n1} {v1} every {n2} before the {n3} is {a2}"
    elif pat == 1:
        s = f"A {n1} that {v1} {adv} will {vb} the {n2} only when the {n3} changes"
    elif pat == 2:
        s = f"You can {vb} the {n1} with a {a1} {n2}, which keeps the {n3} {a2}"
    elif pat == 3:
        s = f"Each {n1} {v1} its own {n2}, so the {a1} {n3} never has to {vb} twice"
    elif pat == 4:
        s = f"If the {n1} is {a1}, the {n2} {v1} {adv} and the {n3} stays {a2}"
    elif pat == 5:
        s = f"Most teams {vb} the {n1} first and {rng.choice(VERBS_BASE)} the {n2} later"
    elif pat == 6:
        s = f"The {n1} {v1} the {n2} in {rng.randint(2, 64)} steps, each of them {a1}"
    elif pat == 7:
        s = f"Without a {a1} {n1}, the {n2} {v1} the whole {n3} on every change"
    else:
        s = f"Prefer a {a1} {n1} over a {a2} {n2} when you {vb} a {n3}"
    # sprinkle inline markup
    r = rng.random()
    if r < 0.08:
        s = s.replace(f" {n1}", f" **{n1}**", 1)
    elif r < 0.16:
        s = s.replace(f" {n2}", f" *{n2}*", 1)
    elif r < 0.24:
        s = s.replace(f" {n3}", f" `{n3}_{rng.randint(1, 99)}`", 1)
    if rng.random() < 0.2:
        s = rng.choice(CONNECTORS) + " " + s[0].lower() + s[1:]
    s = AN_RE.sub(r"\1n \2", s)
    return s + "."


AN_RE = re.compile(r"\b([Aa]) ([aeiouAEIOU])")


def paragraph(rng, lo=3, hi=7):
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


def words(text):
    return len(text.split())


def make_title(rng):
    pat = rng.choice(TITLE_PATTERNS)
    return pat.format(
        V=cap(rng.choice(VERBS_BASE)), v=rng.choice(VERBS_BASE),
        Vs=rng.choice(VERBS), A=cap(rng.choice(ADJS)),
        N=cap(rng.choice(NOUNS)), N2=cap(rng.choice(NOUNS)),
    )


def make_table(rng):
    cols = rng.randint(3, 4)
    head = ["Setting", "Default", "Effect", "Notes"][:cols]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * cols) + "|"]
    for _ in range(rng.randint(3, 6)):
        row = [
            f"`{rng.choice(NOUNS)}_{rng.choice(NOUNS)}`",
            rng.choice(["`true`", "`false`", f"`{rng.randint(1, 4096)}`", "`auto`", "none"]),
            f"{cap(rng.choice(VERBS))} the {rng.choice(ADJS)} {rng.choice(NOUNS)}",
            f"{cap(rng.choice(ADJS))} on {rng.choice(ADJS)} {rng.choice(NOUNS)}s",
        ][:cols]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def make_list(rng):
    ordered = rng.random() < 0.4
    items = []
    for k in range(rng.randint(3, 6)):
        text = (f"{cap(rng.choice(VERBS_BASE))} the {rng.choice(ADJS)} "
                f"{rng.choice(NOUNS)} before the {rng.choice(NOUNS)} {rng.choice(VERBS)}")
        if rng.random() < 0.3:
            text += f"; see `{rng.choice(NOUNS)}.{rng.choice(NOUNS)}`"
        items.append((f"{k + 1}. " if ordered else "- ") + text)
    return "\n".join(items)


def make_rust(rng):
    n1, n2 = rng.choice(NOUNS), rng.choice(NOUNS)
    ty = cap(n1)
    lines = [
        "```rust",
        "use std::collections::HashMap;",
        "",
        f"/// A {rng.choice(ADJS)} {n1} keyed by {n2}.",
        f"pub struct {ty} {{",
        f"    entries: HashMap<String, u{rng.choice([32, 64])}>,",
        f"    limit: usize,",
        "}",
        "",
        f"impl {ty} {{",
        f"    pub fn new(limit: usize) -> Self {{",
        f"        Self {{ entries: HashMap::new(), limit }}",
        "    }",
        "",
        f"    pub fn {rng.choice(VERBS_BASE)}(&mut self, key: &str) -> Option<u64> {{",
        f"        if self.entries.len() >= self.limit {{",
        f"            return None; // {rng.choice(ADJS)} {n2}",
        "        }",
        f"        let v = self.entries.entry(key.to_owned()).or_insert({rng.randint(0, 9)});",
        f"        *v += {rng.randint(1, 9)};",
        "        Some(*v as u64)",
        "    }",
        "}",
        "```",
    ]
    return "\n".join(lines)


def make_bash(rng):
    n1, n2 = rng.choice(NOUNS), rng.choice(NOUNS)
    lines = [
        "```bash",
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        "",
        f"{n1.upper()}_DIR=\"${{{n1.upper()}_DIR:-/var/lib/{n1}}}\"",
        f"for f in \"${n1.upper()}_DIR\"/*.{rng.choice(['md', 'toml', 'json', 'log'])}; do",
        f"  echo \"{rng.choice(VERBS_BASE)} $f\"",
        f"  grep -c '{n2}' \"$f\" || true",
        "done",
        f"du -sh \"${n1.upper()}_DIR\" | sort -h | tail -n {rng.randint(3, 20)}",
        "```",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- model

class Page:
    __slots__ = ("i", "sec", "sub", "title", "slug", "relpath", "desc",
                 "weight", "tags", "date")


def page_dir(sec, sub):
    d = f"sec-{sec:02d}"
    return d if sub == 0 else f"{d}/sub-{sub}"


def num_sections(n, section_size=None):
    """Top-level sections: NUM_SECTIONS, or with --section-size K as many as
    it takes for each of the (NUM_SUBS + 1) folders of a section to hold about
    K pages (at least NUM_SECTIONS' worth of folders is not enforced: small N
    gives fewer sections)."""
    if section_size is None:
        return NUM_SECTIONS
    per_section = section_size * (NUM_SUBS + 1)
    return max(1, -(-n // per_section))


def section_title(s):
    """Sections 0-9 keep their topic names; later ones repeat them numbered."""
    topic = SECTION_TOPICS[s % len(SECTION_TOPICS)]
    return topic if s < len(SECTION_TOPICS) else f"{topic} {s // len(SECTION_TOPICS) + 1}"


def build_pages(n, seed, sections=NUM_SECTIONS):
    pages = []
    for i in range(n):
        rng = random.Random(f"{seed}-meta-{i}")
        p = Page()
        p.i = i
        p.sec = i % sections
        p.sub = (i // sections) % (NUM_SUBS + 1)
        p.title = make_title(rng)
        p.slug = f"p{i:05d}-{slugify(p.title)}"
        p.relpath = f"{page_dir(p.sec, p.sub)}/{p.slug}.md"
        p.desc = sentence(rng).replace("`", "").replace("*", "")
        p.weight = i // (sections * (NUM_SUBS + 1)) + 1
        p.tags = sorted(rng.sample(TAGS, rng.randint(2, 4)))
        p.date = f"{2019 + rng.randrange(6)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        pages.append(p)
    return pages


def relative_link(src, dst):
    return os.path.relpath(dst.relpath, os.path.dirname(src.relpath)).replace(os.sep, "/")


def page_body(p, pages, seed):
    rng = random.Random(f"{seed}-body-{p.i}")
    target = rng.randint(600, 1200)
    n = len(pages)
    others = [j for j in rng.sample(range(n), min(n, 4)) if j != p.i][:3]
    links = [f"[{pages[j].title}]({relative_link(p, pages[j])})" for j in others]

    blocks = [paragraph(rng, 2, 4)]
    optional = []  # indexes of (h3, paragraph) pairs that may be dropped
    n_h2 = rng.randint(3, 6)
    table_at = rng.randrange(n_h2)
    list_at = rng.randrange(n_h2)
    code_at = rng.randrange(n_h2) if p.i % 5 == 2 else -1  # 1 page in 5
    foot_at = rng.randrange(n_h2)
    link_at = [rng.randrange(n_h2) for _ in links]

    for h in range(n_h2):
        blocks.append(f"## {make_title(rng)}")
        para = paragraph(rng)
        if h == foot_at:
            para += " This is the subtle part.[^note]"
        for k, at in enumerate(link_at):
            if at == h:
                para += f" See {links[k]} for the details."
        blocks.append(para)
        for _ in range(rng.randint(0, 2)):
            blocks.append(paragraph(rng, 2, 5))
            optional.append(len(blocks) - 1)
        if h == table_at:
            blocks.append(make_table(rng))
        if h == list_at:
            blocks.append(make_list(rng))
        if h == code_at:
            blocks.append(make_rust(rng) if rng.random() < 0.5 else make_bash(rng))
        for _ in range(rng.randint(0, 2)):
            blocks.append(f"### {make_title(rng)}")
            blocks.append(paragraph(rng, 2, 5))
            optional.append(len(blocks) - 1)
    # trim (drop optional paragraphs, last first) or top up with prose
    # paragraphs towards the page's target word count
    total = sum(words(b) for b in blocks)
    drop = set()
    for idx in reversed(optional):
        if total <= target:
            break
        drop.add(idx)
        total -= words(blocks[idx])
    blocks = [b for k, b in enumerate(blocks) if k not in drop]
    # an h3 heading left without its paragraph goes too
    blocks = [b for k, b in enumerate(blocks)
              if not (b.startswith("### ") and (k + 1 == len(blocks) or blocks[k + 1].startswith("#")))]
    while total < target:
        extra = paragraph(rng, 2, 5)
        blocks.append(extra)
        total += words(extra)
    blocks.append(f"[^note]: {sentence(rng)} {sentence(rng)}")
    return "\n\n".join(blocks) + "\n"


def section_body(seed, key):
    rng = random.Random(f"{seed}-section-{key}")
    return paragraph(rng, 3, 6) + "\n"


# ---------------------------------------------------------------- front matter

def yq(s):
    """YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tq(s):
    """TOML basic string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fm_yaml(title, desc=None, weight=None, tags=None, date=None, review=None):
    out = ["---", f"title: {yq(title)}"]
    if desc is not None:
        out.append(f"description: {yq(desc)}")
    if weight is not None:
        out.append(f"weight: {weight}")
    if tags is not None:
        out.append("tags: [" + ", ".join(yq(t) for t in tags) + "]")
    if date is not None:
        out.append(f"date: {date}")
    if review is not None:
        out.append(f"reviewed: {review[0]}")
        out.append(f"reviewer: {yq(review[1])}")
    out.append("---")
    return "\n".join(out) + "\n\n"


def fm_toml(title, desc=None, weight=None, tags=None, date=None, section=False):
    out = ["+++", f"title = {tq(title)}"]
    if desc is not None:
        out.append(f"description = {tq(desc)}")
    if weight is not None:
        out.append(f"weight = {weight}")
    if date is not None:
        out.append(f"date = {date}")
    if section:
        out.append('sort_by = "weight"')
    if tags is not None:
        out.append("")
        out.append("[taxonomies]")
        out.append("tags = [" + ", ".join(tq(t) for t in tags) + "]")
    out.append("+++")
    return "\n".join(out) + "\n\n"


# ---------------------------------------------------------------- site files

SITE_TITLE = "Bench corpus"
BASE_URL = "https://bench.example/"
REVIEW = ("2026-11-01", "Bench reviewer")  # --reviewed
# Most entries a navigation list shows (marrow's `nav.max_entries`, whose
# default this is): a longer section is listed in parts of this size, the
# part holding the current page, with links to the parts before and after.
NAV_MAX = 50
# marrow's default disclaimer, written out so both sites show the same text
DISCLAIMER = ("This information is for general education. It does not replace the advice "
              "of your doctor, nurse or transplant team, who know your situation.")

# marrow: site.yaml (the plain layout)
MARROW_SITE = """\
# Written by benches/gen_corpus.py.
title: {title}
base_url: {base}
disclaimer: {disclaimer}
search: {search}
nav:
  max_entries: {nav_max}
"""

# Hugo: the config and templates below produce the page shape of marrow's
# default theme (themes/default/templates/: base.html, article.html,
# page_parts.html, meta.html, nav.html, search.html): the same head, skip
# link, header with search box, navigation tree, breadcrumbs, page header,
# "On this page" (## and ###), content with heading links, topics, related
# pages, review dates, previous/next, footer. Only built-in Hugo features are
# used, the way a Hugo site author would write them. They work with Hugo
# 0.111 (Debian) and current Hugo (0.16x).
HUGO_CONFIG = """\
baseURL = "{base}"
title = "{title}"
enableRobotsTXT = true
capitalizeListTitles = false
pluralizeListTitles = false

[params]
search = {search}
nav = "{nav}"
navMax = {nav_max}
disclaimer = "{disclaimer}"

[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
page = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]

[services.rss]
limit = 20

[taxonomies]
tag = "tags"

# marrow's sitemap and feed date a reviewed page by its review
[frontmatter]
lastmod = ["reviewed", ":default"]

[markup.highlight]
noClasses = false

[markup.tableOfContents]
startLevel = 2
endLevel = 3
ordered = true

# marrow lists up to five related pages by shared tags
[related]
includeNewer = true
threshold = 80
toLower = false
[[related.indices]]
name = "tags"
weight = 100
"""

HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }} – {{ site.Title }}{{ end }}</title>
{{ block "meta" . }}{{ partial "meta.html" . }}{{ end }}
<meta name="color-scheme" content="light dark">
<link rel="stylesheet" href="{{ "marrow.css" | relURL }}">
<link rel="stylesheet" href="{{ "highlight.css" | relURL }}">
<script src="{{ "marrow.js" | relURL }}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
  <div class="site-header-inner">
    <a class="site-title" href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
{{ if site.Params.search }}{{ partial "search.html" . }}{{ end }}
    <button class="nav-toggle" type="button" aria-controls="site-nav" aria-expanded="false" hidden>Menu</button>
  </div>
</header>
<div class="layout">
  <nav id="site-nav" class="site-nav" aria-label="Site">
<ul class="nav-home"><li><a href="{{ site.Home.RelPermalink }}">Home</a></li></ul>
{{ partial "nav_list.html" (dict "items" site.Home.Pages "cur" .) }}
  </nav>
  <main id="main" tabindex="-1">
{{ block "main" . }}{{ end }}
  </main>
</div>
<footer class="site-footer">
  <p class="disclaimer"><strong>Important:</strong> {{ site.Params.disclaimer }}</p>
  <p class="generator">Made with Hugo.</p>
</footer>
</body>
</html>
"""

# marrow's meta.html: description, canonical, noindex for never-reviewed
# pages, JSON-LD, Open Graph, the feed link.
HUGO_META = """\
{{ with .Description }}<meta name="description" content="{{ . }}">
{{ end }}<link rel="canonical" href="{{ .Permalink }}">
{{ if not .Params.reviewed }}<meta name="robots" content="noindex">
{{ end }}{{ $ld := dict "@context" "https://schema.org" "@type" "MedicalWebPage" "inLanguage" site.Language.Lang "name" .Title "url" .Permalink }}
{{- if .IsPage }}{{ $ld = merge $ld (dict "datePublished" (.Date.Format "2006-01-02") "dateModified" (.Date.Format "2006-01-02")) }}{{ end }}
{{- with .Description }}{{ $ld = merge $ld (dict "description" .) }}{{ end }}
{{- with .Params.reviewed }}{{ $ld = merge $ld (dict "lastReviewed" ((time .).Format "2006-01-02") "reviewedBy" (dict "@type" "Person" "name" $.Params.reviewer)) }}{{ end -}}
<script type="application/ld+json">{{ $ld | jsonify | safeJS }}</script>
<meta property="og:type" content="article">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:site_name" content="{{ site.Title }}">
{{ with .Description }}<meta property="og:description" content="{{ . }}">
{{ end }}<meta property="og:url" content="{{ .Permalink }}">
<link rel="alternate" type="application/atom+xml" title="{{ site.Title }} – What's changed" href="{{ "index.xml" | absURL }}">
"""

HUGO_SEARCH = """\
<div class="site-search" data-search hidden>
  <form class="search-form" role="search" aria-label="Site search">
    <label class="visually-hidden" for="marrow-search-input">Search this guide</label>
    <input class="search-input" id="marrow-search-input" type="search" name="q" placeholder="Search" autocomplete="off" spellcheck="false" enterkeyhint="search" aria-controls="marrow-search-results" aria-keyshortcuts="/" aria-describedby="marrow-search-key">
    <span class="search-key" id="marrow-search-key"><span class="visually-hidden">Press </span><kbd>/</kbd><span class="visually-hidden"> to search</span></span>
  </form>
  <div class="search-results" id="marrow-search-results">
    <p class="search-status" id="marrow-search-status" role="status" aria-live="polite" aria-atomic="true"></p>
    <ol class="search-list" aria-labelledby="marrow-search-status" hidden></ol>
  </div>
</div>
<script src="{{ "search.js" | relURL }}" defer></script>
"""

# marrow's nav.html: the top-level sections; the sections on the way to the
# current page (and the current section) open, listing their pages and
# subsections; aria-current on the current page. A list longer than navMax
# shows the part holding the current page (or the open section) and links to
# the parts before and after, as marrow's `nav.max_entries` does.
HUGO_NAV_LIST = """\
{{- $cur := .cur }}{{ $full := eq site.Params.nav "full" }}{{ $max := site.Params.navMax }}
{{- $items := .items }}{{ $n := len $items }}{{ $focus := 0 }}
{{- range $i, $p := $items }}{{ if or ($p.Eq $cur) ($p.IsAncestor $cur) }}{{ $focus = $i }}{{ end }}{{ end }}
{{- $start := mul (div $focus $max) $max }}{{ $end := add $start $max }}{{ if gt $end $n }}{{ $end = $n }}{{ end }}
<ul>
{{ if gt $start 0 }}{{ $from := sub $start $max }}<li class="nav-more"><a href="{{ (index $items $from).RelPermalink }}">Earlier pages ({{ add $from 1 }}–{{ $start }} of {{ $n }})</a></li>
{{ end }}{{ range first $max (after $start $items) }}{{ $open := and $full .IsSection (or (.Eq $cur) (.IsAncestor $cur)) }}  <li{{ if .IsSection }} class="nav-section{{ if $open }} is-open{{ end }}"{{ end }}><a href="{{ .RelPermalink }}"{{ if .Eq $cur }} aria-current="page"{{ end }}>{{ .Title }}</a>{{ if $open }}{{ partial "nav_list.html" (dict "items" .Pages "cur" $cur) }}{{ end }}</li>
{{ end }}{{ if lt $end $n }}{{ $last := add $end $max }}{{ if gt $last $n }}{{ $last = $n }}{{ end }}<li class="nav-more"><a href="{{ (index $items $end).RelPermalink }}">Later pages ({{ add $end 1 }}{{ if gt $last (add $end 1) }}–{{ $last }}{{ end }} of {{ $n }})</a></li>
{{ end }}</ul>
"""

# marrow's article.html with page_parts.html, for the home page, sections
# and pages.
HUGO_ARTICLE = """\
<article class="page{{ if .IsHome }} home-page{{ else if .IsSection }} section-page{{ end }}">
{{ if not .IsHome }}<nav class="breadcrumbs" aria-label="Breadcrumb">
  <ol>
{{ range .Ancestors.Reverse }}    <li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}    <li><span aria-current="page">{{ .Title }}</span></li>
  </ol>
</nav>
{{ end }}<header class="page-header">
  <h1>{{ .Title }}</h1>
{{ with .Description }}  <p class="lede">{{ . }}</p>
{{ end }}  <p class="page-meta">
    <span>{{ .ReadingTime }} min read</span>
  </p>
</header>
{{ if not .Params.reviewed }}<div class="notice notice-unreviewed" role="note">
  <p><strong>Not yet medically reviewed.</strong> A clinician has not checked this page yet. Check with your care team before acting on it.</p>
</div>
{{ end }}{{ $toc := .TableOfContents }}{{ if in $toc "<li>" }}<nav class="toc" aria-labelledby="marrow-toc-title">
  <h2 id="marrow-toc-title">On this page</h2>
{{ $toc }}
</nav>
{{ end }}  <div class="content">
{{ .Content }}
  </div>
{{ if .IsSection }}{{ with .Pages }}  <h2 id="{{ if $.IsHome }}marrow-sections{{ else }}marrow-in-this-section{{ end }}">{{ if $.IsHome }}Explore this guide{{ else }}In this section{{ end }}</h2>
<ul class="card-list">
{{ range . }}  <li class="card"><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}</ul>
{{ end }}{{ end -}}
{{ with .GetTerms "tags" }}<p class="page-terms">Topics: {{ range $i, $t := . }}{{ if $i }}, {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</p>
{{ end -}}
{{ if .IsPage }}{{ with first 5 (site.RegularPages.Related .) }}<section class="related" aria-labelledby="marrow-related-title">
  <h2 id="marrow-related-title">Related pages</h2>
  <ul>
{{ range . }}    <li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}  </ul>
</section>
{{ end }}{{ end -}}
{{ with .Params.reviewed }}{{ $r := time . }}{{ $due := $r.AddDate 1 0 0 }}<p class="review-dates">
  <span>Page last reviewed: <time datetime="{{ $r.Format "2006-01-02" }}">{{ $r.Format "2 January 2006" }}</time></span>
  <span>Next review due: <time datetime="{{ $due.Format "2006-01-02" }}">{{ $due.Format "2 January 2006" }}</time></span>
{{ with $.Params.reviewer }}  <span>Reviewed by {{ . }}</span>
{{ end }}</p>
{{ end -}}
{{ partial "pager.html" . -}}
</article>
"""

# Previous/next: for a page, its neighbours in its section in weight order
# (the first page's "previous" is its section; Hugo's .NextInSection is the
# page before in weight order, hence the swap); for a section, its parent
# and its first child (marrow follows the reading order of the whole tree).
HUGO_PAGER = """\
{{- $prev := "" }}{{ $next := "" }}
{{- if .IsPage }}{{ $prev = .NextInSection }}{{ $next = .PrevInSection }}{{ if not $prev }}{{ $prev = .Parent }}{{ end }}
{{- else }}{{ if not .IsHome }}{{ $prev = .Parent }}{{ end }}{{ with .Pages }}{{ $next = index . 0 }}{{ end }}{{ end -}}
{{ if or $prev $next }}<nav class="pager" aria-label="Previous and next pages">
{{ with $prev }}  <a class="pager-prev" rel="prev" href="{{ .RelPermalink }}"><span class="pager-label">Previous</span> <span class="pager-title">{{ .Title }}</span></a>
{{ end }}{{ with $next }}  <a class="pager-next" rel="next" href="{{ .RelPermalink }}"><span class="pager-label">Next</span> <span class="pager-title">{{ .Title }}</span></a>
{{ end }}</nav>
{{ end -}}
"""

HUGO_SINGLE = """\
{{ define "main" }}{{ partial "article.html" . }}{{ end }}
"""

HUGO_LIST = HUGO_SINGLE

HUGO_HOME = """\
{{ define "title" }}{{ site.Title }}{{ end }}
{{ define "main" }}{{ partial "article.html" . }}{{ end }}
"""

# marrow's taxonomy_meta.html, taxonomy.html and taxonomy_term.html
HUGO_TAX_META = """\
<meta name="description" content="{{ if eq .Kind "term" }}Pages about {{ .Title }}.{{ else }}Topics used on this site, and how many pages cover each.{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:site_name" content="{{ site.Title }}">
"""

# One template for both kinds (Hugo 0.111 and 0.16x look up taxonomy and
# term templates differently).
HUGO_TAXONOMY = """\
{{ define "meta" }}{{ partial "taxonomy_meta.html" . }}{{ end }}
{{ define "main" }}{{ if eq .Kind "term" }}
<article class="page taxonomy-page">
  <nav class="breadcrumbs" aria-label="Breadcrumb">
    <ol>
      <li><a href="{{ site.Home.RelPermalink }}">Home</a></li>
      <li><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></li>
      <li><span aria-current="page">{{ .Title }}</span></li>
    </ol>
  </nav>
  <header class="page-header">
    <h1>{{ .Title }}</h1>
    <p class="lede">Pages about this topic.</p>
  </header>
  <ul class="card-list">
{{ range .Pages }}    <li class="card"><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}  </ul>
</article>
{{ else }}
<article class="page taxonomy-page">
  <header class="page-header">
    <h1>{{ .Title }}</h1>
    <p class="lede">Topics used on this site, and how many pages cover each.</p>
  </header>
  <ul class="term-list">
{{ range .Data.Terms.Alphabetical }}    <li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> <span class="term-count">({{ .Count }} {{ if eq .Count 1 }}page{{ else }}pages{{ end }})</span></li>
{{ end }}  </ul>
</article>
{{ end }}{{ end }}
"""

HUGO_404 = """\
{{ define "title" }}Page not found – {{ site.Title }}{{ end }}
{{ define "meta" }}{{ end }}
{{ define "main" }}
<article class="page">
  <header class="page-header">
    <h1>Page not found</h1>
    <p class="lede">We could not find the page you asked for. It may have moved, or the link may be mistyped.</p>
  </header>
  <p><a href="{{ site.Home.RelPermalink }}">Go to the home page</a> or choose a topic from the menu.</p>
</article>
{{ end }}
"""

# marrow's headings carry a link to themselves
HUGO_RENDER_HEADING = """\
<h{{ .Level }} id="{{ .Anchor | safeURL }}"><a class="heading-link" href="#{{ .Anchor | safeURL }}">{{ .Text | safeHTML }}</a></h{{ .Level }}>
"""

# marrow resolves links to other pages' .md files to their URLs (and
# checks them); Hugo does the same with a link render hook.
HUGO_RENDER_LINK = """\
{{- $href := .Destination }}{{ $u := urls.Parse .Destination }}
{{- if and (not $u.IsAbs) (strings.HasSuffix $u.Path ".md") }}{{ with .Page.GetPage $u.Path }}{{ $href = .RelPermalink }}{{ else }}{{ errorf "%s: broken link %s" $.Page.File.Path $.Destination }}{{ end }}{{ end -}}
<a href="{{ $href | safeURL }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>
{{- /* no newline */ -}}
"""

# marrow's feed.xml: an Atom feed of the 20 most recently changed pages
HUGO_FEED = """\
{{- printf "<?xml version=\\"1.0\\" encoding=\\"UTF-8\\"?>" | safeHTML }}
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{{ site.Language.Lang }}">
  <title>{{ site.Title }} – What's changed</title>
  <id>{{ site.Home.Permalink }}</id>
  <link rel="alternate" href="{{ site.Home.Permalink }}"/>
  <link rel="self" href="{{ .Permalink }}"/>
{{- $pages := first 20 site.RegularPages.ByLastmod.Reverse }}
  <updated>{{ with index $pages 0 }}{{ .Lastmod.Format "2006-01-02T15:04:05Z" }}{{ end }}</updated>
{{- range $pages }}
  <entry>
    <title>{{ .Title }}</title>
    <id>{{ .Permalink }}</id>
    <link rel="alternate" href="{{ .Permalink }}"/>
    <updated>{{ .Lastmod.Format "2006-01-02T15:04:05Z" }}</updated>
    <summary>{{ with .Params.reviewed }}Medically reviewed on {{ (time .).Format "2 January 2006" }}.{{ else }}{{ .Description }}{{ end }}</summary>
  </entry>
{{- end }}
</feed>
"""

HUGO_ROBOTS = """\
User-agent: *
Allow: /
Sitemap: {{ "sitemap.xml" | absURL }}
"""

# Chroma's classes (Hugo's highlighter) in the colours of marrow's light
# highlight theme; marrow writes its own highlight.css from syntect themes.
HUGO_HIGHLIGHT_CSS = """\
.chroma { color: #323232; background-color: #ffffff; }
.chroma .c, .chroma .c1, .chroma .cm, .chroma .cp, .chroma .cs { color: #747574; font-style: italic; }
.chroma .s, .chroma .s1, .chroma .s2, .chroma .sb, .chroma .se, .chroma .sh, .chroma .si { color: #183691; }
.chroma .k, .chroma .kd, .chroma .kn, .chroma .kr, .chroma .kt, .chroma .kc { color: #a71d5d; }
.chroma .m, .chroma .mi, .chroma .mf, .chroma .mh { color: #007ea9; }
.chroma .nf, .chroma .fm, .chroma .nb, .chroma .bp { color: #795da3; }
.chroma .nc, .chroma .nn, .chroma .nt { color: #0086b3; }
.chroma .nv, .chroma .vi, .chroma .na { color: #ed6a43; }
.chroma .o, .chroma .ow, .chroma .p { color: #323232; }
@media (prefers-color-scheme: dark) {
  .chroma { color: #d4d4d4; background-color: #1e1e1e; }
  .chroma .c, .chroma .c1, .chroma .cm, .chroma .cp, .chroma .cs { color: #8b949e; }
  .chroma .s, .chroma .s1, .chroma .s2, .chroma .sb, .chroma .se, .chroma .sh, .chroma .si { color: #a5d6ff; }
  .chroma .k, .chroma .kd, .chroma .kn, .chroma .kr, .chroma .kt, .chroma .kc { color: #ff7b72; }
  .chroma .m, .chroma .mi, .chroma .mf, .chroma .mh { color: #79c0ff; }
  .chroma .nf, .chroma .fm, .chroma .nb, .chroma .bp { color: #d2a8ff; }
  .chroma .nc, .chroma .nn, .chroma .nt { color: #7ee787; }
  .chroma .nv, .chroma .vi, .chroma .na { color: #ffa657; }
}
"""

# marrow's theme assets (stylesheet and scripts), copied into Hugo's static/
# so the Hugo site serves the same files its pages link to.
MARROW_THEME_STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                   os.pardir, "themes", "default", "static")

ZOLA_CONFIG = """\
base_url = "http://127.0.0.1/"
title = "Bench corpus"
compile_sass = false
build_search_index = false
generate_feeds = false
taxonomies = [{ name = "tags" }]

[markdown]

[markdown.highlighting]
theme = "catppuccin-mocha"
"""

ZOLA_BASE = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock %}</title></head>
<body>
<nav>
{% set root = get_section(path="_index.md", metadata_only=true) %}
<ul class="sections">{% for s in root.subsections %}{% set sec = get_section(path=s, metadata_only=true) %}<li><a href="{{ sec.path | safe }}">{{ sec.title }}</a></li>{% endfor %}</ul>
{% block here %}{% endblock %}
</nav>
<main>{% block main %}{% endblock %}</main>
</body>
</html>
"""

ZOLA_INDEX = """\
{% extends "base.html" %}
{% block main %}<h1>{{ section.title }}</h1>
{{ section.content | safe }}
{% endblock %}
"""

ZOLA_SECTION = """\
{% extends "base.html" %}
{% block title %}{{ section.title }} | {{ config.title }}{% endblock %}
{% block main %}<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.path | safe }}">{{ sub.title }}</a></li>{% endfor %}
{% for p in section.pages %}<li><a href="{{ p.path | safe }}">{{ p.title }}</a></li>{% endfor %}</ul>
{% endblock %}
"""

ZOLA_PAGE = """\
{% extends "base.html" %}
{% block title %}{{ page.title }} | {{ config.title }}{% endblock %}
{% block here %}{% set here = get_section(path=page.ancestors | last) %}<ul class="here">{% for p in here.pages %}<li><a href="{{ p.path | safe }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}
{% block main %}<article>
<h1>{{ page.title }}</h1>
<p class="meta">{{ page.date }} {% for t in page.taxonomies.tags %}<span class="tag">{{ t }}</span> {% endfor %}</p>
{{ page.content | safe }}
</article>{% endblock %}
"""

ZOLA_TAX_LIST = """\
{% extends "base.html" %}
{% block main %}<h1>{{ taxonomy.name }}</h1>
<ul>{% for t in terms %}<li><a href="{{ t.path | safe }}">{{ t.name }}</a> ({{ t.page_count }})</li>{% endfor %}</ul>
{% endblock %}
"""

ZOLA_TAX_SINGLE = """\
{% extends "base.html" %}
{% block main %}<h1>{{ term.name }}</h1>
<ul>{% for p in term.pages %}<li><a href="{{ p.path | safe }}">{{ p.title }}</a></li>{% endfor %}</ul>
{% endblock %}
"""

MDBOOK_TOML = """\
[book]
title = "Bench corpus"
authors = ["bench"]
language = "en"
src = "src"
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_hugo_site(out, nav, search):
    write(os.path.join(out, "hugo.toml"), HUGO_CONFIG.format(
        base=BASE_URL, title=SITE_TITLE, nav=nav, search="true" if search else "false",
        disclaimer=DISCLAIMER, nav_max=NAV_MAX))
    lay = os.path.join(out, "layouts")
    files = {
        "_default/baseof.html": HUGO_BASEOF,
        "_default/single.html": HUGO_SINGLE,
        "_default/list.html": HUGO_LIST,
        "_default/taxonomy.html": HUGO_TAXONOMY,
        "_default/term.html": HUGO_TAXONOMY,
        "_default/_markup/render-heading.html": HUGO_RENDER_HEADING,
        "_default/_markup/render-link.html": HUGO_RENDER_LINK,
        "index.html": HUGO_HOME,
        "index.rss.xml": HUGO_FEED,
        "404.html": HUGO_404,
        "robots.txt": HUGO_ROBOTS,
        "partials/meta.html": HUGO_META,
        "partials/search.html": HUGO_SEARCH,
        "partials/nav_list.html": HUGO_NAV_LIST,
        "partials/article.html": HUGO_ARTICLE,
        "partials/pager.html": HUGO_PAGER,
        "partials/taxonomy_meta.html": HUGO_TAX_META,
    }
    for name, text in files.items():
        write(os.path.join(lay, name), text)
    static = os.path.join(out, "static")
    write(os.path.join(static, "highlight.css"), HUGO_HIGHLIGHT_CSS)
    if os.path.isdir(MARROW_THEME_STATIC):
        for name in sorted(os.listdir(MARROW_THEME_STATIC)):
            if name == "search.js" and not search:
                continue
            src = os.path.join(MARROW_THEME_STATIC, name)
            if os.path.isfile(src):
                shutil.copyfile(src, os.path.join(static, name))


def generate(layout, n, out, seed, nav="full", reviewed=False, search=True, section_size=None):
    n_secs = num_sections(n, section_size)
    pages = build_pages(n, seed, n_secs)
    content = {"hugo": "content", "zola": "content", "plain": "content", "mdbook": "src"}[layout]
    root = os.path.join(out, content)
    index_name = "index.md" if layout == "mdbook" else "_index.md"
    review = REVIEW if reviewed and layout in ("hugo", "plain") else None

    # section titles and bodies
    sections = []  # (dir, title, weight, key)
    sections.append(("", SITE_TITLE, 0, "root"))
    for s in range(n_secs):
        sections.append((page_dir(s, 0), section_title(s), s + 1, f"s{s}"))
        for k in range(1, NUM_SUBS + 1):
            sections.append((page_dir(s, k), f"{section_title(s)}: {SUB_TOPICS[k - 1]}", k, f"s{s}-{k}"))

    for d, title, weight, key in sections:
        body = section_body(seed, key)
        if layout in ("hugo", "plain"):
            fm = fm_yaml(title, weight=weight, review=review)
        elif layout == "zola":
            fm = fm_toml(title, weight=weight, section=True)
        else:
            fm = ""
        write(os.path.join(root, d, index_name), fm + body)

    total_words = 0
    for p in pages:
        body = page_body(p, pages, seed)
        total_words += words(body)
        if layout in ("hugo", "plain"):
            fm = fm_yaml(p.title, p.desc, p.weight, p.tags, p.date, review=review)
        elif layout == "zola":
            fm = fm_toml(p.title, p.desc, p.weight, p.tags, p.date)
        else:
            fm = ""
        write(os.path.join(root, p.relpath), fm + body)

    if layout == "plain":
        write(os.path.join(out, "site.yaml"), MARROW_SITE.format(
            title=yq(SITE_TITLE), base=yq(BASE_URL), disclaimer=yq(DISCLAIMER),
            search="true" if search else "false", nav_max=NAV_MAX))
    elif layout == "hugo":
        write_hugo_site(out, nav, search)
    elif layout == "zola":
        write(os.path.join(out, "zola.toml"), ZOLA_CONFIG)
        t = os.path.join(out, "templates")
        write(os.path.join(t, "base.html"), ZOLA_BASE)
        write(os.path.join(t, "index.html"), ZOLA_INDEX)
        write(os.path.join(t, "section.html"), ZOLA_SECTION)
        page_tpl = ZOLA_PAGE
        if nav == "sections":
            page_tpl = "\n".join(l for l in page_tpl.split("\n") if not l.startswith("{% block here %}")) + "\n"
        write(os.path.join(t, "page.html"), page_tpl)
        write(os.path.join(t, "taxonomy_list.html"), ZOLA_TAX_LIST)
        write(os.path.join(t, "taxonomy_single.html"), ZOLA_TAX_SINGLE)
    elif layout == "mdbook":
        write(os.path.join(out, "book.toml"), MDBOOK_TOML)
        lines = ["# Summary", "", "[Bench corpus](index.md)", ""]
        by_dir = {}
        for p in pages:
            by_dir.setdefault(page_dir(p.sec, p.sub), []).append(p)
        for d, title, _w, _k in sections[1:]:
            depth = d.count("/")
            lines.append("  " * depth + f"- [{title}]({d}/index.md)")
            for p in by_dir.get(d, []):
                lines.append("  " * (depth + 1) + f"- [{p.title}]({p.relpath})")
        write(os.path.join(root, "SUMMARY.md"), "\n".join(lines) + "\n")
    return len(pages), len(sections), total_words


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--layout", required=True, choices=["hugo", "zola", "mdbook", "plain"])
    ap.add_argument("-n", type=int, default=1000, help="number of pages (default 1000)")
    ap.add_argument("-o", "--out", required=True, help="output directory")
    ap.add_argument("--seed", default="42", help="seed (default 42)")
    ap.add_argument("--force", action="store_true", help="wipe OUT first if it exists")
    ap.add_argument("--nav", choices=["full", "sections"], default="full",
                    help="hugo/zola page nav: 'full' = top-level sections + the sections on the "
                         "way to the page, open (default); 'sections' = top-level sections only")
    ap.add_argument("--reviewed", action="store_true",
                    help=f"plain/hugo: every page and section carries `reviewed: {REVIEW[0]}` and "
                         f"`reviewer: {REVIEW[1]}` (marrow then indexes it for site search)")
    ap.add_argument("--no-search", dest="search", action="store_false",
                    help="plain: `search: false` in site.yaml (no search index, no search box); "
                         "hugo: no search box")
    ap.add_argument("--section-size", type=int, metavar="K",
                    help=f"about K pages per folder (each section and subsection): the number of "
                         f"top-level sections grows with N (ceil(N / {NUM_SUBS + 1}K)) instead of "
                         f"the fixed {NUM_SECTIONS}; at N = {NUM_SECTIONS * (NUM_SUBS + 1)}K this is the default shape")
    a = ap.parse_args(argv)
    if a.n < 1:
        ap.error("-n must be >= 1")
    if a.section_size is not None and a.section_size < 1:
        ap.error("--section-size must be >= 1")
    if os.path.exists(a.out) and os.listdir(a.out):
        if not a.force:
            ap.error(f"{a.out} exists and is not empty (use --force)")
        shutil.rmtree(a.out)
    os.makedirs(a.out, exist_ok=True)
    n_pages, n_sections, total_words = generate(a.layout, a.n, a.out, a.seed, a.nav,
                                                a.reviewed, a.search, a.section_size)
    print(f"{a.layout}: {n_pages} pages + {n_sections} section index pages, "
          f"{total_words} body words (avg {total_words // n_pages}) -> {a.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
