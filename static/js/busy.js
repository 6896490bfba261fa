/* "Working…" when a form is sent (issue 16: long work shows progress, never
   a silent wait). Loaded by templates/base.html and the back office
   (templates/admin/base_site.html).
   - A sent form says so next to the button that sent it (role="status", so
     a screen reader hears it too) and ignores a second click until the page
     changes: nothing is asked for twice.
   - A download form (data-download on the form or on the button that sent
     it: printed registers, ledger exports, the back office's export) sends
     a token with its request; the server answers the file
     with a cookie carrying it (core.middleware.DownloadStarted). The page
     stays where it is when a file arrives, so the cookie is what ends the
     indication. A long register or export is a job instead: the answer is
     its progress page.
   - Coming back with the browser's Back button shows the form ready again. */
(function () {
  "use strict";
  var COOKIE = "archive_download";
  var TOKEN_FIELD = "download_token";
  var POLL_MS = 300;
  var GIVE_UP_MS = 10 * 60 * 1000;

  function busyText() {
    var meta = document.querySelector('meta[name="archive-busy-text"]');
    return meta ? meta.getAttribute("content") : "…";
  }

  function ready(form) {
    form.removeAttribute("aria-busy");
    var token = form.querySelector('input[name="' + TOKEN_FIELD + '"]');
    if (token) { token.parentNode.removeChild(token); }
    Array.prototype.forEach.call(form.querySelectorAll(".busy-status"), function (status) {
      status.parentNode.removeChild(status);
    });
    Array.prototype.forEach.call(form.querySelectorAll(".is-busy"), function (button) {
      button.classList.remove("is-busy");
      button.removeAttribute("aria-disabled");
    });
  }

  function cookieValue(name) {
    var found = document.cookie.split("; ").filter(function (part) { return part.indexOf(name + "=") === 0; })[0];
    return found ? found.slice(name.length + 1) : null;
  }

  function forgetCookie() {
    document.cookie = COOKIE + "=; Max-Age=0; path=/; SameSite=Lax";
  }

  function newToken() {
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  }

  function sendToken(form) {
    var field = form.querySelector('input[name="' + TOKEN_FIELD + '"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = TOKEN_FIELD;
      form.appendChild(field);
    }
    field.value = newToken();
    return field.value;
  }

  function waitForFile(form, token) {
    var started = Date.now();
    var timer = window.setInterval(function () {
      if (cookieValue(COOKIE) === token || Date.now() - started > GIVE_UP_MS) {
        window.clearInterval(timer);
        forgetCookie();
        ready(form);
      }
    }, POLL_MS);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.hasAttribute("data-no-busy")) { return; }
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault();  // a second click while the first is being answered
      return;
    }
    var submitter = event.submitter || form.querySelector('[type="submit"]');
    form.setAttribute("aria-busy", "true");
    var status = document.createElement("span");
    status.className = "busy-status";
    status.setAttribute("role", "status");
    status.textContent = busyText();
    if (submitter && submitter.parentNode) {
      // Not `disabled`: a disabled button's name and value would not be sent.
      submitter.classList.add("is-busy");
      submitter.setAttribute("aria-disabled", "true");
      submitter.parentNode.insertBefore(status, submitter.nextSibling);
    } else {
      form.appendChild(status);
    }
    if (form.hasAttribute("data-download") || (submitter && submitter.hasAttribute("data-download"))) {
      waitForFile(form, sendToken(form));
    }
  });

  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    Array.prototype.forEach.call(document.querySelectorAll('form[aria-busy="true"]'), ready);
  });
}());
