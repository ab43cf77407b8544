// marrow: site search (progressive enhancement), drawn in two places with
// one engine (search-engine.js):
// - the box in the site header (templates/search.html, hidden until this
//   script shows it): the best few results as you type, and a link to all;
// - the full results page, search/?q=… (templates/search_page.html): every
//   result, ten at a time.
//
// Hooks for outside tooling: the query field is `input[type=search]`, and
// each result's link is `.search-result-link` (a section of a result is
// `.search-subresult-link`). `window.marrowSearch.search(query)` gives the
// engine's ranking without drawing.
//
// - The site root is where this script is (it sits at the root), so search
//   works when the site is hosted under a sub-path (/docs/). The index is
//   the page's language's, in the folder `data-base` of this script's tag
//   names (search/, zh/search/ …), as is the results page.
// - Every word it shows comes from the data- attributes of its tag
//   (templates/search_scripts.html), so from the theme's strings table:
//   `{name}` in them is filled in here.
// - "/" focuses the header's box, except while typing in a field.
// - Results are links (Tab or Down arrow into them); Escape closes the
//   box's results, a second Escape clears it.
// - The number of results is announced through the status live region.
// - Opened from file://, browsers refuse to load the index: the box then
//   says that search needs a web server instead of failing silently.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || !window.MarrowSearchEngine || !window.MarrowText) return;
  var root = new URL(".", script.src);
  var words = script.dataset;
  var base = new URL(words.base || "search/", root);
  var served = root.protocol === "http:" || root.protocol === "https:";
  var engine = new window.MarrowSearchEngine(base);
  var DELAY = 150; // ms of quiet typing before searching
  var BOX_RESULTS = 5;
  var PAGE_RESULTS = 10;
  // The review states the index gives (see src/search/extract.rs).
  var REVIEW_STATES = {
    checked: words.reviewChecked,
    unreviewed: words.reviewUnreviewed
  };

  window.marrowSearch = {
    search: function (query) {
      return engine.search(query);
    }
  };

  // The text of `name` (a data- attribute) with each {key} of `values`
  // replaced by its value.
  function say(name, values) {
    return (words[name] || "").replace(/\{(\w+)\}/g, function (all, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function quote(q) {
    return say("quote", { query: q });
  }

  function results(n) {
    return n === 1 ? say("resultOne") : say("resultOther", { n: n });
  }

  // The address of a result, from the site root, as a server shows it.
  function address(link) {
    return root.pathname + link.replace(/(^|\/)index\.html(?=$|#)/, "$1");
  }

  function resultsPage(query) {
    return base.pathname + "?q=" + encodeURIComponent(query);
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  // One result: title link, section, review state, excerpt, sub-results.
  function resultItem(item) {
    var f = item.fragment;
    var view = item.view;
    var li = element("li", "search-result" + (f.u.indexOf("#") >= 0 ? " search-result-term" : ""));
    var a = element("a", "search-result-link", f.t || f.u);
    a.href = address(f.u);
    li.appendChild(a);
    if (f.s) li.appendChild(element("p", "search-result-section", f.s));
    var state = REVIEW_STATES[f.r];
    if (state) li.appendChild(element("p", "search-result-review", state));
    if (view.excerpt) {
      var p = element("p", "search-result-excerpt");
      // The engine escapes the text and adds only <mark>.
      p.innerHTML = view.excerpt;
      li.appendChild(p);
    }
    if (view.subs.length) {
      var subs = element("ul", "search-subresults");
      view.subs.forEach(function (s) {
        var sub = element("li", "search-subresult");
        var link = element("a", "search-subresult-link", s.heading);
        link.href = address(f.u.split("#")[0]) + "#" + encodeURIComponent(s.anchor);
        sub.appendChild(link);
        var ex = element("p", "search-result-excerpt");
        ex.innerHTML = s.excerpt;
        sub.appendChild(ex);
        subs.appendChild(sub);
      });
      li.appendChild(subs);
    }
    return li;
  }

  // What the status says about a search's answer.
  function statusText(found, shown) {
    var total = found.hits.length;
    var q = quote(found.query.trim());
    var text;
    if (found.corrected) {
      text = say("corrected", { corrected: quote(found.corrected), results: results(total), query: q });
    } else if (total === 0) {
      text = say("none", { query: q });
    } else {
      text = say("found", { results: results(total), query: q });
    }
    if (found.missing.length && total && !found.corrected) {
      text += " " + say("missing", { words: found.missing.map(quote).join(say("or")) });
    }
    if (shown < total) text += " " + say("showing", { n: shown });
    return text;
  }

  // A place that shows results: the header's box or the results page.
  function View(widget, options) {
    this.widget = widget;
    this.options = options;
    this.input = widget.querySelector("input[type=search]");
    this.status = widget.querySelector(".search-status");
    this.list = widget.querySelector(".search-list");
    this.more = widget.querySelector(".search-more");
    this.generation = 0; // drops answers to queries that were typed over
    this.found = null;
    this.shown = 0;
  }

  View.prototype.say = function (text) {
    this.status.textContent = text;
  };

  View.prototype.clear = function () {
    this.list.textContent = "";
    this.list.hidden = true;
    if (this.more) this.more.hidden = true;
    this.found = null;
    this.shown = 0;
  };

  View.prototype.run = function (query) {
    var self = this;
    var mine = ++self.generation;
    if (!query.trim()) {
      self.clear();
      self.say("");
      if (self.options.onEmpty) self.options.onEmpty();
      return Promise.resolve();
    }
    if (!served) {
      self.clear();
      self.notServed();
      return Promise.resolve();
    }
    return engine
      .search(query)
      .then(function (found) {
        if (mine !== self.generation) return null;
        return engine.results(found, 0, self.options.limit).then(function (items) {
          if (mine !== self.generation) return;
          self.clear();
          self.found = found;
          self.draw(items);
        });
      })
      .catch(function () {
        if (mine !== self.generation) return;
        self.clear();
        self.say(say("unavailable"));
        if (self.options.onShow) self.options.onShow();
      });
  };

  View.prototype.draw = function (items) {
    var self = this;
    items.forEach(function (item) {
      self.list.appendChild(resultItem(item));
    });
    self.shown += items.length;
    var total = self.found.hits.length;
    self.list.hidden = !self.list.firstChild;
    if (self.options.allLink && self.shown < total) {
      var li = element("li", "search-all");
      var a = element("a", "search-all-link", say("seeAll", { n: total }));
      a.href = resultsPage(self.found.corrected || self.found.query.trim());
      li.appendChild(a);
      self.list.appendChild(li);
    }
    if (self.found.corrected && self.options.allLink) {
      // The box offers the corrected query as a link too.
      var fix = element("li", "search-suggestion");
      var link = element("a", "search-suggestion-link", say("suggestion", { query: quote(self.found.corrected) }));
      link.href = resultsPage(self.found.corrected);
      fix.appendChild(link);
      self.list.appendChild(fix);
    }
    if (self.more) self.more.hidden = self.shown >= total;
    self.say(statusText(self.found, self.options.allLink ? self.shown : total));
    if (self.options.onShow) self.options.onShow();
  };

  // The next results (the results page's "Show more results").
  View.prototype.next = function () {
    var self = this;
    var found = self.found;
    if (!found) return;
    var first = self.shown;
    engine.results(found, first, self.options.limit).then(function (items) {
      if (found !== self.found) return;
      self.draw(items);
      // Focus the first new result, so keyboard users go on from there.
      var links = self.list.querySelectorAll(".search-result-link");
      if (links[first]) links[first].focus();
    });
  };

  View.prototype.notServed = function () {
    // The sentence around {command}, which is shown as code.
    var parts = say("notServed").split("{command}");
    this.status.textContent = parts[0];
    this.status.appendChild(element("code", "", "marrow serve"));
    this.status.appendChild(document.createTextNode(parts.slice(1).join("{command}")));
    if (this.options.onShow) this.options.onShow();
  };

  // ---- The header's box.
  function box(widget) {
    var form = widget.querySelector(".search-form");
    var panel = widget.querySelector(".search-results");
    var view = new View(widget, { limit: BOX_RESULTS, allLink: true });
    var input = view.input;
    if (!input || !form || !panel || !view.status || !view.list) return;
    var timer = 0;
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

    function isOpen() {
      return panel.classList.contains("is-open");
    }
    // Closed, the panel keeps its status (a live region must stay in the
    // page to be announced) but hides the links, so Tab cannot reach them.
    function open() {
      panel.classList.add("is-open");
      view.list.hidden = !view.list.firstChild;
    }
    function close() {
      panel.classList.remove("is-open");
      view.list.hidden = true;
    }
    view.options.onShow = open;
    view.options.onEmpty = close;

    function search() {
      clearTimeout(timer);
      view.run(input.value);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, DELAY);
    });
    input.addEventListener("focus", function (event) {
      if (!served) {
        view.notServed();
        return;
      }
      engine.load().catch(function () {});
      // Coming back from the results (Escape, Up arrow) leaves them as they are.
      var within = event.relatedTarget && widget.contains(event.relatedTarget);
      if (!within && input.value.trim() && view.status.textContent) open();
    });
    // Enter goes to the full results page.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = input.value.trim();
      if (q && served) window.location.href = resultsPage(q);
      else search();
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
      var all = Array.prototype.slice.call(view.list.querySelectorAll("a"));
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
  }

  // ---- The full results page: the query is in the address (?q=), so a
  // results page can be bookmarked, shared and reached with Back.
  function page(widget) {
    var view = new View(widget, { limit: PAGE_RESULTS, allLink: false });
    var form = widget.querySelector(".search-page-form");
    if (!view.input || !form || !view.status || !view.list) return;
    var timer = 0;
    function show(query, remember) {
      if (remember) {
        var url = new URL(window.location.href);
        url.searchParams.set("q", query.trim());
        window.history.replaceState(null, "", url.href);
      }
      view.run(query);
    }
    var query = new URL(window.location.href).searchParams.get("q") || "";
    view.input.value = query;
    // The query as typed, with no prefix matching of its last word.
    if (query) show(query + " ", false);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      show(view.input.value.trim() + " ", true);
    });
    view.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        show(view.input.value, true);
      }, DELAY);
    });
    if (view.more) view.more.addEventListener("click", function () {
      view.next();
    });
  }

  var header = document.querySelector("[data-search]");
  if (header) box(header);
  var full = document.querySelector("[data-search-page]");
  if (full) page(full);
})();
