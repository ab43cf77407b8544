// marrow: site search (progressive enhancement).
// Markup: templates/search.html, hidden until this script shows it. The
// index lives in search/ at the site root, written by `marrow build`
// (src/search.rs documents the format): pages.json lists the pages, and
// terms/KEY.json holds the pages of every word starting with KEY, so a
// query loads one small file per word. Excerpts come from the result
// pages themselves.
//
// - The site root is where this script is (it sits at the root), so search
//   works when the site is hosted under a sub-path (/docs/).
// - "/" focuses the search box, except while typing in a field.
// - Results are links (Tab or Down arrow into them); Escape closes the
//   results, a second Escape clears the box.
// - The number of results is announced through the status live region.
// - Opened from file://, browsers refuse to load the index: the box then
//   says that search needs a web server instead of failing silently.
(function () {
  "use strict";
  var script = document.currentScript;
  var widget = document.querySelector("[data-search]");
  if (!widget || !script || !script.src) return;
  var input = widget.querySelector(".search-input");
  var form = widget.querySelector(".search-form");
  var panel = widget.querySelector(".search-results");
  var status = widget.querySelector(".search-status");
  var list = widget.querySelector(".search-list");
  if (!input || !form || !panel || !status || !list) return;

  var MAX_RESULTS = 10;
  // The review state pages.json gives each page (see src/search.rs).
  var REVIEW_STATES = {
    checked: "Sources checked, not yet reviewed by a clinician",
    unreviewed: "Not yet reviewed"
  };
  var DELAY = 150; // ms of quiet typing before searching
  var root = new URL(".", script.src);
  var served = root.protocol === "http:" || root.protocol === "https:";
  var index = null; // Promise of pages.json
  var shards = {}; // key -> Promise of a terms file
  var timer = 0;
  var generation = 0; // drops answers to queries that were typed over
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var MAX_TERM = 40;

  widget.hidden = false;
  // Where there is probably no keyboard the "/" hint is not shown (see
  // marrow.css), so screen readers should not announce it either.
  var touch = window.matchMedia && window.matchMedia("(hover: none), (pointer: coarse)");
  function keyHint() {
    if (touch && touch.matches) {
      input.removeAttribute("aria-describedby");
      input.removeAttribute("aria-keyshortcuts");
    } else {
      input.setAttribute("aria-describedby", "marrow-search-key");
      input.setAttribute("aria-keyshortcuts", "/");
    }
  }
  keyHint();
  if (touch && touch.addEventListener) touch.addEventListener("change", keyHint);

  function fetchJson(path) {
    return fetch(new URL(path, root).href).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }

  function load() {
    if (!index) {
      index = fetchJson("search/pages.json").then(function (data) {
        if (!data || data.v !== 1 || !Array.isArray(data.pages)) throw new Error("unknown index");
        data.stopSet = {};
        data.stop.forEach(function (w) {
          data.stopSet[w] = true;
        });
        return data;
      });
      // A failed load may be retried with the next query.
      index.catch(function () {
        index = null;
      });
    }
    return index;
  }

  // The same words as the indexer: lowercase runs of letters and digits.
  function words(text) {
    return (text.toLowerCase().match(WORD) || []).filter(function (w) {
      return Array.from(w).length <= MAX_TERM;
    });
  }

  // The file holding every term that starts like `term` (src/search.rs).
  function key(term) {
    return Array.from(term)
      .slice(0, 2)
      .map(function (c) {
        return /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16);
      })
      .join("");
  }

  function shard(k) {
    if (!shards[k]) {
      shards[k] = fetch(new URL("search/terms/" + k + ".json", root).href).then(function (r) {
        if (r.status === 404) return {}; // no word starts this way
        if (!r.ok) throw new Error("search index: " + r.status);
        return r.json();
      });
      shards[k].catch(function () {
        delete shards[k];
      });
    }
    return shards[k];
  }

  // BM25 score of every page for one query word, over all the terms it
  // begins; a page counts its best-matching term, exact words first.
  function scoreWord(ix, word, terms) {
    var n = ix.pages.length;
    var avg = ix.avg || 1;
    var best = {};
    Object.keys(terms).forEach(function (term) {
      if (term.lastIndexOf(word, 0) !== 0) return;
      var list = terms[term];
      var df = list.length / 2;
      var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      var weight = term === word ? 1 : 0.8;
      var doc = 0;
      for (var i = 0; i < list.length; i += 2) {
        doc += list[i];
        var tf = list[i + 1];
        var len = (ix.pages[doc] && ix.pages[doc][3]) || avg;
        var s = (weight * idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * len) / avg));
        if (!(doc in best) || best[doc] < s) best[doc] = s;
      }
    });
    return best;
  }

  // Pages holding every word of the query, best first.
  function find(query) {
    return load().then(function (ix) {
      var asked = [];
      words(query).forEach(function (w) {
        if (!ix.stopSet[w] && asked.indexOf(w) < 0) asked.push(w);
      });
      if (!asked.length) return { words: [], hits: [] };
      return Promise.all(
        asked.map(function (w) {
          return shard(key(w)).then(function (terms) {
            return scoreWord(ix, w, terms);
          });
        })
      ).then(function (scores) {
        var hits = [];
        Object.keys(scores[0]).forEach(function (d) {
          var total = 0;
          for (var i = 0; i < scores.length; i++) {
            if (!(d in scores[i])) return;
            total += scores[i][d];
          }
          var page = ix.pages[d];
          var title = words(page[1]);
          asked.forEach(function (w) {
            var inTitle = title.some(function (t) {
              return t.lastIndexOf(w, 0) === 0;
            });
            if (inTitle) total *= 1.5;
          });
          hits.push({ doc: +d, score: total, page: page });
        });
        hits.sort(function (a, b) {
          return b.score - a.score || a.doc - b.doc;
        });
        return { words: asked, hits: hits };
      });
    });
  }

  // The address of a result, from the site root, as a server shows it.
  function address(link) {
    return root.pathname + link.replace(/(^|\/)index\.html$/, "$1");
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function startsWithAny(word, asked) {
    var w = word.toLowerCase();
    return asked.some(function (a) {
      return w.lastIndexOf(a, 0) === 0;
    });
  }

  // About 30 words around the first word found, with words found marked.
  function excerptOf(text, asked) {
    var at = -1;
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (startsWithAny(m[0], asked)) {
        at = m.index;
        break;
      }
    }
    if (at < 0) at = 0;
    var start = Math.max(0, at - 70);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var end = Math.min(text.length, at + 170);
    if (end < text.length) end = text.lastIndexOf(" ", end) > at ? text.lastIndexOf(" ", end) : end;
    var slice = text.slice(start, end);
    var out = start > 0 ? "\u2026" : "";
    var last = 0;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(slice))) {
      if (!startsWithAny(m[0], asked)) continue;
      out += escapeHtml(slice.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
      last = m.index + m[0].length;
    }
    out += escapeHtml(slice.slice(last));
    return out + (end < text.length ? "\u2026" : "");
  }

  // The text of a result page a reader sees (not tooltips or navigation).
  function excerpt(url, asked) {
    return fetch(url)
      .then(function (r) {
        return r.ok ? r.text() : "";
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var body = doc.querySelector("article .content") || doc.querySelector("main");
        if (!body) return "";
        var drop = "[hidden], script, style, svg, .gloss-def, .toc, .breadcrumbs, .pager, .related, .page-terms";
        Array.prototype.forEach.call(body.querySelectorAll(drop), function (n) {
          n.remove();
        });
        return excerptOf(body.textContent.replace(/\s+/g, " ").trim(), asked);
      })
      .catch(function () {
        return "";
      });
  }

  function isOpen() {
    return panel.classList.contains("is-open");
  }

  // Closed, the panel keeps its status (a live region must stay in the
  // page to be announced) but hides the links, so Tab cannot reach them.
  function open() {
    panel.classList.add("is-open");
    list.hidden = !list.firstChild;
  }

  function close() {
    panel.classList.remove("is-open");
    list.hidden = true;
  }

  function say(text, code) {
    status.textContent = text;
    if (code) {
      var c = document.createElement("code");
      c.textContent = code.text;
      status.appendChild(c);
      status.appendChild(document.createTextNode(code.after));
    }
  }

  function clearResults() {
    list.textContent = "";
    list.hidden = true;
  }

  function notServed() {
    clearResults();
    say("Search works when the site is served by a web server, for example with ", {
      text: "marrow serve",
      after: ".",
    });
    open();
  }

  function quote(q) {
    return "\u201C" + q + "\u201D";
  }

  // A page whose title is exactly the query comes first: prefix matching
  // ranks "Conditions …" close to "Conditioning" for "condition".
  function titleFirst(query, items) {
    var q = query.toLowerCase();
    function exact(d) {
      return d.meta && d.meta.title && d.meta.title.trim().toLowerCase() === q ? 1 : 0;
    }
    return items.slice().sort(function (a, b) {
      return exact(b) - exact(a); // stable: score order otherwise
    });
  }

  function render(query, total, items) {
    clearResults();
    items = titleFirst(query, items);
    items.forEach(function (data) {
      var li = document.createElement("li");
      li.className = "search-result";
      var a = document.createElement("a");
      a.className = "search-result-link";
      a.href = data.url;
      // Titles are plain text: textContent.
      a.textContent = (data.meta && data.meta.title) || data.url;
      li.appendChild(a);
      if (data.meta && data.meta.section) {
        var section = document.createElement("p");
        section.className = "search-result-section";
        section.textContent = data.meta.section;
        li.appendChild(section);
      }
      // Pages no clinician has reviewed say so in the results too.
      var state = data.meta && REVIEW_STATES[data.meta.review];
      if (state) {
        var review = document.createElement("p");
        review.className = "search-result-review";
        review.textContent = state;
        li.appendChild(review);
      }
      if (data.excerpt) {
        var excerpt = document.createElement("p");
        excerpt.className = "search-result-excerpt";
        // excerptOf escapes the page text and adds only <mark>.
        excerpt.innerHTML = data.excerpt;
        li.appendChild(excerpt);
      }
      list.appendChild(li);
    });
    if (total === 0) {
      say("No results for " + quote(query) + ".");
    } else if (total === 1) {
      say("1 result for " + quote(query) + ".");
    } else if (total > items.length) {
      say(total + " results for " + quote(query) + ". Showing the first " + items.length + ".");
    } else {
      say(total + " results for " + quote(query) + ".");
    }
    open();
  }

  function search() {
    clearTimeout(timer);
    var query = input.value.trim();
    var mine = ++generation;
    if (!query) {
      clearResults();
      say("");
      close();
      return;
    }
    if (!served) {
      notServed();
      return;
    }
    find(query)
      .then(function (found) {
        if (mine !== generation) return null;
        var top = found.hits.slice(0, MAX_RESULTS);
        return Promise.all(
          top.map(function (hit) {
            var url = address(hit.page[0]);
            return excerpt(url, found.words).then(function (text) {
              return {
                url: url,
                meta: { title: hit.page[1], section: hit.page[2], review: hit.page[4] || "" },
                excerpt: text
              };
            });
          })
        ).then(function (items) {
          if (mine === generation) render(query, found.hits.length, items);
        });
      })
      .catch(function () {
        if (mine !== generation) return;
        clearResults();
        say("Search is not available right now. Use the menu to find a page.");
        open();
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(search, DELAY);
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".search-result-link"));
  }

  input.addEventListener("input", later);

  input.addEventListener("focus", function (event) {
    if (!served) {
      notServed();
      return;
    }
    load().catch(function () {});
    // Coming back from the results (Escape, Up arrow) leaves them as they are.
    var within = event.relatedTarget && widget.contains(event.relatedTarget);
    if (!within && input.value.trim() && status.textContent) open();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });

  widget.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      if (isOpen()) {
        close();
        input.focus();
        event.preventDefault();
      } else if (event.target === input && input.value) {
        input.value = "";
        search();
        event.preventDefault();
      }
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var all = links();
    if (!all.length || !isOpen()) return;
    var at = all.indexOf(document.activeElement);
    if (event.target === input) {
      if (event.key !== "ArrowDown") return;
      all[0].focus();
    } else if (at >= 0) {
      if (event.key === "ArrowDown") {
        if (at + 1 < all.length) all[at + 1].focus();
      } else if (at > 0) {
        all[at - 1].focus();
      } else {
        input.focus();
      }
    } else {
      return;
    }
    event.preventDefault();
  });

  // Close when focus or a click goes elsewhere; the query stays.
  widget.addEventListener("focusout", function (event) {
    if (!event.relatedTarget || !widget.contains(event.relatedTarget)) close();
  });
  document.addEventListener("pointerdown", function (event) {
    if (isOpen() && !widget.contains(event.target)) close();
  });

  function typing(el) {
    if (!el || el === document.body) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.defaultPrevented) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || typing(document.activeElement)) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
})();
