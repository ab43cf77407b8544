// marrow: collapsible site navigation (progressive enhancement).
// Without this script the nav is always visible and the Menu button stays hidden.
(function () {
  "use strict";
  var button = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (!button || !nav) return;
  var root = document.documentElement;
  // Must match the wide breakpoint in marrow.css (CSS only hides the nav below it).
  var wide = window.matchMedia("(min-width: 64em)");

  function isOpen() {
    return button.getAttribute("aria-expanded") === "true";
  }

  function setOpen(open) {
    root.classList.toggle("js-nav-collapsed", !open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  setOpen(false);
  button.hidden = false;

  button.addEventListener("click", function () {
    setOpen(!isOpen());
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !isOpen() || wide.matches) return;
    setOpen(false);
    button.focus();
  });
})();

// marrow: glossary terms (progressive enhancement).
// Markup: <a class="gloss" href="…#term-x" aria-describedby="gloss-def-x">word</a>
//         <span class="gloss-def" id="gloss-def-x" role="tooltip" hidden>…</span>
// Without this script each term is a plain link to its glossary entry, with
// the hidden definition as its accessible description. With it, the
// definition shows on hover and on keyboard focus, stays while the pointer is
// on the term or the box (WCAG 1.4.13), closes with Escape without moving
// focus, and on touch the first tap shows it (with a link to the glossary)
// instead of following the link. One box is open at a time.
(function () {
  "use strict";
  var terms = document.querySelectorAll("a.gloss[aria-describedby]");
  if (!terms.length) return;
  // The link's text, from the strings table (templates/base.html).
  var script = document.currentScript;
  var MORE = (script && script.getAttribute("data-gloss-more")) || "";
  var GAP = 6; // px between the term and the box
  var MARGIN = 8; // px kept free at the viewport edges
  var open = null; // { term, box, pinned, more }
  var hideTimer = 0;
  var lastPointer = ""; // pointerType of the latest pointerdown

  function boxFor(term) {
    var box = document.getElementById(term.getAttribute("aria-describedby"));
    return box && box.classList.contains("gloss-def") ? box : null;
  }

  function place(term, box) {
    var rects = term.getClientRects();
    if (!rects.length) return;
    var first = rects[0];
    var last = rects[rects.length - 1];
    var view = document.documentElement;
    var width = view.clientWidth;
    var height = view.clientHeight;
    box.style.left = "0px";
    box.style.top = "0px";
    var w = box.offsetWidth;
    var h = box.offsetHeight;
    // Under the term's last line, from where that line starts (its
    // right end in right-to-left text); above its first when there is no
    // room below.
    var rtl = window.getComputedStyle(term).direction === "rtl";
    var top = last.bottom + GAP;
    var left = rtl ? last.right - w : last.left;
    if (top + h > height - MARGIN && first.top - GAP - h >= MARGIN) {
      top = first.top - GAP - h;
      left = rtl ? first.right - w : first.left;
    }
    left = Math.max(MARGIN, Math.min(left, width - w - MARGIN));
    box.style.left = Math.round(left) + "px";
    box.style.top = Math.round(top) + "px";
  }

  function hide() {
    window.clearTimeout(hideTimer);
    if (!open) return;
    open.box.hidden = true;
    if (open.more) open.box.removeChild(open.more);
    open = null;
  }

  function show(term, pinned) {
    window.clearTimeout(hideTimer);
    var box = boxFor(term);
    if (!box) return;
    if (open && open.term !== term) hide();
    if (!open) {
      open = { term: term, box: box, pinned: false, more: null };
      box.hidden = false;
    }
    if (pinned && !open.pinned) {
      open.pinned = true;
      // Touch readers cannot hover; give them the way to the glossary.
      var more = document.createElement("a");
      more.className = "gloss-more";
      more.href = term.href;
      more.textContent = MORE;
      box.appendChild(more);
      open.more = more;
    }
    place(term, box);
  }

  function hideSoon() {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(function () {
      if (!open || open.pinned) return;
      var active = document.activeElement;
      if (active === open.term || open.box.contains(active)) return;
      hide();
    }, 300);
  }

  function termOf(node) {
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      if (term === node || term.contains(node)) return term;
      var box = boxFor(term);
      if (box && box.contains(node)) return term;
    }
    return null;
  }

  Array.prototype.forEach.call(terms, function (term) {
    var box = boxFor(term);
    if (!box) return;
    term.addEventListener("pointerenter", function (event) {
      if (event.pointerType !== "touch") show(term, false);
    });
    term.addEventListener("pointerleave", function (event) {
      if (event.pointerType !== "touch") hideSoon();
    });
    box.addEventListener("pointerenter", function (event) {
      if (open && open.term === term && event.pointerType !== "touch") {
        window.clearTimeout(hideTimer);
      }
    });
    box.addEventListener("pointerleave", function (event) {
      if (event.pointerType !== "touch") hideSoon();
    });
    term.addEventListener("focus", function () {
      show(term, false);
    });
    term.addEventListener("blur", function (event) {
      if (!open || open.term !== term) return;
      if (event.relatedTarget && box.contains(event.relatedTarget)) return;
      if (term.matches(":hover") || box.matches(":hover")) return;
      if (!open.pinned) hide();
    });
    term.addEventListener("click", function (event) {
      // First tap shows the definition; a second tap follows the link.
      if (lastPointer !== "touch") return;
      if (open && open.term === term && open.pinned) return;
      event.preventDefault();
      show(term, true);
    });
  });

  // Capture phase: runs before handlers on the page (and its own checks).
  document.addEventListener(
    "pointerdown",
    function (event) {
      lastPointer = event.pointerType;
      if (open && termOf(event.target) !== open.term) hide();
    },
    true
  );

  window.addEventListener(
    "keydown",
    function (event) {
      lastPointer = "";
      if (event.key !== "Escape" || !open) return;
      // Close only the definition; keep focus, and keep other Escape
      // handlers (the open menu) for the next press.
      hide();
      event.stopPropagation();
    },
    true
  );

  function reposition() {
    if (open) place(open.term, open.box);
  }
  window.addEventListener("resize", reposition);
  window.addEventListener("scroll", reposition, { passive: true, capture: true });
})();

