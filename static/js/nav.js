/* The main menu (templates/_nav.html, templates/base.html).
   - Marks <html> with "js" at once (this file loads in <head>), so the CSS
     folds the menu behind the 菜单 button on a phone; without script the
     menu simply stays open.
   - The 菜单 button opens and closes the menu (aria-expanded).
   - The 更多 / 管理 groups and the user menu (<details>) close when another
     opens, on Escape (focus goes back to their summary) and on a click
     elsewhere; a group holding the page shown is marked. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function setUpToggle() {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("main-nav");
    if (!toggle || !nav) { return; }
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    });
  }

  function setUpGroups() {
    var groups = document.querySelectorAll("details.nav-group, details.user-menu");
    each(groups, function (group) {
      if (group.querySelector("[aria-current]")) { group.classList.add("nav-group--current"); }
      group.addEventListener("toggle", function () {
        if (!group.open) { return; }
        each(groups, function (other) { if (other !== group) { other.open = false; } });
      });
    });
    document.addEventListener("click", function (event) {
      each(groups, function (group) {
        if (group.open && !group.contains(event.target)) { group.open = false; }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      each(groups, function (group) {
        if (!group.open) { return; }
        group.open = false;
        group.querySelector("summary").focus();
      });
    });
  }

  function setUp() { setUpToggle(); setUpGroups(); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
