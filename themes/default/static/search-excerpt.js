// marrow: what a search result shows of a document (search-engine.js
// calls it on the fragment the index stores for the document): an
// excerpt with the words found marked, the sections under a heading where
// they are (sub-results), and how close together they stand (0 to 1),
// which breaks near-ties in the ranking.
(function () {
  "use strict";

  var RUN = /[\p{L}\p{N}\p{M}]+(?:['\u2019.][\p{L}\p{N}\p{M}]+)*/gu;
  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  // The runs of letters and digits of `text`, each {start, end, terms
  // found in it, hit: [start, end] ranges to mark}.
  // The [word, term] pairs of a run of text, remembered: results repeat
  // their words, and stemming each again would make excerpts slow.
  var memo = new Map();
  var memoFor = null;
  function wordsOf(analyzer, run) {
    if (memoFor !== analyzer || memo.size > 50000) {
      memo = new Map();
      memoFor = analyzer;
    }
    var pairs = memo.get(run);
    if (!pairs) {
      pairs = analyzer.words(run).map(function (w) {
        return [w, analyzer.term(w)];
      });
      memo.set(run, pairs);
    }
    return pairs;
  }

  function runs(analyzer, text, marks) {
    var out = [];
    var m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text))) {
      var run = { start: m.index, end: m.index + m[0].length, found: [], hits: [] };
      var words = wordsOf(analyzer, m[0]);
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
          var t = w[1];
          if (!marks[t]) return;
          run.found.push(t);
          var len = Array.from(w[0]).length;
          if (k + len > chars.length) return;
          // Pairs overlap: extend the last mark rather than repeat text.
          var last = run.hits[run.hits.length - 1];
          if (last && last[1] >= offsets[k]) last[1] = Math.max(last[1], offsets[k + len]);
          else run.hits.push([offsets[k], offsets[k + len]]);
        });
      } else {
        words.forEach(function (w) {
          if (marks[w[1]]) run.found.push(w[1]);
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
  window.MarrowExcerpt = function (analyzer, fragment, marks) {
    var parts = (fragment.p || []).map(function (p, i) {
      var own = runs(analyzer, p[2], marks);
      var win = tightest(runs(analyzer, p[0], marks).concat(own));
      return { i: i, heading: p[0], anchor: p[1], text: p[2], list: own, win: win };
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
  };
})();