// marrow: "On this page" follows the reading (progressive enhancement).
// The link of the section being read gets aria-current="true" (the theme
// marks it): the last heading whose top has passed a line 30% down the
// window, or, at the very end of the page, the section a link jumped to.
// IntersectionObservers say when a heading crosses that line (or the end
// of the page comes into view), so nothing runs while scrolling between. Without it (or without this
// script) the list is a plain list of links.
(function () {
  "use strict";
  var toc = document.querySelector(".toc");
  if (!toc || !("IntersectionObserver" in window)) return;
  var links = [];
  var headings = [];
  Array.prototype.forEach.call(toc.querySelectorAll('a[href^="#"]'), function (a) {
    var id = decodeURIComponent(a.getAttribute("href").slice(1));
    var h = id && document.getElementById(id);
    if (!h) return;
    links.push(a);
    headings.push(h);
  });
  if (!headings.length) return;
  var LINE = 0.3; // of the window's height
  var current = null;
  var pending = 0;

  function mark(link) {
    if (link === current) return;
    if (current) current.removeAttribute("aria-current");
    current = link;
    if (!link) return;
    link.setAttribute("aria-current", "true");
    // Keep the mark in sight in a sticky list taller than the window.
    var box = toc.getBoundingClientRect();
    var r = link.getBoundingClientRect();
    if (toc.scrollHeight > toc.clientHeight && (r.top < box.top || r.bottom > box.bottom)) {
      toc.scrollTop += r.top - box.top - toc.clientHeight / 2;
    }
  }

  function update() {
    pending = 0;
    var view = document.documentElement;
    var line = window.innerHeight * LINE;
    var found = -1;
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].getBoundingClientRect().top <= line) found = i;
      else break;
    }
    // At the end of the page the last sections cannot reach the line:
    // follow the link that was used to get there, if it is in view.
    if (window.innerHeight + window.scrollY >= view.scrollHeight - 2 && location.hash) {
      var target = headings.indexOf(document.getElementById(decodeURIComponent(location.hash.slice(1))));
      if (target > found && headings[target].getBoundingClientRect().top < window.innerHeight) {
        found = target;
      }
    }
    mark(found >= 0 ? links[found] : null);
  }

  function soon() {
    if (!pending) pending = window.requestAnimationFrame(update);
  }

  // The observed area is everything above the line (its top reaches far
  // up the page), so a heading crossing the line changes its state even
  // when a jump takes it straight from below the window to above it.
  var observer = new IntersectionObserver(soon, {
    rootMargin: "1000000px 0px -" + (100 - LINE * 100) + "% 0px"
  });
  headings.forEach(function (h) {
    observer.observe(h);
  });
  // The end of the page, for the rule above.
  var end = document.querySelector(".site-footer");
  if (end) new IntersectionObserver(soon).observe(end);
  window.addEventListener("hashchange", soon);
  window.addEventListener("resize", soon);
  update();
})();
