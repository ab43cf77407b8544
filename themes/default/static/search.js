// marrow: site search with Pagefind (progressive enhancement).
// Markup: templates/search.html, hidden until this script shows it. The
// index lives in pagefind/ at the site root, written by `marrow build`.
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
  var DELAY = 150; // ms of quiet typing before searching
  var root = new URL(".", script.src);
  var served = root.protocol === "http:" || root.protocol === "https:";
  var pagefind = null; // Promise of the Pagefind module
  var timer = 0;
  var generation = 0; // drops answers to queries that were typed over

  widget.hidden = false;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return pf.options({ baseUrl: root.pathname }).then(function () {
          pf.init();
          return pf;
        });
      });
      // A failed load may be retried with the next query.
      pagefind.catch(function () {
        pagefind = null;
      });
    }
    return pagefind;
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

  // A page whose title is exactly the query comes first: stemming ranks
  // "Conditions …" level with "Conditioning" for "conditioning".
  function titleFirst(query, items) {
    var q = query.toLowerCase();
    function exact(d) {
      return d.meta && d.meta.title && d.meta.title.trim().toLowerCase() === q ? 1 : 0;
    }
    return items.slice().sort(function (a, b) {
      return exact(b) - exact(a); // stable: Pagefind's order otherwise
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
      // Meta values are plain text (Pagefind decodes entities): textContent.
      a.textContent = (data.meta && data.meta.title) || data.url;
      li.appendChild(a);
      if (data.meta && data.meta.section) {
        var section = document.createElement("p");
        section.className = "search-result-section";
        section.textContent = data.meta.section;
        li.appendChild(section);
      }
      if (data.excerpt) {
        var excerpt = document.createElement("p");
        excerpt.className = "search-result-excerpt";
        // Pagefind escapes < and > of the page text and adds only <mark>.
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
    load()
      .then(function (pf) {
        return pf.search(query);
      })
      .then(function (found) {
        if (mine !== generation) return null;
        var results = found ? found.results : [];
        return Promise.all(
          results.slice(0, MAX_RESULTS).map(function (r) {
            return r.data();
          })
        ).then(function (items) {
          if (mine === generation) render(query, results.length, items);
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
