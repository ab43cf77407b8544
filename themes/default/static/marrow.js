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
