// marrow: the search engine, shared by the header's box and the full
// results page (search.js draws both). It reads the static index that
// `marrow build` writes under search/ (src/search/files.rs documents the
// format) and analyses queries with search-text.js, which turns text into
// terms exactly as the build does.
//
// A query, step by step:
// 1. Its words are folded and stemmed; stop words go.
// 2. Each word is looked up in the chunk its term sorts into. The word
//    being typed (the last, with no space after it) also matches the
//    words it begins. A word found nowhere is corrected to the closest
//    word of the index (edit distance 1 for 4 to 7 letters, 2 for longer
//    words), and the reader is asked "Did you mean …".
// 3. Synonyms (the glossary's terms and aliases, the site's own list): a
//    phrase of the query that is one alternative of a group is also
//    searched as each other alternative.
// 4. Score: for every term, its impact in each document (BM25F, stored)
//    times its rarity. Pages with every query word found come first, then
//    pages with some; among the results shown, words close together break
//    near-ties.
(function () {
  "use strict";

  var PREFIX_MIN = 3; // letters typed before a word matches the words it begins
  var MAX_EXPANSIONS = 40; // words a prefix may stand for

  // Code point order, as the index (Rust) sorts its keys.
  function compare(a, b) {
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i);
      var y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return a.length - i - (b.length - j);
  }

  // Optimal string alignment distance, giving up past `max`.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, prev2[j - 2] + 1);
        }
        row.push(d);
        if (d < best) best = d;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  function typoBudget(word) {
    if (!/^[a-z]+$/.test(word) || word.length < 4) return 0;
    return word.length <= 7 ? 1 : 2;
  }

  function Engine(root) {
    this.root = root;
    this.meta = null;
    this.chunks = {};
    this.words = {};
    this.fragments = {};
  }

  Engine.prototype.fetchJson = function (path) {
    return fetch(new URL(path, this.root).href).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  };

  // The index's own file; fails for an index of another format.
  Engine.prototype.load = function () {
    var self = this;
    if (!self.meta) {
      self.meta = self.fetchJson("search/index.json").then(function (m) {
        if (!m || m.v !== 2 || !Array.isArray(m.c)) throw new Error("unknown search index");
        m.stopSet = {};
        m.stop.forEach(function (w) {
          m.stopSet[w] = true;
        });
        m.text = window.MarrowText.analyzer(m.lang || "");
        return m;
      });
      self.meta.catch(function () {
        self.meta = null; // retried with the next query
      });
    }
    return self.meta;
  };

  Engine.prototype.chunkOf = function (meta, key) {
    var lo = 0;
    var hi = meta.c.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compare(meta.c[mid], key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  };

  Engine.prototype.chunk = function (n) {
    var self = this;
    if (!self.chunks[n]) {
      self.chunks[n] = self.fetchJson("search/c/" + n + ".json");
      self.chunks[n].catch(function () {
        delete self.chunks[n];
      });
    }
    return self.chunks[n];
  };

  // The words of the pages that start with the character `c`, as {word:
  // term, or "" for a word that is its own term}; {} if none does.
  Engine.prototype.vocabulary = function (c) {
    var self = this;
    var cp = c.codePointAt(0);
    var key = /^[a-z0-9]$/i.test(c) && cp < 128 ? c : "_" + cp.toString(16);
    if (!self.words[key]) {
      self.words[key] = fetch(new URL("search/w/" + key + ".json", self.root).href).then(function (r) {
        if (r.status === 404) return {};
        if (!r.ok) throw new Error("search index: " + r.status);
        return r.json();
      });
      self.words[key].catch(function () {
        delete self.words[key];
      });
    }
    return self.words[key];
  };

  // Postings of `term` as {doc: impact}, or null.
  Engine.prototype.postings = function (meta, term) {
    return this.chunk(this.chunkOf(meta, term)).then(function (c) {
      var list = c[term];
      if (!list) return null;
      var out = { df: list.length / 2, docs: {} };
      var doc = 0;
      for (var i = 0; i < list.length; i += 2) {
        doc += list[i];
        out.docs[doc] = list[i + 1];
      }
      return out;
    });
  };

  // Words of the index starting with `prefix`, as [word, term], shortest
  // first, at most `limit`.
  Engine.prototype.wordsStarting = function (meta, prefix, limit) {
    return this.vocabulary(Array.from(prefix)[0]).then(function (words) {
      var found = [];
      Object.keys(words).forEach(function (w) {
        if (w.lastIndexOf(prefix, 0) === 0) found.push([w, words[w] || w]);
      });
      found.sort(function (a, b) {
        return a[0].length - b[0].length || compare(a[0], b[0]);
      });
      return found.slice(0, limit);
    });
  };

  // The closest word of the index to `word`, within its typo budget: the
  // fewest edits, then the most documents.
  Engine.prototype.correct = function (meta, word) {
    var self = this;
    var max = typoBudget(word);
    if (!max) return Promise.resolve(null);
    // Words starting with the same letter, or with the second (the first
    // two swapped, or the first left out).
    var starts = [word[0], word[1]];
    return Promise.all(
      starts.map(function (s) {
        return self.wordsStarting(meta, s, Infinity);
      })
    ).then(function (lists) {
      var seen = {};
      var near = [];
      [].concat.apply([], lists).forEach(function (pair) {
        if (seen[pair[0]]) return;
        seen[pair[0]] = true;
        var d = distance(word, pair[0], max);
        if (d <= max) near.push({ word: pair[0], term: pair[1], d: d });
      });
      if (!near.length) return null;
      return Promise.all(
        near.map(function (n) {
          return self.postings(meta, n.term).then(function (p) {
            n.df = p ? p.df : 0;
            return n;
          });
        })
      ).then(function () {
        near = near.filter(function (n) {
          return n.df > 0;
        });
        near.sort(function (a, b) {
          return a.d - b.d || b.df - a.df || compare(a.word, b.word);
        });
        return near[0] || null;
      });
    });
  };

  // What the query asks for: per word, the terms that answer it (with a
  // weight each), and synonym alternatives for spans of words.
  Engine.prototype.plan = function (meta, query) {
    var self = this;
    var typing = !/\s$/.test(query);
    var words = meta.text.words(query).filter(function (w) {
      return !meta.stopSet[w];
    });
    var plan = { words: words, slots: [], spans: [], corrected: false };
    return Promise.all(
      words.map(function (word, i) {
        var term = meta.text.term(word);
        var slot = { word: word, shown: word, terms: {}, found: false };
        plan.slots.push(slot);
        return self.postings(meta, term).then(function (p) {
          if (p) {
            slot.terms[term] = { weight: 1, p: p };
            slot.found = true;
          }
          var last = i === words.length - 1;
          if (!(typing && last && Array.from(word).length >= PREFIX_MIN)) return null;
          return self.wordsStarting(meta, word, MAX_EXPANSIONS).then(function (pairs) {
            return self.addTerms(meta, slot, pairs, 0.7);
          });
        }).then(function () {
          if (slot.found) return null;
          return self.correct(meta, word).then(function (fix) {
            if (!fix) return null;
            plan.corrected = true;
            slot.shown = fix.word;
            return self.addTerms(meta, slot, [[fix.word, fix.term]], 0.9);
          });
        });
      })
    ).then(function () {
      return self.synonyms(meta, plan);
    });
  };

  Engine.prototype.addTerms = function (meta, slot, pairs, weight) {
    var self = this;
    return Promise.all(
      pairs.map(function (pair) {
        var term = pair[1];
        if (slot.terms[term]) return null;
        return self.postings(meta, term).then(function (p) {
          if (!p || slot.terms[term]) return;
          slot.terms[term] = { weight: weight, p: p };
          slot.found = true;
        });
      })
    );
  };

  // Spans of the query that a synonym group names, with the group's other
  // alternatives' postings. Longest spans first; spans do not overlap.
  Engine.prototype.synonyms = function (meta, plan) {
    var self = this;
    var terms = plan.slots.map(function (s) {
      return meta.text.term(s.shown);
    });
    var taken = [];
    var found = [];
    (meta.syn || []).forEach(function (group) {
      group.forEach(function (alt) {
        for (var i = 0; i + alt.length <= terms.length; i++) {
          var same = alt.every(function (t, k) {
            return terms[i + k] === t;
          });
          if (same) found.push({ from: i, to: i + alt.length, others: group.filter(function (a) { return a !== alt; }) });
        }
      });
    });
    found.sort(function (a, b) {
      return b.to - b.from - (a.to - a.from) || a.from - b.from;
    });
    found.forEach(function (span) {
      for (var i = span.from; i < span.to; i++) if (taken[i]) return;
      for (i = span.from; i < span.to; i++) taken[i] = true;
      plan.spans.push(span);
    });
    return Promise.all(
      plan.spans.map(function (span) {
        span.alts = [];
        return Promise.all(
          span.others.map(function (alt) {
            return Promise.all(
              alt.map(function (t) {
                return self.postings(meta, t);
              })
            ).then(function (ps) {
              if (ps.every(Boolean)) span.alts.push({ terms: alt, p: ps });
            });
          })
        );
      })
    ).then(function () {
      return plan;
    });
  };

  function idf(n, df) {
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  // Every document's score for one slot: its best-answering term.
  function slotScores(meta, slot) {
    var best = {};
    Object.keys(slot.terms).forEach(function (term) {
      var t = slot.terms[term];
      var w = t.weight * idf(meta.n, t.p.df);
      Object.keys(t.p.docs).forEach(function (d) {
        var s = (w * t.p.docs[d]) / 100;
        if (!(d in best) || best[d] < s) best[d] = s;
      });
    });
    return best;
  }

  // A synonym alternative's score in the documents holding all its terms.
  function altScores(meta, alt) {
    var out = {};
    Object.keys(alt.p[0].docs).forEach(function (d) {
      var total = 0;
      for (var k = 0; k < alt.p.length; k++) {
        var impact = alt.p[k].docs[d];
        if (impact === undefined) return;
        total += (idf(meta.n, alt.p[k].df) * impact) / 100;
      }
      out[d] = total;
    });
    return out;
  }

  // Ranks the documents for a plan: those answering every word the index
  // knows come first, then by score.
  function rank(meta, plan) {
    var perSlot = plan.slots.map(function (s) {
      return slotScores(meta, s);
    });
    var spanOf = [];
    var spans = plan.spans.map(function (span) {
      for (var i = span.from; i < span.to; i++) spanOf[i] = span;
      var alts = span.alts.map(function (a) {
        return altScores(meta, a);
      });
      return { span: span, alts: alts };
    });
    var wanted = 0;
    plan.slots.forEach(function (s, i) {
      if (s.found || (spanOf[i] && spanOf[i].alts.length)) wanted++;
    });
    var docs = {};
    perSlot.forEach(function (scores) {
      Object.keys(scores).forEach(function (d) {
        docs[d] = true;
      });
    });
    spans.forEach(function (sp) {
      sp.alts.forEach(function (scores) {
        Object.keys(scores).forEach(function (d) {
          docs[d] = true;
        });
      });
    });
    var hits = Object.keys(docs).map(function (d) {
      var score = 0;
      var covered = 0;
      for (var i = 0; i < perSlot.length; i++) {
        if (!spanOf[i] && d in perSlot[i]) {
          score += perSlot[i][d];
          covered++;
        }
      }
      spans.forEach(function (sp) {
        var own = 0;
        var ownCovered = 0;
        for (var i = sp.span.from; i < sp.span.to; i++) {
          if (d in perSlot[i]) {
            own += perSlot[i][d];
            ownCovered++;
          }
        }
        var alt = 0;
        sp.alts.forEach(function (scores) {
          if (d in scores && scores[d] > alt) alt = scores[d];
        });
        if (alt > 0) ownCovered = sp.span.to - sp.span.from;
        score += Math.max(own, alt);
        covered += ownCovered;
      });
      return { doc: +d, score: score, all: covered >= wanted };
    });
    hits.sort(byRank);
    return hits;
  }

  function byRank(a, b) {
    return (b.all ? 1 : 0) - (a.all ? 1 : 0) || b.score - a.score || a.doc - b.doc;
  }

  // Searches: {query, words (as searched), corrected (the query as
  // corrected, or null), missing (words found nowhere), hits}.
  Engine.prototype.search = function (query) {
    var self = this;
    return self.load().then(function (meta) {
      return self.plan(meta, query).then(function (plan) {
        var missing = plan.slots
          .filter(function (s, i) {
            return !s.found && !plan.spans.some(function (sp) {
              return i >= sp.from && i < sp.to && sp.alts.length;
            });
          })
          .map(function (s) {
            return s.word;
          });
        var marks = {};
        plan.slots.forEach(function (s) {
          Object.keys(s.terms).forEach(function (t) {
            marks[t] = true;
          });
        });
        plan.spans.forEach(function (sp) {
          sp.alts.forEach(function (a) {
            a.terms.forEach(function (t) {
              marks[t] = true;
            });
          });
        });
        return {
          query: query,
          corrected: plan.corrected
            ? plan.slots
                .map(function (s) {
                  return s.shown;
                })
                .join(" ")
            : null,
          missing: missing,
          marks: marks,
          slots: plan.slots.length,
          terms: plan.slots.map(function (s) {
            return meta.text.term(s.shown);
          }),
          hits: rank(meta, plan)
        };
      });
    });
  };

  Engine.prototype.fragment = function (doc) {
    var self = this;
    if (!self.fragments[doc]) {
      self.fragments[doc] = self.fetchJson("search/f/" + doc + ".json");
      self.fragments[doc].catch(function () {
        delete self.fragments[doc];
      });
    }
    return self.fragments[doc];
  };

  // Results `from` … `from + count` of `found`, with their fragments, in
  // final order: near-ties (within a tenth) go to the page whose query
  // words stand closest together.
  Engine.prototype.results = function (found, from, count) {
    var self = this;
    return self.load().then(function (meta) {
      var slice = found.hits.slice(from, from + count);
      return Promise.all(
        slice.map(function (hit) {
          return self.fragment(hit.doc).then(function (f) {
            return { hit: hit, fragment: f, view: excerpts(meta.text, f, found.marks) };
          });
        })
      ).then(function (items) {
        var asked = found.terms.join(" ");
        items.forEach(function (it) {
          // A title that is the query itself; words close together.
          var title = meta.text.words(it.fragment.t).filter(function (w) {
            return !meta.stopSet[w];
          }).map(function (w) { return meta.text.term(w); }).join(" ");
          it.key = it.hit.score * (title === asked ? 1.3 : 1) * (1 + 0.1 * it.view.closeness);
        });
        {
          items.sort(function (a, b) {
            return (b.hit.all ? 1 : 0) - (a.hit.all ? 1 : 0) || b.key - a.key || a.hit.doc - b.hit.doc;
          });
        }
        return items;
      });
    });
  };

  // ---- Excerpts: from a document's fragment, with the words found marked.

  var RUN = /[\p{L}\p{N}\p{M}]+(?:['\u2019.][\p{L}\p{N}\p{M}]+)*/gu;
  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  // The runs of letters and digits of `text`, each {start, end, terms
  // found in it, hit: [start, end] ranges to mark}.
  function runs(analyzer, text, marks) {
    var out = [];
    var m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text))) {
      var run = { start: m.index, end: m.index + m[0].length, found: [], hits: [] };
      var words = analyzer.words(m[0]);
      if (CJK.test(m[0])) {
        // Character pairs: mark each pair found, by character offsets.
        var chars = Array.from(m[0]);
        var offsets = [];
        var at = m.index;
        chars.forEach(function (c) {
          offsets.push(at);
          at += c.length;
        });
        offsets.push(at);
        words.forEach(function (w, k) {
          var t = analyzer.term(w);
          if (!marks[t]) return;
          run.found.push(t);
          var len = Array.from(w).length;
          if (k + len > chars.length) return;
          // Pairs overlap: extend the last mark rather than repeat text.
          var last = run.hits[run.hits.length - 1];
          if (last && last[1] >= offsets[k]) last[1] = Math.max(last[1], offsets[k + len]);
          else run.hits.push([offsets[k], offsets[k + len]]);
        });
      } else {
        words.forEach(function (w) {
          var t = analyzer.term(w);
          if (marks[t]) run.found.push(t);
        });
        if (run.found.length) run.hits.push([run.start, run.end]);
      }
      out.push(run);
    }
    return out;
  }

  // The smallest window of runs holding every distinct term found in them:
  // [first run, last run], or null.
  function tightest(list) {
    var distinct = {};
    var total = 0;
    list.forEach(function (r) {
      r.found.forEach(function (t) {
        if (!distinct[t]) {
          distinct[t] = true;
          total++;
        }
      });
    });
    if (!total) return null;
    var count = {};
    var have = 0;
    var best = null;
    var left = 0;
    for (var right = 0; right < list.length; right++) {
      list[right].found.forEach(function (t) {
        if (!count[t]) have++;
        count[t] = (count[t] || 0) + 1;
      });
      while (have === total) {
        if (!best || right - left < best[1] - best[0]) best = [left, right];
        list[left].found.forEach(function (t) {
          count[t]--;
          if (!count[t]) have--;
        });
        left++;
      }
    }
    return { from: best[0], to: best[1], distinct: total };
  }

  // About `size` runs of `text` around the window, escaped, words marked.
  function excerptHtml(text, list, win, size) {
    var from = Math.max(0, win.from - Math.floor(size / 4));
    var to = Math.min(list.length - 1, Math.max(win.to, from + size - 1));
    if (to - from + 1 < size) from = Math.max(0, to - size + 1);
    var start = from === 0 ? 0 : list[from].start;
    var end = to === list.length - 1 ? text.length : list[to].end;
    var out = start > 0 ? "\u2026 " : "";
    var last = start;
    for (var i = from; i <= to; i++) {
      list[i].hits.forEach(function (h) {
        out += escapeHtml(text.slice(last, h[0])) + "<mark>" + escapeHtml(text.slice(h[0], h[1])) + "</mark>";
        last = h[1];
      });
    }
    out += escapeHtml(text.slice(last, end));
    return out + (end < text.length ? " \u2026" : "");
  }

  // The excerpt of a fragment, its sub-results (sections under a heading
  // where words were found, best first) and how close together the words
  // stand in its best section (0 to 1).
  function excerpts(analyzer, fragment, marks) {
    var parts = (fragment.p || []).map(function (p, i) {
      var list = runs(analyzer, p[0] + " " + p[2], marks);
      var own = runs(analyzer, p[2], marks);
      return { i: i, heading: p[0], anchor: p[1], text: p[2], list: own, win: tightest(list) };
    });
    var found = parts.filter(function (p) {
      return p.win;
    });
    found.sort(function (a, b) {
      return b.win.distinct - a.win.distinct || a.i - b.i;
    });
    var best = found[0] || parts[0];
    var view = { excerpt: "", subs: [], closeness: 0 };
    if (!best) return view;
    var win = tightest(best.list) || { from: 0, to: 0, distinct: 0 };
    view.excerpt = excerptHtml(best.text, best.list, win, 30);
    if (best.win && best.win.distinct > 1) {
      view.closeness = best.win.distinct / (best.win.to - best.win.from + 1);
    }
    view.subs = found
      .filter(function (p) {
        return p !== best && p.anchor;
      })
      .slice(0, 3)
      .map(function (p) {
        var w = tightest(p.list) || { from: 0, to: 0 };
        return { heading: p.heading, anchor: p.anchor, excerpt: excerptHtml(p.text, p.list, w, 18) };
      });
    if (best.anchor && best.heading) view.section = { heading: best.heading, anchor: best.anchor };
    return view;
  }

  window.MarrowSearchEngine = Engine;
})();
