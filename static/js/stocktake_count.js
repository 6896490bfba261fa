/* The stocktake screens' script (CSP: a static file, no inline script).
 *
 * 1. A form with data-busy-text (opening a stocktake) disables its submit
 *    button on submit and says what is happening: taking the snapshot of
 *    100,000 records takes a few seconds.
 * 2. The counting form (data-scan-form) posts each code with fetch and
 *    asks for JSON (inventory.views.counting.unit_scan): the answer is
 *    shown in the live region, added to the top of the "last scans" list,
 *    the progress is updated, and the input is cleared and focused again,
 *    so a keyboard-wedge scanner can fire codes back to back. Without
 *    this script the form posts and the page comes back with the answer.
 */
(function () {
  "use strict";

  function busyOnSubmit(form) {
    form.addEventListener("submit", function () {
      var text = form.getAttribute("data-busy-text");
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.textContent = text;
      });
      var status = form.querySelector(".busy-text");
      if (status) { status.textContent = text; }
    });
  }

  function setText(selector, value) {
    var node = document.querySelector(selector);
    if (node && value !== undefined && value !== null) { node.textContent = String(value); }
  }

  function showProgress(progress) {
    if (!progress) { return; }
    setText("[data-progress-unit-counted]", progress.unit.counted);
    setText("[data-progress-unit-expected]", progress.unit.expected);
    setText("[data-progress-overall-counted]", progress.overall.counted);
    setText("[data-progress-overall-expected]", progress.overall.expected);
  }

  var TONE = { found: "found", already_counted: "warning", misplaced: "warning", extra: "warning",
               on_loan: "warning", struck_off: "error", unknown: "unknown", refused: "refused" };

  function showAnswer(box, data) {
    box.className = "scan-answer scan-answer--" + (TONE[data.outcome] || "warning");
    box.textContent = data.message;
  }

  function addToList(list, scan, outcome) {
    if (!list || !scan) { return; }
    var empty = list.querySelector("[data-scan-empty]");
    if (empty) { empty.remove(); }
    var item = document.createElement("li");
    item.className = "scan-list__item scan-list__item--" + outcome;
    var parts = [
      ["scan-list__code mono", scan.code],
      ["scan-list__outcome", scan.outcome + (scan.condition ? " · " + scan.condition : "")],
      ["scan-list__meta muted", scan.by + " · " + scan.at]
    ];
    parts.forEach(function (part) {
      var span = document.createElement("span");
      span.className = part[0];
      span.textContent = part[1];
      item.appendChild(span);
    });
    list.insertBefore(item, list.firstChild);
    var limit = parseInt(list.getAttribute("data-limit"), 10) || 20;
    while (list.children.length > limit) { list.removeChild(list.lastChild); }
  }

  function scanForm(form) {
    var input = form.querySelector("input[name=code]");
    var note = form.querySelector("input[name=note], textarea[name=note]");
    var condition = form.querySelector("select[name=condition]");
    var box = document.querySelector("[data-scan-answer]");
    var list = document.querySelector("[data-scan-list]");
    var queue = Promise.resolve();

    function send(body) {
      return fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" }
      }).then(function (response) {
        return response.json();
      }).then(function (data) {
        showAnswer(box, data);
        showProgress(data.progress);
        addToList(list, data.scan, data.outcome);
      }).catch(function () {
        showAnswer(box, { outcome: "refused", message: form.getAttribute("data-error-text") });
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = new FormData(form);
      // Cleared at once: the scanner may type the next code before the answer.
      input.value = "";
      if (note) { note.value = ""; }
      if (condition) { condition.selectedIndex = 0; }
      input.focus();
      // One at a time, in the order scanned.
      queue = queue.then(function () { return send(body); });
    });
    input.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-busy-text]").forEach(busyOnSubmit);
    document.querySelectorAll("form[data-scan-form]").forEach(scanForm);
  });
})();
