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
  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

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
      self.meta = self.fetchJson("index.json").then(function (m) {
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

  // A file of the index, fetched once; a failed fetch is tried again the
  // next time it is asked for.
  function cached(store, key, load) {
    if (!store[key]) {
      store[key] = load();
      store[key].catch(function () {
        delete store[key];
      });
    }
    return store[key];
  }

  Engine.prototype.chunk = function (n) {
    var self = this;
    return cached(self.chunks, n, function () {
      return self.fetchJson("c/" + n + ".json");
    });
  };

  // The words of the pages that start with the character `c`, as {word:
  // term, or "" for a word that is its own term}; {} if none does.
  Engine.prototype.vocabulary = function (c) {
    var self = this;
    var cp = c.codePointAt(0);
    var key = /^[a-z0-9]$/i.test(c) && cp < 128 ? c : "_" + cp.toString(16);
    return cached(self.words, key, function () {
      return fetch(new URL("w/" + key + ".json", self.root).href).then(function (r) {
        if (r.status === 404) return {}; // no word starts so
        if (!r.ok) throw new Error("search index: " + r.status);
        return r.json();
      });
    });
  };

  // Postings of `term` as {doc: impact}, or null.
  // Postings of `term` as {df, docs, impacts} (typed arrays, by doc
  // number), or null. Decoded once per term.
  Engine.prototype.postings = function (meta, term) {
    var self = this;
    return self.chunk(self.chunkOf(meta, term)).then(function (c) {
      var list = c[term];
      if (!list) return null;
      if (!list.decoded) {
        var df = list.length / 2;
        var docs = new Uint32Array(df);
        var impacts = new Uint32Array(df);
        var doc = 0;
        for (var i = 0; i < df; i++) {
          doc += list[2 * i];
          docs[i] = doc;
          impacts[i] = list[2 * i + 1];
        }
        list.decoded = { df: df, docs: docs, impacts: impacts };
      }
      return list.decoded;
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
    var plan = { slots: [], spans: [], terms: [], corrected: false };
    return Promise.all(
      words.map(function (word, i) {
        var term = meta.text.term(word);
        var slot = { word: word, shown: word, terms: {}, found: false };
        plan.slots.push(slot);
        var last = i === words.length - 1;
        var prefix = typing && last && Array.from(word).length >= PREFIX_MIN;
        // The word itself and the words it begins, looked up at once.
        return Promise.all([
          self.postings(meta, term),
          prefix ? self.wordsStarting(meta, word, MAX_EXPANSIONS) : null
        ]).then(function (found) {
          if (found[0]) {
            slot.terms[term] = { weight: 1, p: found[0] };
            slot.found = true;
          }
          return found[1] && self.addTerms(meta, slot, found[1], 0.7);
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
      // A word just begun after others ("stem c") counts once more of it
      // is typed; alone, it is searched as it is.
      // (CJK text is searched as character pairs, never as a prefix.)
      var last = plan.slots[plan.slots.length - 1];
      var short = last && Array.from(last.word).length < PREFIX_MIN && !CJK.test(last.word);
      if (typing && plan.slots.length > 1 && short) {
        plan.slots.pop();
      }
      plan.terms = plan.slots.map(function (s) {
        return meta.text.term(s.shown);
      });
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
    var terms = plan.terms;
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

  // Every document's score for one slot (0: not found): its best-answering
  // term's.
  function slotScores(meta, slot) {
    var best = new Float64Array(meta.n);
    Object.keys(slot.terms).forEach(function (term) {
      var t = slot.terms[term];
      var w = (t.weight * idf(meta.n, t.p.df)) / 100;
      for (var i = 0; i < t.p.df; i++) {
        var s = w * t.p.impacts[i];
        if (best[t.p.docs[i]] < s) best[t.p.docs[i]] = s;
      }
    });
    return best;
  }

  // A synonym alternative's score in the documents holding all its terms.
  function altScores(meta, alt) {
    var total = new Float64Array(meta.n);
    var count = new Uint8Array(meta.n);
    alt.p.forEach(function (p) {
      var w = idf(meta.n, p.df) / 100;
      for (var i = 0; i < p.df; i++) {
        total[p.docs[i]] += w * p.impacts[i];
        count[p.docs[i]]++;
      }
    });
    for (var d = 0; d < meta.n; d++) if (count[d] < alt.p.length) total[d] = 0;
    return total;
  }

  // Ranks the documents for a plan: those answering every word the index
  // knows come first, then by score.
  function rank(meta, plan) {
    var perSlot = plan.slots.map(function (s) {
      return slotScores(meta, s);
    });
    var inSpan = [];
    var spans = plan.spans.map(function (span) {
      for (var i = span.from; i < span.to; i++) inSpan[i] = span.alts.length > 0 || "own";
      return {
        span: span,
        alts: span.alts.map(function (a) {
          return altScores(meta, a);
        })
      };
    });
    var wanted = 0;
    plan.slots.forEach(function (s, i) {
      if (s.found || inSpan[i] === true) wanted++;
    });
    var hits = [];
    for (var d = 0; d < meta.n; d++) {
      var score = 0;
      var covered = 0;
      for (var i = 0; i < perSlot.length; i++) {
        if (!inSpan[i] && perSlot[i][d] > 0) {
          score += perSlot[i][d];
          covered++;
        }
      }
      for (var k = 0; k < spans.length; k++) {
        var sp = spans[k];
        var own = 0;
        var ownCovered = 0;
        for (i = sp.span.from; i < sp.span.to; i++) {
          if (perSlot[i][d] > 0) {
            own += perSlot[i][d];
            ownCovered++;
          }
        }
        var alt = 0;
        for (var a = 0; a < sp.alts.length; a++) if (sp.alts[a][d] > alt) alt = sp.alts[a][d];
        if (alt > 0) ownCovered = sp.span.to - sp.span.from;
        score += Math.max(own, alt);
        covered += ownCovered;
      }
      if (score > 0) hits.push({ doc: d, score: score, all: covered >= wanted });
    }
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
          terms: plan.terms,
          hits: rank(meta, plan)
        };
      });
    });
  };

  Engine.prototype.fragment = function (doc) {
    var self = this;
    return cached(self.fragments, doc, function () {
      return self.fetchJson("f/" + doc + ".json");
    });
  };

  // Results `from` … `from + count` of `found`, with their fragments, in
  // final order: among them, a title that is the query itself counts 1.3
  // times, and words standing close together up to 1.1 times, which
  // decides near-ties.
  Engine.prototype.results = function (found, from, count) {
    var self = this;
    return self.load().then(function (meta) {
      var slice = found.hits.slice(from, from + count);
      return Promise.all(
        slice.map(function (hit) {
          return self.fragment(hit.doc).then(function (f) {
            return { hit: hit, fragment: f, view: window.MarrowExcerpt(meta.text, f, found.marks) };
          });
        })
      ).then(function (items) {
        var asked = found.terms.join(" ");
        items.forEach(function (it) {
          var title = meta.text
            .words(it.fragment.t)
            .filter(function (w) {
              return !meta.stopSet[w];
            })
            .map(function (w) {
              return meta.text.term(w);
            })
            .join(" ");
          it.key = it.hit.score * (title === asked ? 1.3 : 1) * (1 + 0.1 * it.view.closeness);
        });
        items.sort(function (a, b) {
          return (b.hit.all ? 1 : 0) - (a.hit.all ? 1 : 0) || b.key - a.key || a.hit.doc - b.hit.doc;
        });
        return items;
      });
    });
  };

  window.MarrowSearchEngine = Engine;
})();
